"""/confidentialite names who answers for the data, how to reach them, and the CNIL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.config import Config, ConfigError, parse_config
from tests.conftest import ADMIN_ID, MODERATOR_ID, MODERATORS_CHAT_ID
from tests.support.driver import MemberChat

ChatWith = Callable[..., MemberChat]
CONTROLLER = {
    "controller": "Association Innov'Deizh",
    "address": "2 rue de la Mairie, 35000 Rennes",
    "contact": "rgpd@innovdeizh.bzh",
}


@pytest.fixture
def config(seeded_sqlite_url: str) -> Config:
    """The shared test configuration, with the data controller filled in."""
    return parse_config(
        {
            "database": {"url": seeded_sqlite_url},
            "bot": {
                "admin_ids": [ADMIN_ID],
                "moderator_ids": [MODERATOR_ID],
                "moderators_chat_id": MODERATORS_CHAT_ID,
            },
            "privacy": CONTROLLER,
        }
    )


async def test_the_notice_names_the_controller_its_contact_and_the_cnil(
    chat_with: ChatWith,
) -> None:
    chat = chat_with()
    await chat.say("/confidentialite")
    notice = chat.last_text()
    assert "Responsable : Association Innov'Deizh" in notice
    assert "2 rue de la Mairie, 35000 Rennes" in notice
    assert "Pour toute question sur tes données : rgpd@innovdeizh.bzh" in notice
    assert "réclamation à la CNIL : cnil.fr/plaintes" in notice
    english = chat_with(4343, language_code="en")
    await english.say("/privacy")
    assert "Data controller: Association Innov'Deizh" in english.last_text()
    assert "complaint with the CNIL" in english.last_text()


def test_the_controller_is_named_and_unknown_keys_are_refused() -> None:
    assert parse_config({}).privacy.controller == "Innov'Deizh"
    with pytest.raises(ConfigError, match=r"privacy\.controller"):
        parse_config({"privacy": {"controller": "  "}})
    with pytest.raises(ConfigError, match=r"privacy\.phone"):
        parse_config({"privacy": {"phone": "02 99"}})
