"""Calendar feeds as a phone sees them: the member takes their link from /evenements, their
calendar fetches it over HTTP (a real server on loopback), the organiser moves then cancels the
gathering with the real commands, and each fetch shows it (new time, higher SEQUENCE,
STATUS:CANCELLED). Also: a reset link, forged tokens, other members' answers, an erased
member, no public address, a group chat, and tokens never in the logs."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
import tornado.web
from sqlalchemy import update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.config import Config, parse_config
from bot.context import Deps
from bot.services.events import build_events
from bot.web.calendar import routes
from storage.db import Sessions
from storage.models import Event
from tests.conftest import ADMIN_ID, MEMBER_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.bot_api import FakeTelegram
from tests.support.driver import MemberChat, plain

PARIS = ZoneInfo("Europe/Paris")
TITLE = "Atelier compost partagé"
FEED_BUTTON = "📅 Mes rencontres dans mon agenda"
LINK = re.compile(r"https?://\S+/calendar/m/[A-Za-z0-9_-]+\.ics")
OTHER_ID = 4343
ChatWith = Callable[..., MemberChat]


@pytest.fixture
def sockets() -> Iterator[list[socket.socket]]:
    bound = bind_sockets(0, "127.0.0.1")
    yield bound
    for sock in bound:
        sock.close()


@pytest.fixture
def public_url(sockets: list[socket.socket]) -> str:
    """The address members are given: the loopback server itself (a test may pass "")."""
    return f"http://127.0.0.1:{sockets[0].getsockname()[1]}"


@pytest.fixture
def config(seeded_sqlite_url: str, public_url: str) -> Config:
    """conftest's configuration, with the server's public address."""
    return parse_config(
        {
            "database": {"url": seeded_sqlite_url},
            "bot": {
                "admin_ids": [ADMIN_ID],
                "moderator_ids": [MODERATOR_ID],
                "moderators_chat_id": MODERATORS_CHAT_ID,
            },
            "http": {"public_url": public_url},
        }
    )


@pytest.fixture
async def web(deps: Deps, sockets: list[socket.socket]) -> AsyncIterator[httpx.AsyncClient]:
    """The calendar routes served on the bound socket, and a client (a phone's calendar)."""
    server = HTTPServer(tornado.web.Application(routes(deps)))
    server.add_sockets(sockets)
    base = f"http://127.0.0.1:{sockets[0].getsockname()[1]}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        yield client
    server.stop()
    await server.close_all_connections()


def _vevents(body: bytes) -> list[icalendar.cal.Component]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


async def _link(chat: MemberChat) -> str:
    """The member presses the list's calendar button and reads the link given."""
    await chat.say("/evenements")
    carrying = [
        m for m in chat.fake.bot_messages(chat.chat_id) if FEED_BUTTON in chat.button_labels(m)
    ]
    await chat.press(FEED_BUTTON, carrying[-1]["message_id"])
    match = LINK.search(chat.last_text())
    assert match is not None, chat.last_text()
    return match.group()


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


async def test_a_subscribed_phone_follows_the_move_and_the_cancellation(
    deps: Deps, web: httpx.AsyncClient, chat_with: ChatWith
) -> None:
    start = (datetime.now(PARIS) + timedelta(days=10)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )
    event = await deps.events.create(title=TITLE, starts_at=start, place="Jardin des Mille Pattes")
    member = chat_with(MEMBER_ID)
    await member.say("/evenements")
    await member.press("Je viens", member.message_containing(TITLE)["message_id"])
    link = await _link(member)
    explained = member.last_text()
    assert "Ce lien est personnel" in explained
    assert f"{deps.config.http.public_url}/calendar/events.ics" in explained

    response = await web.get(_path(link))  # subscribe
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Innov'Deizh — mes rencontres"
    assert str(calendar["method"]) == "PUBLISH"
    assert calendar["refresh-interval"].params["VALUE"] == "DURATION"
    assert calendar.decoded("refresh-interval") == timedelta(hours=1)
    [vevent] = _vevents(response.content)
    assert str(vevent["uid"]) == f"event-{event.id}@innovdeizh.bzh"
    assert (vevent.decoded("sequence"), str(vevent["status"])) == (0, "CONFIRMED")
    assert vevent.decoded("dtstart") == start
    assert vevent["dtstart"].params["TZID"] == "Europe/Paris"
    assert str(vevent["url"]) == f"https://t.me/innovdeizh_bot?start=event-{event.id}"
    assert str(vevent["location"]) == "Jardin des Mille Pattes"
    etag = response.headers["etag"]
    again = await web.get(_path(link), headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")  # nothing changed: nothing sent

    moved_to = (start + timedelta(days=3)).replace(hour=15, minute=0)
    admin = chat_with(ADMIN_ID)
    day = f"{moved_to.day}/{moved_to.month}/{moved_to.year}"
    await admin.say(f"/deplacer_evenement {event.id} {day} 15h")
    assert "C'est déplacé" in admin.last_text()
    response = await web.get(_path(link), headers={"If-None-Match": etag})
    assert response.status_code == 200
    [vevent] = _vevents(response.content)
    assert vevent.decoded("dtstart") == moved_to
    assert vevent.decoded("dtend") == moved_to + timedelta(hours=2)
    assert (str(vevent["uid"]), vevent.decoded("sequence")) == (
        f"event-{event.id}@innovdeizh.bzh",
        1,
    )

    await admin.say(f"/annuler_evenement {event.id}")
    await admin.press("🚫 Oui, annuler la rencontre")
    assert "annulée" in admin.last_text()
    response = await web.get(_path(link), headers={"If-None-Match": response.headers["etag"]})
    [vevent] = _vevents(response.content)
    assert (str(vevent["status"]), vevent.decoded("sequence")) == ("CANCELLED", 2)
    assert plain(str(vevent["summary"])) == f"Annulée : {TITLE}"
    assert vevent.decoded("dtstart") == moved_to  # still there, so the phone marks it

    public = await web.get("/calendar/events.ics")
    assert public.headers["content-type"] == "text/calendar; charset=utf-8"
    mine = [v for v in _vevents(public.content) if str(v["uid"]).startswith(f"event-{event.id}@")]
    assert [str(v["status"]) for v in mine] == ["CANCELLED"]
    assert str(icalendar.Calendar.from_ical(public.content)["x-wr-calname"]) == (
        "Innov'Deizh — les rencontres"
    )


async def test_a_reset_link_answers_404_at_once_and_the_new_one_stays(
    deps: Deps, web: httpx.AsyncClient, chat_with: ChatWith
) -> None:
    await deps.events.create(title=TITLE, starts_at=datetime.now(UTC) + timedelta(days=5))
    member = chat_with(MEMBER_ID)
    old = await _link(member)
    assert await _link(member) == old  # asked again: the same subscription
    assert (await web.get(_path(old))).status_code == 200

    await member.press("🔄 Réinitialiser mon lien")
    assert "L'ancien cessera aussitôt de marcher" in member.last_text()
    assert (await web.get(_path(old))).status_code == 200  # not before it is confirmed
    confirm = member.last_message()["message_id"]
    await member.press("🔄 Oui, un nouveau lien", confirm)
    new = LINK.search(member.last_text())
    assert new is not None
    assert new.group() != old
    assert (await web.get(_path(old))).status_code == 404
    assert (await web.get(_path(new.group()))).status_code == 200

    # The confirmation lost its button: a replayed press is refused, the link stays.
    await member.press_data("events:feedresetok:0", confirm)
    assert (await web.get(_path(new.group()))).status_code == 200
    assert await _link(member) == new.group()


async def test_the_public_feed_answers_head_and_if_none_match(
    deps: Deps, web: httpx.AsyncClient
) -> None:
    await deps.events.create(title=TITLE, starts_at=datetime.now(UTC) + timedelta(days=4))
    full = await web.get("/calendar/events.ics")
    assert TITLE in [str(v["summary"]) for v in _vevents(full.content)]
    head = await web.head("/calendar/events.ics")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == full.headers["etag"]
    again = await web.get("/calendar/events.ics", headers={"If-None-Match": full.headers["etag"]})
    assert again.status_code == 304
    await deps.events.create(title="Une autre", starts_at=datetime.now(UTC) + timedelta(days=5))
    changed = await web.get(
        "/calendar/events.ics", headers={"If-None-Match": full.headers["etag"]}
    )
    assert changed.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/m/" + "A" * 10_000 + ".ics",  # long
        "/calendar/m/" + "%00" * 32 + ".ics",  # NUL
        "/calendar/m/" + "%C3%A9" * 32 + ".ics",  # non-ASCII (é)
        "/calendar/m/" + "%FF%FE" * 16 + ".ics",  # not even UTF-8
        "/calendar/m/" + "A" * 32 + ".ics",  # the right shape, nobody's
        "/calendar/m/" + "A" * 32,  # no .ics
        "/calendar/m/",
        "/calendar/m/..%2Fevents.ics",
        "/calendar/m/a/b.ics",
    ],
)
async def test_forged_tokens_get_404_never_500(web: httpx.AsyncClient, path: str) -> None:
    response = await web.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")


