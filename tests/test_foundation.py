"""The foundation end to end through the in-process Bot API double: welcome, help, language,
menus, unknown input, errors and admin checks."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.commands import publish_commands
from bot.console.bot_api import commands_key
from bot.context import BotApp, Deps
from bot.texts import Texts
from handlers import COMMANDS
from handlers.menu import MEMBER
from storage.models import Member
from tests.conftest import ADMIN_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.bot_api import FakeTelegram
from tests.support.driver import MemberChat

Chat = Callable[..., MemberChat]


async def test_start_welcomes_in_french_with_the_main_features(chat_with: Chat) -> None:
    chat = chat_with(first_name="Anne")
    await chat.say("/start")
    welcome = chat.last_text()
    assert welcome.startswith("Bonjour Anne ! 👋")
    assert len(welcome.splitlines()) == 3
    assert chat.button_labels() == [
        "🔎 Chercher",
        "🧪 Les labos",
        "💡 Innovations",
        "📅 Rencontres",
        "✍️ Proposer une initiative",
    ]
    assert "/aide" in welcome


async def test_start_speaks_english_to_an_english_telegram(chat_with: Chat) -> None:
    chat = chat_with(first_name="Olivia", language_code="en")
    await chat.say("/start")
    assert chat.last_text().startswith("Hello Olivia! 👋")


async def test_names_are_escaped_not_interpreted(chat_with: Chat) -> None:
    chat = chat_with(first_name="<b>Bob</b> & <i")
    await chat.say("/start")  # the double rejects invalid HTML with 400, as Telegram does
    assert chat.last_text().startswith("Bonjour <b>Bob</b> & <i !")


@pytest.mark.parametrize("command", ["/aide", "/help"])
async def test_help_lists_what_a_member_can_do(chat_with: Chat, command: str) -> None:
    chat = chat_with()
    await chat.say(command)
    assert chat.last_text().startswith("Ce que je sais faire")
    assert "/langue" in chat.last_text()
    assert "/proposer" in chat.last_text()
    assert "/stats" not in chat.last_text()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_help_names_every_command_of_the_menus(language: str) -> None:
    """A command in Telegram's menu that /aide does not name is one members never find."""
    texts = Texts.load()
    members_help = texts.catalogue(language)["help.text"]
    organisers_help = texts.catalogue(language)["help.admin"]
    for row in COMMANDS:
        if row.menu is None or row.fr in {"start", "aide"}:
            continue
        name = row.fr if language == "fr" or row.en is None else row.en
        where = organisers_help if row.audience != MEMBER else members_help
        assert f"/{name}" in where, f"/{name} is in the menus but not in /aide ({language})"


async def test_language_button_of_the_help(chat_with: Chat) -> None:
    chat = chat_with()
    await chat.say("/aide")
    assert chat.last_text().startswith("Ce que je sais faire")
    await chat.press("🌐 Langue / Language")
    assert chat.last_text() == (
        "Dans quelle langue veux-tu que je te parle ?\n"
        "Brezhoneg : traduction en attente de relecture par une personne qui parle cette langue."
    )
    assert chat.button_labels() == ["🇫🇷 Français", "🇬🇧 English", "Brezhoneg"]


async def test_language_switch_is_kept(chat_with: Chat, fake: FakeTelegram, deps: Deps) -> None:
    chat = chat_with(language_code="fr")
    await chat.say("/langue")
    question = chat.last_message()
    await chat.press("🇬🇧 English")
    assert chat.last_message()["message_id"] == question["message_id"]  # edited in place
    assert chat.last_text() == "Done, I will speak English to you from now on."
    await chat.say("/start")
    assert chat.last_text().startswith("Hello Anne!")
    async with deps.sessions() as session:
        stored = await session.scalar(select(Member.language).where(Member.telegram_id == 4242))
    assert stored == "en"
    assert fake.callback_answers, "the button press was answered"


async def test_language_choice_survives_a_new_process(chat_with: Chat, deps: Deps) -> None:
    chat = chat_with(language_code="fr")
    await chat.say("/language")
    await chat.press("🇬🇧 English")
    deps.members.forget_cached(4242)  # as after a restart: only the database knows
    await chat.say("/aide")
    assert chat.last_text().startswith("What I can do")


