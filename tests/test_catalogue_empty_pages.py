"""Empty pages: a theme without an approved innovation is not offered; a département without
one says so with « Proposer une initiative », and nothing is invented to fill it."""

from __future__ import annotations

from collections.abc import Callable

from bot.context import BotApp, deps_of
from storage.models import Innovation
from tests.support.driver import MemberChat


async def test_an_empty_departement_says_so_and_offers_to_propose(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    await chat.say("/innovations")
    await chat.press("Finistère")
    text = chat.last_text()
    assert "Finistère" in text
    assert "Pas encore d'innovation ici" in text
    assert "(0)" not in text
    assert chat.button_labels() == ["✍️ Proposer une initiative", "⬅️ Retour"]  # nothing else
    await chat.press("✍️ Proposer une initiative")
    assert "Quel est le nom de l'initiative" in chat.last_text()  # the dialogue opened


async def test_in_english_too(chat_with: Callable[..., MemberChat]) -> None:
    chat = chat_with(language_code="en")
    await chat.say("/innovations")
    await chat.press("Morbihan")
    assert "No innovation here in the catalogue yet" in chat.last_text()
    assert chat.button_labels()[0] == "✍️ Propose an initiative"


async def test_themes_without_an_approved_innovation_are_not_offered(
    chat_with: Callable[..., MemberChat], app: BotApp
) -> None:
    async with deps_of(app).sessions.begin() as session:
        session.add(
            Innovation(title="Épicerie en attente", theme="Alimentation", status="pending")
        )
    chat = chat_with()
    await chat.say("/innovations")
    labels = chat.button_labels()
    assert "Égalité femmes-hommes" in labels  # the seeded innovation's theme
    assert "Alimentation" not in labels  # only a proposal waiting for moderation