async def test_my_feed_has_my_yes_only_never_someone_elses(
    deps: Deps, web: httpx.AsyncClient, chat_with: ChatWith
) -> None:
    soon = datetime.now(UTC) + timedelta(days=8)
    events = deps.events
    mine = await events.create(title="Mon atelier", starts_at=soon)
    theirs = await events.create(title="Leur atelier", starts_at=soon + timedelta(hours=1))
    maybe = await events.create(title="Peut-être", starts_at=soon + timedelta(hours=2))
    await events.rsvp(mine.id, MEMBER_ID, "yes")
    await events.rsvp(maybe.id, MEMBER_ID, "maybe")
    await events.rsvp(theirs.id, OTHER_ID, "yes")
    await events.rsvp(mine.id, OTHER_ID, "no")
    my_link = await _link(chat_with(MEMBER_ID))
    their_link = await _link(chat_with(OTHER_ID, first_name="Yann"))

    def titles(body: bytes) -> list[str]:
        return [str(v["summary"]) for v in _vevents(body)]

    assert titles((await web.get(_path(my_link))).content) == ["Mon atelier"]
    assert titles((await web.get(_path(their_link))).content) == ["Leur atelier"]
    await events.rsvp(mine.id, MEMBER_ID, "no")  # changed my mind: out at the next refresh
    assert titles((await web.get(_path(my_link))).content) == []


