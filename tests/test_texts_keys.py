"""Every catalogue key the code uses exists, in every language (French fallback included).

Keys are found by reading the sources of bot/ and handlers/: every string literal shaped like a
key (``"section.name"``, section being a top-level table of the French catalogue) must be a key
or a plural base, unless it is a conversation state (the StrEnum values of handlers/). Keys built
with f-strings cannot be read that way: they are listed by hand below, one per value.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import handlers
from bot.languages import CODES
from bot.services.french_dates import DateNotUnderstood, parse_french_datetime
from bot.services.networking.fields import FIELDS as NETWORKING_FIELDS
from bot.services.proposals.moderation import REASON_CODES
from bot.services.stats.service import PROPOSAL_STATUSES
from bot.texts import Texts
from handlers import COMMANDS
from handlers.events.keys import EDIT_FIELDS

ROOT = Path(__file__).resolve().parents[1]
KEY_LITERAL = re.compile(r"""(?<![\w{])["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
# handlers/catalogue/views.py names its keys without the "catalogue." prefix (its _t helper).
RELATIVE = {"handlers/catalogue/views.py": "catalogue."}
RELATIVE_SHORT = re.compile(r"""_t\(\s*update,\s*context,\s*"([a-z_]+)"\s*[,)]""")
F_STRING_KEY = re.compile(r"""\bf["']([a-z_]+\.[a-z0-9_.]*)\{""")

NETWORKING_STATES = ("pending", "accepted", "declined", "expired", "cancelled")
PROPOSAL_FIELDS = (
    *("name", "description", "theme", "place", "organisation", "website", "contact", "photo"),
)
BUILT_WITH_F_STRINGS = [
    # bot/commands.py: f"commands.{command.menu}", the menu text of each row of the table
    *(f"commands.{command.menu}" for command in COMMANDS if command.menu is not None),
    # bot/services/events/messages.py: f"events.delay.{unit}" (plural bases)
    *(f"events.delay.{unit}" for unit in ("days", "hours", "minutes")),
    # bot/services/events/messages.py: the card's follow-up headings and answer buttons
    *(f"events.card.follow_ups.{kind}" for kind in ("proposal", "platform", "other")),
    *(f"events.button.{name}" for name in ("yes", "maybe", "no", "remind", "ics")),
    # bot/services/events/messages.py: f"events.card.mine.{answer}", the member's own answer
    *(f"events.card.mine.{answer}" for answer in ("yes", "maybe", "no", "wait", "offer")),
    # bot/services/events/service.py: f"events.notice.{kind}"
    *(f"events.notice.{kind}" for kind in ("new", "moved", "cancelled")),
    # handlers/search/faq.py: f"search.faq.{kind}", the button under an FAQ answer
    *(f"search.faq.{kind}" for kind in ("event_figures", "event_follow_ups")),
    # handlers/search/inline.py: f"search.inline.{hit.kind}"
    *(f"search.inline.{kind}" for kind in ("lab", "innovation", "event", "faq")),
    # handlers/events/cards.py: f"events.rsvp.{outcome.result}" (bot/services/events/attendance.py)
    *(
        f"events.rsvp.{result}"
        for result in (
            *("yes", "already", "confirmed", "queued", "waiting", "maybe", "no"),
            *("remind_on", "remind_off", "remind_waiting", "remind_refused"),
        )
    ),
    # handlers/events/*.py: f"events.create.date_{exc.reason}"
    *(f"events.create.date_{reason}" for reason in ("format", "month", "no_such_day", "time")),
    # handlers/proposals/moderation.py
    *(f"proposals.moderation.done_{status}" for status in ("published", "refused")),
    *(f"proposals.moderation.prompt_{kind}" for kind in ("reason", "question")),
    # handlers/proposals/moderation_cards.py
    *(f"proposals.moderation.trail_{action}" for action in ("asked", "answered")),
    *(f"proposals.moderation.decided_{status}" for status in ("published", "refused")),
    *(f"proposals.moderation.already_{status}" for status in ("published", "refused")),
    *(f"proposals.moderation.reason.{code}" for code in REASON_CODES),
    # handlers/proposals/steps.py: the questions and the fields of the edit keyboard
    *(f"proposals.ask.{step}" for step in (*PROPOSAL_FIELDS, "visibility")),
    *(f"proposals.field.{step}" for step in PROPOSAL_FIELDS),
    # handlers/proposals/steps.py: f'proposals.contact_is_{visibility}'
    "proposals.contact_is_public",
    "proposals.contact_is_private",
    # handlers/proposals/input.py: f"proposals.{'cancelled' if … else 'same'}"
    "proposals.cancelled",
    "proposals.same",
    # handlers/networking/views.py and bot/services/networking/*.py: fields, hints, choices
    *(f"networking.field.{name}" for name in (*NETWORKING_FIELDS, "contact")),
    *(f"networking.hint.{name}" for name in (*NETWORKING_FIELDS, "contact")),
    *(f"networking.language.{code}" for code in ("fr", "br", "en")),
    *(f"networking.contact.{choice}" for choice in ("username", "relay", "closed")),
    *(f"networking.button.{name}" for name in ("make_visible", "make_private")),
    *(f"networking.button.{name}" for name in ("hide_field", "show_field")),
    *(f"networking.editor.status_{name}" for name in ("visible", "private")),
    *(f"networking.refused.{reason}" for reason in ("unavailable", "no_profile")),
    *(f"networking.refused.{reason}" for reason in ("too_many", "already")),
    *(f"networking.relay.{outcome}" for outcome in ("closed", "no_username")),
    *(f"networking.state.{state}" for state in NETWORKING_STATES),
    # bot/services/networking/round_messages.py and handlers/networking/rounds.py: café réseautage
    *(f"networking.round.pool.{pool}" for pool in ("all", "lab", "territory", "event")),
    *(f"networking.round.met_{answer}" for answer in ("yes", "not_yet", "no")),
    *(f"networking.round.ask_{when}" for when in ("halfway", "end")),
    *(f"networking.round.state.{state}" for state in ("joined", "skipped", "left", "none")),
    *(f"networking.round.status.{status}" for status in ("open", "paired", "done", "cancelled")),
    *(f"networking.round.{outcome}" for outcome in ("joined", "skipped", "left", "no_profile")),
    *(f"networking.round.{outcome}" for outcome in ("closed", "not_in_pool")),
    # bot/services/stats/report.py: the chart's bars and legend, the proposals' statuses
    *(f"stats.chart.{name}" for name in ("total", "active", "blocked")),
    *(f"stats.chart.{name}" for name in ("coming", "maybe", "waiting")),
    *(f"stats.status.{status}" for status in PROPOSAL_STATUSES),
    # handlers/surveys/admin.py: f"surveys.admin.status_{info.status}"
    *(f"surveys.admin.status_{status}" for status in ("draft", "scheduled", "open", "closed")),
    # handlers/events/organisers.py: the pickers of /deplacer_evenement, /annuler_evenement
    *(
        f"events.admin.{kind}_{action}"
        for kind in ("usage", "pick")
        for action in ("move", "cancel")
    ),
    # handlers/events/create.py: the fields « Modifier » offers
    *(f"events.create.field.{field}" for field in EDIT_FIELDS),
    # handlers/surveys/pickers.py: f"surveys.admin.pick_{action}"
    *(
        f"surveys.admin.pick_{action}"
        for action in ("schedule", "open", "close", "export", "results")
    ),
    # handlers/surveys/quick_polls.py: f"surveys.quick_polls.when_{exc.reason}", pick_{action}
    *(f"surveys.quick_polls.pick_{action}" for action in ("results", "close")),
    *(f"surveys.quick_polls.when_{reason}" for reason in ("past", "soon", "far")),
]


@pytest.fixture(scope="module")
def texts() -> Texts:
    return Texts.load()


def conversation_states() -> set[str]:
    """The values of the StrEnum state classes of every handlers module."""
    states: set[str] = set()
    for module_info in pkgutil.walk_packages(handlers.__path__, "handlers."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
                states.update(member.value for member in value)
    return states


def keys_in_sources(sections: set[str]) -> dict[str, str]:
    """Key-shaped literals of bot/ and handlers/, with the file each was found in."""
    found: dict[str, str] = {}
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            source = path.read_text(encoding="utf-8")
            prefix = RELATIVE.get(name, "")
            literals = KEY_LITERAL.findall(source)
            if prefix:
                literals = [prefix + key for key in literals + RELATIVE_SHORT.findall(source)]
            for key in literals:
                if key.split(".")[0] in sections:
                    found.setdefault(key, name)
    return found


def resolvable(texts: Texts, language: str, key: str) -> bool:
    """A text (with the French fallback) or a plural base with an ``other`` form."""
    try:
        texts.raw(language, key)
    except KeyError:
        return texts.has(language, f"{key}.other") or texts.has("fr", f"{key}.other")
    return True


def test_the_scan_finds_the_keys_it_should(texts: Texts) -> None:
    sections = {key.split(".")[0] for key in texts.catalogue("fr")}
    found = keys_in_sources(sections)
    assert found["start.welcome"] == "handlers/start.py"
    assert found["catalogue.lab.title"] == "handlers/catalogue/views.py"
    assert found["catalogue.page"] == "handlers/catalogue/views.py"
    assert found["proposals.too_long"] == "bot/services/proposals/rules.py"  # Invalid("…")
    assert found["events.card.coming"] == "bot/services/events/messages.py"  # plural(…)
    assert len(found) > 250


@pytest.mark.parametrize("language", CODES)
def test_every_key_the_code_uses_exists(texts: Texts, language: str) -> None:
    sections = {key.split(".")[0] for key in texts.catalogue("fr")}
    states = conversation_states()
    found = keys_in_sources(sections)
    missing = sorted(
        f"{key} ({where})"
        for key, where in found.items()
        if not resolvable(texts, language, key) and key not in states
    )
    assert missing == []


@pytest.mark.parametrize("language", CODES)
@pytest.mark.parametrize("key", BUILT_WITH_F_STRINGS)
def test_every_key_built_with_an_f_string_exists(texts: Texts, language: str, key: str) -> None:
    assert resolvable(texts, language, key)


def test_every_f_string_key_of_the_sources_is_listed(texts: Texts) -> None:
    sections = {key.split(".")[0] for key in texts.catalogue("fr")}
    unlisted = []
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            for prefix in F_STRING_KEY.findall(path.read_text(encoding="utf-8")):
                if prefix.split(".")[0] not in sections or name in RELATIVE:
                    continue
                if not any(key.startswith(prefix) for key in BUILT_WITH_F_STRINGS):
                    unlisted.append(f"{name}: {prefix}…")
    assert unlisted == []


def test_the_date_error_reasons_listed_are_the_parser_s() -> None:
    now, tz = datetime(2026, 1, 5, tzinfo=UTC), ZoneInfo("Europe/Paris")
    reasons = set()
    for typed in ("n'importe quoi", "13 brumaire 14h", "30/02 14h", "13/02 25h"):
        with pytest.raises(DateNotUnderstood) as caught:
            parse_french_datetime(typed, now, tz)
        reasons.add(caught.value.reason)
    assert {f"events.create.date_{reason}" for reason in reasons} <= set(BUILT_WITH_F_STRINGS)
