"""No path reveals a hidden profile, a hidden field or a contact without its owner's acceptance:
the public search and its typo suggestions, inline mode, the directory (cards, search and its
corrections), the export; and /oublier leaves nothing of the member's networking anywhere."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import select
from telegram import Update

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from storage.models import OutboxMessage
from tests.support.driver import MemberChat
from tests.support.networking import deliver, make_profile, member
from tests.test_privacy_all_features import database_rows

ANNE, YANN, BOB = 801, 802, 803
SECRET_STRUCTURE = "Zorglubrecyclerie"  # hidden by Anne
HIDDEN_WORD = "Plouzanetude"  # in the seek line of Yann's profile, never made visible


async def _setup(app: BotApp, fake: FakeTelegram) -> tuple[MemberChat, MemberChat, MemberChat]:
    anne = member(app, fake, ANNE, "Anne", username="anne_secret")
    await make_profile(anne, name="Anne", structure=SECRET_STRUCTURE, offer="des conseils")
    await anne.press("Structure")
    await anne.press("🙈 Masquer ce champ")
    await anne.say("/profil")
    await anne.press("Contact")
    await anne.press("Donner mon @pseudo Telegram")
    yann = member(app, fake, YANN, "Yann", username="yann_secret")
    await make_profile(yann, name="Yann", seek=HIDDEN_WORD, visible=False)
    bob = member(app, fake, BOB, "Bob")
    return anne, yann, bob


def _names_yann(text: str) -> bool:
    """Yann's id as a number (not digits of a timestamp), his hidden word or his note."""
    return bool(re.search(rf"(?<![\d.]){YANN}(?![\d])", text)) or any(
        secret in text for secret in (HIDDEN_WORD, "Bonjour Anne", "yann_secret")
    )


def _everything_seen(fake: FakeTelegram, chat_id: int) -> str:
    texts = [str(m.get("text") or m.get("caption") or "") for m in fake.bot_messages(chat_id)]
    labels = [b["text"] for m in fake.bot_messages(chat_id) for r in fake.buttons(m) for b in r]
    return "\n".join(texts + labels)


async def _inline(app: BotApp, fake: FakeTelegram, user_id: int, query: str) -> Any:
    await app.process_update(Update.de_json(fake.inline_query(user_id, query), app.bot))
    return fake.inline_answers[-1]


async def test_no_search_path_reveals_hidden_profiles_or_fields(
    app: BotApp, fake: FakeTelegram
) -> None:
    await _setup(app, fake)
    bob = MemberChat(app, fake, BOB, BOB)
    # Bob types prefixes and one-typo spellings: a suggestion or a match would echo the word.
    for query in ("zorglub", "plouzan", "Zorglubrecyclerix", "Plouzanetudd"):
        await bob.say(f"/chercher {query}")  # the public search (and its « tu pensais à »)
        await bob.say(query)  # plain text is a search too
        await bob.say(f"/annuaire {query}")  # the directory and its corrections
        assert "Aucun profil visible" in bob.last_text()
        answer = await _inline(app, fake, BOB, query)
        assert SECRET_STRUCTURE.lower() not in json.dumps(answer).lower()
        assert HIDDEN_WORD.lower() not in json.dumps(answer).lower()
    await bob.say("/annuaire")
    await bob.press("📇 Tout l'annuaire")
    assert "1 profil" in bob.last_text()  # Anne only: Yann's profile is not visible
    await bob.press("Anne")
    assert "des conseils" in bob.last_text()
    seen = _everything_seen(fake, BOB).lower()
    for secret in (SECRET_STRUCTURE, HIDDEN_WORD, "anne_secret", "yann_secret", "Yann"):
        assert secret.lower() not in seen


async def test_a_request_shows_visible_fields_and_no_contact_until_accepted(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann, _ = await _setup(app, fake)
    await yann.say("/annuaire conseils")
    await yann.press("Anne")
    await yann.press("🤝 Proposer une mise en relation")
    await yann.press("Envoyer sans mot")
    await deliver(app, deps)
    seen_by_anne = _everything_seen(fake, ANNE)
    assert HIDDEN_WORD in seen_by_anne  # Yann chose to send his card: its visible fields
    assert "yann_secret" not in seen_by_anne
    assert "anne_secret" not in _everything_seen(fake, YANN)
    assert SECRET_STRUCTURE not in _everything_seen(fake, YANN)
    await anne.press("Pas maintenant", anne.message_containing("aimerait")["message_id"])
    await deliver(app, deps)  # even once the notice is sent: no contact, either way
    assert "anne_secret" not in _everything_seen(fake, YANN)
    assert "yann_secret" not in _everything_seen(fake, ANNE)


async def test_the_export_has_my_profile_and_nothing_that_reaches_others(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann, _ = await _setup(app, fake)
    await yann.say("/annuaire conseils")
    await yann.press("Anne")
    await yann.press("🤝 Proposer une mise en relation")
    await yann.say("mon mot à Anne")
    await deliver(app, deps)
    await anne.press("🚫 Bloquer", anne.message_containing("aimerait")["message_id"])

    anne_data = await deps.privacy.export(ANNE)
    networking = anne_data["networking"]
    assert networking["profile"]["structure"] == SECRET_STRUCTURE  # her own, hidden or not
    assert networking["profile"]["hidden_fields"] == ["structure"]
    assert networking["introductions"][0]["direction"] == "received"
    assert "note" not in networking["introductions"][0]
    assert len(networking["blocks_made"]) == 1
    dumped = json.dumps(networking)
    # Yann's id as a value anywhere (a timestamp's microseconds may hold the same digits).
    assert not re.search(rf"(?<![0-9.]){YANN}(?![0-9])", dumped)
    assert "yann_secret" not in dumped
    assert HIDDEN_WORD not in dumped

    yann_data = (await deps.privacy.export(YANN))["networking"]
    assert yann_data["introductions"][0]["note"] == "mon mot à Anne"
    dumped = json.dumps(yann_data)
    assert "blocks_made" in yann_data
    assert yann_data["blocks_made"] == []
    assert str(ANNE) not in dumped
    assert "anne_secret" not in dumped
    assert SECRET_STRUCTURE not in dumped


async def test_forget_erases_profile_requests_blocks_and_their_messages(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann, bob = await _setup(app, fake)
    await make_profile(bob, name="Bob")
    await yann.say("/annuaire conseils")
    await yann.press("Anne")
    await yann.press("🤝 Proposer une mise en relation")
    await yann.say("Bonjour Anne")
    await deliver(app, deps)
    await anne.press("🚫 Bloquer", anne.message_containing("aimerait")["message_id"])
    await yann.say("/annuaire bob")
    await yann.press("Bob")
    await yann.press("🤝 Proposer une mise en relation")
    await yann.press("Envoyer sans mot")  # not yet delivered: his card waits in Bob's outbox
    async with deps.sessions() as session:
        waiting = list(await session.scalars(select(OutboxMessage.chat_id)))
    assert BOB in waiting

    await yann.say("/oublier")
    await yann.press("🗑 Oui, tout effacer")
    leftovers = [
        (table, values)
        for table, values in await database_rows(deps)
        if table.startswith("networking") or table == "outbox"
        if any(_names_yann(str(v)) for v in values.values())
    ]
    assert leftovers == []
    await deliver(app, deps)
    assert HIDDEN_WORD not in _everything_seen(fake, BOB)  # the pending request never leaves
    assert await deps.networking.profiles.own(ANNE)  # others' profiles are untouched
    assert (await deps.networking.profiles.own(ANNE)).exists