async def test_an_erased_member_has_no_feed_and_the_export_lists_the_link(
    deps: Deps, fake: FakeTelegram, web: httpx.AsyncClient, chat_with: ChatWith
) -> None:
    event = await deps.events.create(title=TITLE, starts_at=datetime.now(UTC) + timedelta(days=3))
    await deps.events.rsvp(event.id, MEMBER_ID, "yes")
    member = chat_with(MEMBER_ID)
    link = await _link(member)
    await member.say("/mesdonnees")
    data = json.loads(fake.files[member.last_message()["document"]["file_id"]])
    assert link.endswith(f"/{data['events']['calendar_feed']['token']}.ics")

    await member.say("/oublier")
    await member.press("🗑 Oui, tout effacer")
    assert "effacées" in member.last_text()
    assert (await web.get(_path(link))).status_code == 404


@pytest.mark.parametrize("public_url", [""])
async def test_without_a_public_address_no_link_is_offered(
    deps: Deps, fake: FakeTelegram, chat_with: ChatWith
) -> None:
    await deps.events.create(title=TITLE, starts_at=datetime.now(UTC) + timedelta(days=3))
    member = chat_with(MEMBER_ID)
    await member.say("/evenements")
    header = member.message_containing("Les prochaines rencontres")
    assert fake.buttons(header) == []
    earlier = member.earlier_button("events:feed:0", FEED_BUTTON)  # from before the change
    sent = len(member.texts())
    await member.press_data("events:feed:0", earlier)
    assert "pas disponible" in str(fake.callback_answers[-1]["text"])
    assert len(member.texts()) == sent


