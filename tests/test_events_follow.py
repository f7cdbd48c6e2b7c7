"""/abonnements: followers get each new gathering; organisers move and cancel, members are told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.context import BotApp, Deps
from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from tests.conftest import ADMIN_ID, MEMBER_ID
from tests.support.clock import FakeClock
from tests.support.driver import MemberChat


async def _deliver(app: BotApp, deps: Deps) -> None:
    engine = DeliveryEngine(
        deps.delivery, telegram_sender(app.bot), clock=FakeClock(datetime.now(UTC))
    )
    await engine.drain()


async def test_followers_hear_of_new_moved_and_cancelled_gatherings(
    app: BotApp, deps: Deps, chat_with: Callable[..., MemberChat]
) -> None:
    member = chat_with(MEMBER_ID)
    await member.say("/abonnements")
    await member.press("▫️ Toutes les rencontres")
    assert member.button_labels() == ["✅ Toutes les rencontres", "✅ 📣 Annonces du réseau"]

    start = datetime.now(UTC) + timedelta(days=20)
    event = await deps.events.create(title="Forum ESS", starts_at=start)
    await _deliver(app, deps)
    assert "Nouvelle rencontre" in member.last_text()
    assert "Forum ESS" in member.last_text()
    await member.press("Je viens")

    admin = chat_with(ADMIN_ID)
    await admin.say(f"/deplacer_evenement {event.id} 15/03/2031 10h")
    assert "C'est déplacé" in admin.last_text()
    await _deliver(app, deps)
    assert "Changement d'horaire" in member.last_text()
    assert "15 mars 2031 à 10 h" in member.last_text()

    await member.say(f"/annuler_evenement {event.id}")
    assert member.last_text() == "Cette action est réservée aux organisateurs."
    await admin.say(f"/annuler_evenement {event.id}")
    confirm = admin.newest_with_buttons()["message_id"]
    await admin.say(f"/annuler_evenement {event.id}")  # a second confirmation, before either
    await admin.press("🚫 Oui, annuler la rencontre", confirm)
    await admin.press("🚫 Oui, annuler la rencontre")
    await _deliver(app, deps)
    cancelled = [t for t in member.texts() if "annulée" in t]
    assert len(cancelled) == 1
