"""« Annonces du réseau » in /abonnements: /annonce leaves out who refused and says how many."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from bot.services.members.service import Identity
from tests.conftest import ADMIN_ID, MEMBER_ID
from tests.support.bot_api import FakeTelegram
from tests.support.clock import FakeClock
from tests.support.driver import MemberChat, plain

NEWS_ON = "✅ 📣 Annonces du réseau"
NEWS_OFF = "▫️ 📣 Annonces du réseau"
TEXT = "Assemblée générale le 13/02 à Rennes"


async def test_refused_announcements_are_not_sent_and_the_count_says_so(
    app: BotApp, deps: Deps, fake: FakeTelegram, chat_with: Callable[..., MemberChat]
) -> None:
    others = range(MEMBER_ID + 10, MEMBER_ID + 13)
    for user_id in others:
        fake.add_user(user_id, f"Membre {user_id}")
        await deps.members.remember(Identity(user_id, f"Membre {user_id}"))
    refusing = chat_with(MEMBER_ID, first_name="Anne")
    await refusing.say("/abonnements")
    assert NEWS_ON in refusing.button_labels()  # accepted unless refused
    await refusing.press(NEWS_ON)
    assert NEWS_OFF in refusing.button_labels()
    assert "plus d'annonces du réseau" in plain(fake.callback_answers[-1]["text"])

    admin = chat_with(ADMIN_ID, first_name="Gwen")
    await admin.say("/annonce")
    await admin.say(TEXT)
    recipients = len(others) + 1  # the admin is a member too
    assert admin.last_text() == (
        f"Il partira à {recipients} personnes (1 a refusé les annonces). Je l'envoie ?"
    )
    await admin.press("📣 Envoyer")
    clock = FakeClock(datetime.now(UTC))
    await DeliveryEngine(deps.delivery, telegram_sender(app.bot), clock=clock).drain()
    assert TEXT not in refusing.texts()
    for user_id in others:
        assert fake.bot_texts(user_id).count(TEXT) == 1

    # Changing one's mind: accepted again, counted again.
    await refusing.say("/abonnements")
    await refusing.press(NEWS_OFF)
    await admin.say("/annonce")
    await admin.say(TEXT + " (rappel)")
    assert admin.last_text() == f"Il partira à {recipients + 1} personnes. Je l'envoie ?"


@pytest.mark.parametrize("separator", [" ", "\n"])
async def test_an_announcement_typed_after_the_command_is_previewed_at_once(
    chat_with: Callable[..., MemberChat], fake: FakeTelegram, separator: str
) -> None:
    admin = chat_with(ADMIN_ID, first_name="Gwen")
    await admin.say(f"/annonce{separator}Rendez-vous <b>jeudi</b> à Lorient !")
    preview, text, _count = fake.bot_texts(ADMIN_ID)[-3:]
    assert preview == "Aperçu du message\u00a0:"
    assert plain(text) == "Rendez-vous <b>jeudi</b> à Lorient !"  # typed tags shown as typed
    assert admin.last_text() == "Il partira à 1 personne. Je l'envoie ?"
    await admin.say("/annonce   ")
    assert admin.last_text().startswith("Écris le message à envoyer à tous les membres.")
