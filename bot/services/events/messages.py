"""The one event card: its text and buttons in a member's language, reminders and notices.

Telegram-free on purpose: the same card goes into the outbox (new-event notices, moves,
reminders) and is shown by handlers/events/cards.py (which adds the navigation row). Buttons
carry "events:<action>:<event id>" callback data, built here and read by handlers/events/keys.py
(a test checks the two agree).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.formatting import format_number, format_span, format_when
from bot.services.events.views import EventView
from bot.texts import Texts

# Follow-up kinds of the collection (storage/seed/catalogue.toml), each under its own heading.
FOLLOW_UP_KINDS = ("proposal", "platform")
Rows = list[list[dict[str, str]]]


def button_data(action: str, event_id: int) -> str:
    """Callback data of an event button (ids only, far below 64 bytes)."""
    return f"events:{action}:{event_id}"


class EventMessages:
    """Render the event card, reminders and notices in a member's language."""

    def __init__(self, texts: Texts, tz: ZoneInfo) -> None:
        self.texts = texts
        self.tz = tz

    def when(self, event: EventView, language: str) -> str:
        """The one date style of every event text (bot/services/french_dates.py)."""
        return format_when(event.starts_at, self.tz, language)

    def card_text(self, event: EventView, language: str, header: str = "") -> str:
        """Title, date, place, then the description, the figures and the follow-ups."""
        t = self.texts
        head = [header] if header else []
        head.append(t.get(language, "events.card.title", title=event.title))
        # The card gives the span (« … à 9 h – 17 h 30 »); reminders and notices the start.
        span = format_span(event.starts_at, event.ends_at, self.tz, language)
        head.append(t.get(language, "events.card.when", when=span))
        if event.where:
            head.append(t.get(language, "events.card.where", where=event.where))
        if event.repeats_yearly:
            head.append(t.get(language, "events.card.yearly"))
        head += self._attendance(event, language)
        blocks = ["\n".join(head)]
        if event.description:
            blocks.append(t.get(language, "events.card.description", text=event.description))
        if event.figures:
            lines = [t.get(language, "events.card.figures")]
            lines += (
                t.get(
                    language,
                    "events.card.figure_more_than" if f.more_than else "events.card.figure",
                    label=f.label,
                    value=format_number(f.value, language),
                    unit=f.unit,
                )
                for f in event.figures
            )
            blocks.append("\n".join(lines))
        blocks += self.follow_ups(event, language)
        return "\n\n".join(blocks)

    def _attendance(self, event: EventView, language: str) -> list[str]:
        t = self.texts
        if event.cancelled:
            return [t.get(language, "events.card.cancelled")]
        if not event.upcoming:
            return [t.plural(language, "events.card.came", event.coming)] if event.coming else []
        if event.capacity:
            return [
                t.get(
                    language, "events.card.coming_of", count=event.coming, capacity=event.capacity
                )
            ]
        return [t.plural(language, "events.card.coming", event.coming)]

    def follow_ups(self, event: EventView, language: str) -> list[str]:
        """The event's follow-ups, one block per kind under its heading (card, FAQ)."""
        groups: dict[str, list[str]] = {}
        for follow_up in event.follow_ups:
            kind = follow_up.kind if follow_up.kind in FOLLOW_UP_KINDS else "other"
            item = self.texts.get(language, "events.card.item", text=follow_up.text)
            groups.setdefault(kind, []).append(item)
        return [
            "\n".join([self.texts.get(language, f"events.card.follow_ups.{kind}"), *items])
            for kind, items in groups.items()
        ]

    def buttons(self, event: EventView, language: str) -> Rows:
        """The answers (« Je viens »…, .ics) while they make sense, then the map if any."""
        t = self.texts

        def answer(name: str) -> dict[str, str]:
            label = t.get(language, f"events.button.{name}")
            return {"text": label, "data": button_data(name, event.id)}

        rows = (
            [[answer("yes"), answer("no")], [answer("remind"), answer("ics")]]
            if event.takes_answers
            else []
        )
        if event.map_url:
            rows.append([{"text": t.get(language, "events.button.map"), "url": event.map_url}])
        return rows

    def card_payload(self, event: EventView, language: str, header: str = "") -> dict[str, Any]:
        """A text payload for the outbox: the card with its buttons, under an optional header."""
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