async def test_command_menus_per_language_and_per_role(app: BotApp, fake: FakeTelegram) -> None:
    assert await publish_commands(app)

    def names(scope: dict[str, object] | None, language: str | None) -> list[str]:
        return [c["command"] for c in fake.commands[commands_key(scope, language)]]

    french, english = names(None, None), names(None, "en")
    admin = names({"type": "chat", "chat_id": ADMIN_ID}, None)
    moderator = names({"type": "chat", "chat_id": MODERATOR_ID}, None)
    moderators_group = names({"type": "chat", "chat_id": MODERATORS_CHAT_ID}, "en")
    assert french[:4] == ["start", "chercher", "labs", "innovations"]
    assert english[:4] == ["start", "search", "labs", "innovations"]
    assert {"aide", "langue", "proposer"} <= set(french)
    assert {"help", "language", "submit"} <= set(english)
    menus = [c for c in COMMANDS if c.menu is not None]
    assert french == [c.fr for c in menus if c.audience == "member"]
    assert names(None, "br") == french  # Breton lists the French commands, described in Breton
    assert fake.commands[commands_key(None, "br")][0]["description"] == "Degemer ha lañser"
    assert "stats" not in french
    assert "moderation" not in french
    assert moderator == [*french, "moderation"]
    assert moderators_group[-1] == "moderation"
    assert admin == [c.fr for c in menus]
    assert {"stats", "annonce", "moderation"} <= set(admin)
    assert commands_key({"type": "chat", "chat_id": ADMIN_ID}, "en") in fake.commands


async def test_menus_failure_is_only_a_warning(
    app: BotApp, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next("setMyCommands", 500, "Internal Server Error")
    with caplog.at_level(logging.WARNING):
        assert not await publish_commands(app)
    assert "could not publish the command menus" in caplog.text


@pytest.mark.parametrize(
    ("send", "expected"),
    [
        ("/frobnicate", "Je ne connais pas la commande /frobnicate"),
        ("sticker", "Je ne sais pas encore lire ce genre de message"),
        ("voice", "Je ne sais pas encore lire ce genre de message"),
    ],
)
async def test_unusable_input_gets_a_pointer_to_help(
    chat_with: Chat, fake: FakeTelegram, send: str, expected: str
) -> None:
    chat = chat_with()
    if send == "sticker":
        await chat.deliver(fake.send_sticker(chat.user_id))
    elif send == "voice":
        await chat.deliver(fake.send_voice(chat.user_id))
    else:
        await chat.say(send)
    assert chat.last_text().startswith(expected)
    assert "/aide" in chat.last_text()


async def test_unknown_button_is_answered_not_ignored(chat_with: Chat, fake: FakeTelegram) -> None:
    chat = chat_with()
    await chat.say("/start")
    await chat.press_data("nothing:here:1")
    assert fake.callback_answers[-1]["text"] == "Ce bouton n'est plus actif."


async def test_unknown_deep_link_gets_the_normal_welcome(chat_with: Chat) -> None:
    chat = chat_with()
    await chat.say("/start nowhere-42")
    assert chat.last_text().startswith("Bonjour Anne !")
    await chat.say("/start " + "x" * 80)
    assert chat.last_text().startswith("Bonjour Anne !")


async def test_group_chats_are_not_flooded(chat_with: Chat, fake: FakeTelegram) -> None:
    fake.add_group(-777, "Labo mobilité")
    chat = chat_with(chat_id=-777)
    await chat.say("/frobnicate")
    await chat.say("on se retrouve à midi ?")
    assert fake.bot_messages(-777) == []


async def test_an_error_is_logged_with_the_update_id_and_the_member_gets_an_apology(
    chat_with: Chat, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    chat = chat_with()
    fake.fail_next("sendMessage", 400, "Bad Request: chat not found")
    update = fake.send_text(chat.user_id, "/aide")
    with caplog.at_level(logging.ERROR):
        await chat.deliver(update)
    assert f"error while handling update {update['update_id']}" in caplog.text
    assert chat.last_text().startswith("Oups, quelque chose s'est mal passé")


async def test_stats_are_for_admins_only(chat_with: Chat) -> None:
    member = chat_with()
    await member.say("/stats")
    assert member.last_text() == "Cette action est réservée aux organisateurs."
    admin = chat_with(ADMIN_ID, first_name="Gwen")
    await admin.say("/stats")
    assert "🧪 Labos : 17" in admin.last_text()
    assert "📅 Rencontres : 2" in admin.last_text()
    await admin.say("/aide")
    assert admin.last_text().startswith("Pour les organisateurs")
