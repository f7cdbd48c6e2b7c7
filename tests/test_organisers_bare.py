"""Every organiser command typed bare, in French and in English, answers with buttons or a
usage line, never an apology (issue 10, done means 3).

The commands come from the COMMANDS table (audience organiser or moderator), so a command added
later is tried too. A few take no argument at all and answer with what they show (the figures,
the list of surveys, the proposals waiting): for those only « never an apology » applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.context import Deps
from bot.services.surveys.templates import template
from bot.texts import Texts
from handlers import COMMANDS
from handlers.menu import ADMIN, MODERATOR
from tests.conftest import ADMIN_ID, MODERATOR_ID
from tests.support.driver import MemberChat, plain

ORGANISERS = [row for row in COMMANDS if row.audience in {ADMIN, MODERATOR}]
WITHOUT_ARGUMENTS = {"stats", "enquetes", "moderation"}  # they show, nothing to choose
# A usage line: an example of a command (« /enquete_ouvrir 3 », « /annuler pour arrêter »).
USAGE = re.compile(r"/[a-z_]{2,}")


def _bare_cases() -> list[Any]:
    return [
        pytest.param(row.fr, name, language, id=f"{name}-{language}")
        for row in ORGANISERS
        for name in row.names
        for language in ("fr", "en")
    ]


def test_the_table_has_the_organisers_commands() -> None:
    names = {row.fr for row in ORGANISERS}
    assert {"deplacer_evenement", "annuler_evenement", "enquete_creer", "sondage_rapide"} <= names
    assert len(_bare_cases()) == sum(2 * len(row.names) for row in ORGANISERS)


@pytest.mark.parametrize(("row", "name", "language"), _bare_cases())
async def test_every_organiser_command_typed_bare_answers_with_buttons_or_usage(
    deps: Deps, chat_with: Callable[..., MemberChat], row: str, name: str, language: str
) -> None:
    # Something to choose from: an upcoming gathering and a survey for it.
    event = await deps.events.create(
        title="Atelier mobilité", starts_at=datetime.now(UTC) + timedelta(days=9)
    )
    await deps.surveys.planning.create(template(), str(event.id), created_by=ADMIN_ID)
    user_id = MODERATOR_ID if row == "moderation" else ADMIN_ID
    chat = chat_with(user_id, language_code=language)
    before = len(chat.fake.bot_messages(chat.chat_id))
    await chat.say(f"/{name}")
    answers = chat.fake.bot_messages(chat.chat_id)[before:]
    assert answers, f"/{name} ({language}) got no answer"
    texts = Texts.load()
    apologies = {plain(texts.get(lang, "errors.apology")) for lang in ("fr", "en")}
    shown = [plain(str(m.get("text") or m.get("caption") or "")) for m in answers]
    assert not apologies & set(shown), f"/{name} ({language}) apologised: {shown}"
    assert not any("Je ne connais pas la commande" in text for text in shown)
    if row in WITHOUT_ARGUMENTS:
        return
    with_buttons = any(chat.fake.buttons(message) for message in answers)
    with_usage = any(USAGE.search(text) for text in shown)
    assert with_buttons or with_usage, f"/{name} ({language}): {shown}"
