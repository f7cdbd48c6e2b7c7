"""Helpers for networking tests: members who fill in their profile through the editor, and
synthetic café réseautage participants for the matching tests and bench/pairing.py."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from bot.services.networking.matching import Participant
from tests.support.clock import FakeClock
from tests.support.driver import MemberChat


def member(
    app: BotApp, fake: FakeTelegram, user_id: int, first_name: str, username: str | None = None
) -> MemberChat:
    """A member's private chat with the bot (with a Telegram @username or not)."""
    fake.add_user(user_id, first_name, language_code="fr", username=username)
    return MemberChat(app, fake, user_id, user_id)


async def type_field(chat: MemberChat, label: str, value: str) -> None:
    """In the editor: open a text field, « Modifier », type the value."""
    await chat.press(label)
    await chat.press("✏️ Modifier")
    await chat.say(value)


async def make_profile(
    chat: MemberChat,
    *,
    name: str,
    structure: str = "",
    commune: str = "",
    offer: str = "",
    seek: str = "",
    visible: bool = True,
) -> None:
    """Fill in a profile through /profil as a member would, and turn it visible."""
    await chat.say("/profil")
    for label, value in (
        ("Nom affiché", name),
        ("Structure", structure),
        ("Commune", commune),
        ("Ce que je propose", offer),
        ("Ce que je cherche", seek),
    ):
        if value:
            await type_field(chat, label, value)
    if visible:
        await chat.press("🌐 Rendre visible dans l'annuaire")


async def deliver(app: BotApp, deps: Deps, at: datetime | None = None) -> None:
    """Send everything the outbox holds that is due at ``at`` (now by default)."""
    clock = FakeClock(at or datetime.now(UTC))
    await DeliveryEngine(deps.delivery, telegram_sender(app.bot), clock=clock).drain()


THEMES = ("Mobilité", "Énergie", "Culture", "Jeunesse", "Numérique", "Ruralité", "Savoirs")
# Breton communes (latitude, longitude): Rennes, Brest, Quimper, Vannes, Saint-Brieuc, Lannion.
PLACES = (
    (48.11, -1.68),
    (48.39, -4.49),
    (47.99, -4.10),
    (47.66, -2.76),
    (48.51, -2.76),
    (48.73, -3.46),
)


def attendees(count: int = 300, structures: int = 40, seed: int = 7) -> list[Participant]:
    rnd = random.Random(seed)
    people = []
    for n in range(count):
        languages = {"fr"} | ({"br"} if rnd.random() < 0.2 else set())
        people.append(
            Participant(
                member_id=10_000 + n,
                structure=f"structure-{n % structures}",
                themes=frozenset(rnd.sample(THEMES, 2)),
                languages=frozenset(languages),
                place=rnd.choice(PLACES),
            )
        )
    return people
