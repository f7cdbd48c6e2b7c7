"""What members receive about an event: the card text, its buttons, reminders and notices.

Payloads are built here (per language) and stored in the outbox; buttons carry
"events:<action>:<event id>" callback data, parsed by the same helper in handlers/events.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from bot.services.french_dates import format_when
from bot.texts import Texts
from storage.models import Event

PATTERN = r"^events:(yes|no|remind|ics):(\d+)$"
_PARSE = re.compile(PATTERN)
MAP_URL = "https://www.openstreetmap.org/search?query={query}"


def button_data(action: str, event_id: int) -> str:
    """Callback data of an event button (ids only, far below 64 bytes)."""
    return f"events:{action}:{event_id}"


def parse_button(data: str) -> tuple[str, int] | None:
    match = _PARSE.match(data)
    return None if match is None else (match[1], int(match[2]))


@dataclass(frozen=True)
class EventView:
    """An event as members see it, with the number of people coming."""

    id: int
    title: str
    description: str
    place: str
    address: str
    theme: str
    starts_at: datetime
    ends_at: datetime | None
    capacity: int | None
    repeats_yearly: bool
    cancelled: bool
    schedule_rev: int
    coming: int

    @property
    def map_url(self) -> str:
        where = ", ".join(part for part in (self.place, self.address) if part)
        return MAP_URL.format(query=quote_plus(where)) if where else ""


def view_of(event: Event, coming: int) -> EventView:
    """The member-facing view of an event row."""
    return EventView(
        id=event.id,
        title=event.title,
        description=event.description,
        place=event.place,
        address=event.address,
        theme=event.theme,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=event.capacity,
        repeats_yearly=event.repeats_yearly,
        cancelled=event.cancelled_at is not None,
        schedule_rev=event.schedule_rev,
        coming=coming,
    )


class EventMessages:
    """Render event texts and buttons in a member's language."""

    def __init__(self, texts: Texts, tz: ZoneInfo) -> None:
        self.texts = texts
        self.tz = tz

    def when(self, event: EventView, language: str) -> str:
        return format_when(event.starts_at, self.tz, language)

    def card_text(self, event: EventView, language: str, header: str = "") -> str:
        t = self.texts
        lines = [header] if header else []
        lines.append(t.get(language, "events.card.title", title=event.title))
        lines.append(t.get(language, "events.card.when", when=self.when(event, language)))
        if event.place or event.address:
            where = ", ".join(p for p in (event.place, event.address) if p)
            lines.append(t.get(language, "events.card.where", where=where))
        if event.description:
            lines.append(t.get(language, "events.card.description", text=event.description))
        if event.repeats_yearly:
            lines.append(t.get(language, "events.card.yearly"))
        if event.capacity:
            lines.append(
                t.get(
                    language, "events.card.coming_of", count=event.coming, capacity=event.capacity
                )
            )
        else:
            lines.append(t.plural(language, "events.card.coming", event.coming))
        return "\n".join(lines)

    def buttons(self, event: EventView, language: str) -> list[list[dict[str, str]]]:
        t = self.texts
        rows = [
            [
                {
                    "text": t.get(language, "events.button.yes"),
                    "data": button_data("yes", event.id),
                },
                {"text": t.get(language, "events.button.no"), "data": button_data("no", event.id)},
            ],
            [
                {
                    "text": t.get(language, "events.button.remind"),
                    "data": button_data("remind", event.id),
                },
                {
                    "text": t.get(language, "events.button.ics"),
                    "data": button_data("ics", event.id),
                },
            ],
        ]
        if event.map_url:
            rows.append([{"text": t.get(language, "events.button.map"), "url": event.map_url}])
        return rows

    def card_payload(self, event: EventView, language: str, header: str = "") -> dict[str, Any]:
        """A text payload: the card with its buttons, under an optional header."""
        return {
            "kind": "text",
            "text": self.card_text(event, language, header),
            "buttons": self.buttons(event, language),
        }

    def reminder_header(self, offset_minutes: int, language: str) -> str:
        """« ⏰ Rappel : c'est dans 7 jours » — in days, hours or minutes as it falls."""
        if offset_minutes % 1440 == 0:
            unit, count = "days", offset_minutes // 1440
        elif offset_minutes % 60 == 0:
            unit, count = "hours", offset_minutes // 60
        else:
            unit, count = "minutes", offset_minutes
        delay = self.texts.plural(language, f"events.delay.{unit}", count)
        return self.texts.get(language, "events.reminder.header", delay=delay)

    def notice_payload(self, event: EventView, language: str, key: str) -> dict[str, Any]:
        """A plain notice (cancelled) about the event."""
        text = self.texts.get(language, key, title=event.title, when=self.when(event, language))
        return {"kind": "text", "text": text}
