"""The proposal dialogue as a person types it: names need letters, typed themes are filed under
a known theme, /retour asks again with the answer kept, and « Garder » keeps it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.context import Deps
from storage.models import Proposal
from tests.support.driver import MemberChat

ChatWith = Callable[..., MemberChat]
DESCRIPTION = "On répare et revend des objets donnés, avec des salariés en insertion."


async def draft(deps: Deps) -> Proposal:
    async with deps.sessions() as session:
        row = await session.scalar(select(Proposal).order_by(Proposal.id.desc()))
    assert row is not None
    return row


async def to_theme_step(chat: MemberChat) -> None:
    await chat.say("/proposer")
    await chat.say("Ressourcerie du Trégor")
    await chat.say(DESCRIPTION)
    assert "3/8" in chat.last_text()


@pytest.mark.parametrize("typed", ["???", "1234", "🙂🙂🙂", "-- --"])
async def test_a_name_needs_letters(chat_with: ChatWith, deps: Deps, typed: str) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say(typed)
    assert "Il me faut des lettres" in chat.texts()[-2]
    assert "1/8" in chat.last_text()
    assert (await draft(deps)).name == ""
    await chat.say("Ti Récup 22")  # letters and figures are a fine name
    assert "2/8" in chat.last_text()


@pytest.mark.parametrize(
    ("typed", "filed"),
    [
        ("mobilite", "Mobilité"),  # accents left out
        ("numerik", "Numérique"),  # a typo
        ("les jeunes", "Jeunesse"),  # a plural meets the theme
        ("insertion", "Insertion par l'activité économique"),
        ("le réemploi", "Économie circulaire"),  # a word of the lab's outcome
        ("astronomie amateur", "autre"),  # nothing close: « Autre », never a new category
    ],
)
async def test_a_typed_theme_is_filed_under_a_known_one_or_other(
    chat_with: ChatWith, deps: Deps, typed: str, filed: str
) -> None:
    chat = chat_with()
    await to_theme_step(chat)
    await chat.say(typed)
    row = await draft(deps)
    assert row.theme == filed
    shown = "Autre" if filed == "autre" else filed
    assert f"Je la range dans « {shown} »" in " ".join(chat.texts()[-2:])
    assert "4/8" in chat.last_text()


async def test_the_theme_keyboard_is_two_columns(chat_with: ChatWith) -> None:
    chat = chat_with()
    await to_theme_step(chat)
    rows = chat.last_message()["reply_markup"]["inline_keyboard"]
    assert all(len(row) <= 2 for row in rows)
    assert len(rows) <= 10  # 17 themes and « Autre » on a phone screen


async def test_back_asks_again_with_the_current_answer_and_no_stale_suggestion(
    chat_with: ChatWith, deps: Deps
) -> None:
    chat = chat_with()
    await to_theme_step(chat)
    await chat.press("Culture")
    await chat.say("Fougere")  # unknown as typed: « Tu voulais dire… ? »
    assert "Fougères" in chat.button_labels()
    await chat.press("Fougères")
    assert "5/8" in chat.last_text()
    await chat.say("/retour")
    question = chat.last_text()
    assert "4/8" in question
    assert "Réponse actuelle : « Fougères (35) »" in question
    assert "Je ne connais pas" not in question
    assert "Fougere »" not in " ".join(chat.texts()[-2:])
    await chat.press("✅ Garder cette réponse")
    assert "5/8" in chat.last_text()
    row = await draft(deps)
    assert (row.commune, row.step) == ("Fougères", "submit.organisation")


async def test_back_to_a_typed_question_shows_it_and_a_new_answer_replaces_it(
    chat_with: ChatWith, deps: Deps
) -> None:
    chat = chat_with()
    await to_theme_step(chat)
    await chat.say("/retour")
    assert f"Réponse actuelle : « {DESCRIPTION} »" in chat.last_text()
    await chat.say("Une ressourcerie qui forme au réemploi, dans le Trégor.")
    assert "3/8" in chat.last_text()
    assert (await draft(deps)).description.startswith("Une ressourcerie")


async def test_keep_in_english(chat_with: ChatWith) -> None:
    chat = chat_with(language_code="en")
    await chat.say("/submit")
    await chat.say("Ti Récup")
    await chat.say("/back")
    assert "Current answer: “Ti Récup”" in chat.last_text()
    await chat.press("✅ Keep this answer")
    assert "2/8" in chat.last_text()
