"""Helpers for proposal and moderation tests: a member sends a complete proposal."""

from __future__ import annotations

from typing import Any

from tests.support.driver import MemberChat


async def send_proposal(
    chat: MemberChat,
    name: str = "Ressourcerie du Trégor",
    *,
    description: str = "On répare et revend des objets donnés, avec des salariés en insertion.",
    contact: str = "contact@ti-recup.bzh",
    public_label: str = "🔒 Seulement pour les organisateurs",
    send_label: str = "📨 Envoyer",
) -> None:
    """Answer every question with the buttons and texts a member would use, then send."""
    french = send_label != "📨 Send"
    await chat.say("/proposer" if french else "/submit")
    for answer in (name, description):
        await chat.say(answer)
    await chat.press(chat.button_labels()[0])  # the first theme
    for answer in ("Lannion", "Association Ti Récup", "/passer", contact):
        await chat.say(answer)
    await chat.press(public_label)
    await chat.say("/passer" if french else "/skip")
    await chat.press(send_label)


def card_of(messages: list[dict[str, Any]], number: int) -> dict[str, Any]:
    """The moderators' card of proposal ``number``."""
    for message in messages:
        if f"n°\u00a0{number}" in message.get("text", ""):
            return message
    raise AssertionError(f"no card for proposal {number}")