async def test_a_group_never_sees_a_personal_link(
    deps: Deps, fake: FakeTelegram, chat_with: ChatWith
) -> None:
    await deps.events.create(title=TITLE, starts_at=datetime.now(UTC) + timedelta(days=3))
    group = -100777
    fake.add_group(group, "Plénière")
    admin = chat_with(ADMIN_ID, chat_id=group)
    await admin.say("/evenements")
    labels = [b["text"] for m in fake.bot_messages(group) for row in fake.buttons(m) for b in row]
    assert FEED_BUTTON not in labels
    # Organisers pass the press check (they may press any card): still no link in the group.
    sent = len(admin.texts())
    await admin.press_data("events:feed:0")
    assert "en privé" in plain(str(fake.callback_answers[-1]["text"]))
    assert len(admin.texts()) == sent


async def test_tokens_are_never_logged(
    deps: Deps, web: httpx.AsyncClient, chat_with: ChatWith, caplog: pytest.LogCaptureFixture
) -> None:
    # INFO, the production level (DEBUG shows SQL parameters and message texts).
    caplog.set_level(logging.INFO)
    await deps.events.create(title=TITLE, starts_at=datetime.now(UTC) + timedelta(days=3))
    link = await _link(chat_with(MEMBER_ID))
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    assert (await web.get(_path(link))).status_code == 200
    assert (await web.get(_path(link).replace(token, token[::-1]))).status_code == 404
    # Our side only: httpx is the phone's client, and logs the URL it asks for.
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "/calendar/m/<token>.ics" in ours  # the access log saw both requests
    assert token not in ours
    assert token[::-1] not in ours


# --- the service on both databases ---------------------------------------------------------


async def test_tokens_on_both_databases(sessions: Sessions) -> None:
    events = build_events(sessions, parse_config({"http": {"public_url": "https://a.bzh/"}}))
    feeds = events.feeds
    first, second = await asyncio.gather(feeds.link(MEMBER_ID), feeds.link(MEMBER_ID))
    assert first == second  # two first presses at once: one token
    token = first.removeprefix("https://a.bzh/calendar/m/").removesuffix(".ics")
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    assert await feeds.member_feed(token) is not None
    for odd in ("\x00" * 32, "é" * 32, token + "A", token[:-1] + "\x00", "A" * 100_000):
        assert await feeds.member_feed(odd) is None  # PostgreSQL would refuse a NUL: never asked
    renewed = await feeds.reset(MEMBER_ID)
    assert renewed != first
    assert await feeds.member_feed(token) is None
    assert await feeds.link(MEMBER_ID) == renewed
    other = await feeds.link(OTHER_ID)
    assert other not in (first, renewed)


async def test_a_feed_kept_made_still_shows_any_change(sessions: Sessions) -> None:
    events = build_events(sessions, parse_config({"http": {"public_url": "https://a.bzh"}}))
    event = await events.create(title="Avant", starts_at=datetime.now(UTC) + timedelta(days=2))
    await events.rsvp(event.id, MEMBER_ID, "yes")
    token = (await events.feeds.link(MEMBER_ID)).rsplit("/", 1)[1].removesuffix(".ics")
    first = await events.feeds.member_feed(token)
    assert first is not None
    assert await events.feeds.member_feed(token) is first  # unchanged: the bytes kept
    await asyncio.sleep(1.1)  # DTSTAMP has whole seconds
    other_instance = build_events(
        sessions, parse_config({"http": {"public_url": "https://a.bzh"}})
    )
    # Made again a second later, the same bytes: the same ETag on every instance, at any time.
    assert await other_instance.feeds.member_feed(token) == first
    async with sessions.begin() as session:  # a writer that leaves updated_at as it was
        await session.execute(
            update(Event)
            .where(Event.id == event.id)
            .values(title="Après", updated_at=Event.updated_at)
        )
    again = await events.feeds.member_feed(token)
    assert again is not None
    assert [str(v["summary"]) for v in _vevents(again)] == ["Après"]
