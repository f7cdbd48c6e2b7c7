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

    def card_text(
        self, event: EventView, language: str, header: str = "", *, organiser: bool = False
    ) -> str:
        """Title, date, place, who comes (the member's own answer, organisers' counts), then
        the description, the figures and the follow-ups."""
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
        head += self._mine(event, language)
        if organiser and event.takes_answers:
            head.append(self.organiser_summary(event, language))
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
            line = t.plural(
                language, "events.card.coming_of", event.taken, capacity=event.capacity
            )
            if event.waiting:
                line += t.plural(language, "events.card.waiting", event.waiting)
            elif event.full:
                line += t.get(language, "events.card.full")
        else:
            line = t.plural(language, "events.card.coming", event.coming)
        if event.maybe:
            line += t.plural(language, "events.card.maybe", event.maybe)
        return [line]

    def _mine(self, event: EventView, language: str) -> list[str]:
        """The member's own answer, in words (their button carries the ✅ too)."""
        mine = event.mine
        if mine is None or not mine.answer or not event.takes_answers:
            return []
        until = (
            "" if mine.offer_until is None else format_when(mine.offer_until, self.tz, language)
        )
        return [
            self.texts.get(
                language, f"events.card.mine.{mine.answer}", position=mine.position, until=until
            )
        ]

    def organiser_summary(self, event: EventView, language: str) -> str:
        """« 🗂 Organisation : 10 viennent · 3 peut-être · 2 en liste d'attente · 4 non »."""
        t = self.texts
        counts = [
            t.plural(language, "events.organiser.coming", event.coming),
            t.plural(language, "events.organiser.maybe", event.maybe),
            t.plural(language, "events.organiser.waiting", event.waiting),
        ]
        if event.offered:
            counts.append(t.plural(language, "events.organiser.offered", event.offered))
        counts.append(t.plural(language, "events.organiser.declined", event.declined))
        return t.get(language, "events.organiser.summary", counts=" · ".join(counts))

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
        """The answers while they make sense (✅ on the member's own), then the map if any.

        « Je viens » reads « Liste d'attente » once the event is full, « Je prends la place »
        when a freed place is held for the member; « Me rappeler » is a toggle of its own.
        """
        t = self.texts
        mine = event.mine
        answer_of = mine.answer if mine is not None else ""

        def button(action: str, label: str, chosen: bool = False) -> dict[str, str]:
            if chosen:
                label = t.get(language, "events.button.chosen", label=label)
            return {"text": label, "data": button_data(action, event.id)}

        rows: Rows = []
        if event.takes_answers:
            if answer_of == "offer":
                yes = button("yes", t.get(language, "events.button.offer"))
            elif answer_of == "wait" and mine is not None:
                waiting = t.get(language, "events.button.waiting", position=mine.position)
                yes = button("yes", waiting, chosen=True)
            elif event.full and answer_of != "yes":
                yes = button("yes", t.get(language, "events.button.waitlist"))
            else:
                yes = button("yes", t.get(language, "events.button.yes"), answer_of == "yes")
            maybe = button("maybe", t.get(language, "events.button.maybe"), answer_of == "maybe")
            no = button("no", t.get(language, "events.button.no"), answer_of == "no")
            reminded = mine is not None and mine.remind
            remind = button(
                "remind",
                t.get(language, "events.button.remind_on" if reminded else "events.button.remind"),
            )
            rows = [
                [yes, maybe, no],
                [remind, button("ics", t.get(language, "events.button.ics"))],
            ]
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
