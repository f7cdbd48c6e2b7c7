"""Routing through PTB's own dispatch: the command table, button keys, deep links, and what
a dialogue lets through to the other features."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from bot.app import build_application
from bot.console.bot_api import InProcessBotApi
from bot.context import Deps
from bot.services.events.messages import button_data
from handlers import COMMANDS
from handlers.events import keys as events_keys
from handlers.keys import ID, Key
from storage.models import ConversationState, Proposal
from tests.conftest import MEMBER_ID
from tests.support.bot_api import FakeTelegram
from tests.support.driver import MemberChat

ChatWith = Callable[..., MemberChat]
STALE = "Ce bouton n'est plus actif."


async def draft(deps: Deps) -> Proposal:
    async with deps.sessions() as session:
        [row] = list(await session.scalars(select(Proposal)))
        return row


def test_every_command_has_one_row_and_menu_rows_keep_the_menu_order() -> None:
    names = [name for row in COMMANDS for name in row.names]
    assert len(names) == len(set(names))
    assert [row.fr for row in COMMANDS if row.menu][:4] == [
        "start",
        "chercher",
        "labs",
        "innovations",
    ]
    assert all(len(name) <= 32 and name == name.lower() for name in names)  # Bot API limits


def test_a_key_builds_only_data_its_pattern_reads() -> None:
    key = Key("catalogue", "lab", (ID,))
    assert key.parse(key.data(17)) == ("17",)
    assert key.parse("catalogue:lab:17:extra") is None
    with pytest.raises(ValueError, match="bad callback data"):
        key.data("dix-sept")
    with pytest.raises(ValueError, match="bad callback data"):
        Key("catalogue", "x" * 60, (ID,)).data(1)  # over Telegram's 64 bytes


@pytest.mark.parametrize("action", ["yes", "maybe", "no", "remind", "ics"])
def test_event_keys_read_the_cards_the_outbox_sends(action: str) -> None:
    """Event cards are built by the events service (they go through the outbox)."""
    data = button_data(action, 42)
    readers = [key for key in (*events_keys.RSVP, events_keys.ICS) if key.parse(data)]
    assert [key.action for key in readers] == [action]
    if action != "ics":
        assert events_keys.rsvp_of(data) == (action, 42)


@pytest.mark.parametrize(
    "old", ["cat:labs:0", "submit:send:1:0", "mod:publish:1:0", "srch:w:velo:1", "announce:send"]
)
async def test_buttons_sent_before_the_renaming_end_in_the_stale_fallback(
    chat_with: ChatWith, fake: FakeTelegram, old: str
) -> None:
    chat = chat_with()
    await chat.say("/start")
    await chat.press_data(old)
    assert fake.callback_answers[-1]["text"] == STALE


@pytest.mark.parametrize("command", ["/AIDE", "/aide@innovdeizh_bot", "/Help"])
async def test_commands_in_any_case_and_addressed_to_the_bot(
    chat_with: ChatWith, command: str
) -> None:
    chat = chat_with()
    await chat.say(command)
    assert chat.last_text().startswith("Ce que je sais faire")


async def test_deep_link_kinds_in_any_case_and_missing_cards(chat_with: ChatWith) -> None:
    chat = chat_with()
    await chat.say("/start LAB-vers-une-mobilite-durable")
    assert "Vers une mobilité durable" in chat.last_text()
    for payload in ("survey-999", "innovation-abc", "event"):  # a kind, but no such card
        await chat.say(f"/start {payload}")
        assert chat.last_text().startswith("🔎 Cette fiche n'existe pas ou plus."), payload
        assert "Bonjour Anne !" in chat.last_text()
    await chat.say("/start lab12")  # not a kind of card: the plain welcome
    assert chat.last_text().startswith("Bonjour Anne !")


async def test_a_survey_file_during_a_proposal_reaches_the_surveys(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Jardin partagé de Kervénanec")
    upload = fake.send_document(MEMBER_ID, b"title = 'x'", "enquete.toml")
    upload["message"]["caption"] = "/enquete_creer rencontre-2013"
    await chat.deliver(upload)
    assert chat.last_text() == "Cette action est réservée aux organisateurs."
    assert (await draft(deps)).step == "submit.description"
    await chat.say("Des parcelles cultivées ensemble au pied des immeubles.")
    assert "3/8" in chat.last_text()


async def test_a_survey_button_during_a_proposal_pauses_it(
    chat_with: ChatWith, deps: Deps
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Jardin partagé de Kervénanec")
    await chat.press_data("surveys:go:999", chat.earlier_button("surveys:go:999"))
    assert any("reste en brouillon" in text for text in chat.texts()[-2:])
    await chat.say("Des parcelles cultivées ensemble")  # no longer an answer
    row = await draft(deps)
    assert (row.status, row.step, row.description) == ("draft", "submit.description", "")


async def test_a_moderation_button_during_a_proposal_is_the_moderators(
    chat_with: ChatWith, fake: FakeTelegram
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    publish = "proposals:publish:1:0"  # not a moderator, whatever the dialogue
    await chat.press_data(publish, chat.earlier_button(publish))
    assert "réservée" in fake.callback_answers[-1]["text"]
    await chat.say("Jardin partagé de Kervénanec")
    assert "2/8" in chat.last_text()


async def test_an_error_in_the_dialogue_is_answered_once(
    chat_with: ChatWith, fake: FakeTelegram
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    before = len(chat.texts())
    fake.fail_next("sendMessage", 400, "Bad Request: chat not found")
    await chat.say("Jardin partagé de Kervénanec")
    # The apology only: the text is not also taken as a search by the table (group 1).
    assert len(chat.texts()) == before + 1
    assert chat.last_text().startswith("Oups, quelque chose s'est mal passé")


async def test_a_dialogue_stored_with_its_step_as_state_goes_on(
    deps: Deps, fake: FakeTelegram
) -> None:
    """States persisted before the dialogue had a single state were the draft's step."""
    fake.add_user(MEMBER_ID, "Anne")
    first = build_application(deps, request=InProcessBotApi(fake))
    async with first:
        chat = MemberChat(first, fake, MEMBER_ID, MEMBER_ID)
        await chat.say("/proposer")
        await chat.say("Jardin partagé de Kervénanec")
    async with deps.sessions.begin() as session:
        await session.execute(
            update(ConversationState)
            .where(ConversationState.name == "submit")
            .values(state=json.dumps("submit.description"))
        )
    second = build_application(deps, request=InProcessBotApi(fake))
    async with second:
        chat = MemberChat(second, fake, MEMBER_ID, MEMBER_ID)
        await chat.say("Des parcelles cultivées ensemble au pied des immeubles.")
        assert "3/8" in chat.last_text()
