"""Event reminders kept in the database: armed at creation, fired when due, never twice.

The process is only woken at :meth:`ReminderService.next_due_at`; each :meth:`tick` reads what is
due. A reminder found after its grace window is marked "missed" and not sent; one found within
it is fired once: its sends go to the outbox under the purpose
"reminder:<event>:<offset>:<rev>", whose unique key per chat stops any second send, and which
expire at the end of the grace window too (a send still queued then is missed, not late).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from bot.services.delivery.outbox import DeliveryService, outbox_rows
from bot.services.events.messages import EventMessages
from bot.services.events.reminder_rules import ReminderSettings
from bot.services.events.views import EventView, Mine, views_of
from bot.services.events.yearly import roll_yearly
from bot.texts import Texts
from storage.db import Sessions
from storage.models import EventReminder
from storage.repositories.events import EventRepository

if TYPE_CHECKING:  # the event service builds both: no import cycle at run time
    from bot.services.events.attendance import Waitlist

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    fired: int = 0
    missed: int = 0
    planned: int = 0
    offered: int = 0


class ReminderService:
    """Fire due reminders into the outbox and say when the next one is due."""

    def __init__(
        self,
        sessions: Sessions,
        delivery: DeliveryService,
        messages: EventMessages,
        settings: ReminderSettings | None = None,
        waitlist: Waitlist | None = None,
    ) -> None:
        self._sessions = sessions
        self._waitlist = waitlist
        self._delivery = delivery
        self._messages = messages
        self.settings = settings or ReminderSettings()

    @property
    def texts(self) -> Texts:
        return self._messages.texts

    async def next_due_at(self) -> datetime | None:
        """The next reminder due, or the next place on offer to lapse if sooner."""
        async with self._sessions.begin() as session:
            due = await EventRepository(session).next_reminder_at()
        lapse = None if self._waitlist is None else await self._waitlist.next_lapse_at()
        return min((when for when in (due, lapse) if when is not None), default=None)

    async def tick(self, now: datetime, batch: int = 200) -> TickReport:
        """Fire (or mark missed) every reminder due by ``now``.

        Marking a reminder fired and planning its sends happen in one transaction, so a crash
        can neither lose nor double them. Each batch reads its events, their cards (counts,
        figures, follow-ups) and recipients in five queries and plans every send in one insert.
        """
        fired = missed = planned = 0
        offered = 0 if self._waitlist is None else await self._waitlist.tick(now)
        # Short transactions taken in turn with the delivery engine's writes: on SQLite a long
        # one would stall the sending (and the other way round) in the database's busy waits.
        async with self._delivery.exclusive(), self._sessions.begin() as session:
            await roll_yearly(session, now, self._messages.tz, self.settings)
        while True:
            async with self._delivery.exclusive(), self._sessions.begin() as session:
                repo = EventRepository(session)
                due = await repo.due_reminders(now, batch)
                ids = sorted({reminder.event_id for reminder in due})
                events = await repo.events_by_id(ids)
                views = {v.id: v for v in await views_of(repo, list(events.values()), now)}
                recipients = await repo.recipients_of(ids)
                rows: list[dict[str, object]] = []
                for reminder in due:
                    event = events.get(reminder.event_id)
                    if event is None or event.cancelled_at is not None:
                        reminder.state = "cancelled"
                        continue
                    if now - reminder.due_at > self.settings.grace:
                        reminder.state = "missed"
                        missed += 1
                        log.warning("reminder %s of event %s missed", reminder.id, event.id)
                        continue
                    reminder.state, reminder.fired_at = "fired", now
                    fired += 1
                    rows += self._rows(reminder, views[event.id], recipients.get(event.id, []))
                planned += await self._delivery.insert_in(session, rows)
            if planned:
                self._delivery.notify()
            if len(due) < batch:
                return TickReport(fired=fired, missed=missed, planned=planned, offered=offered)

    def _rows(
        self,
        reminder: EventReminder,
        view: EventView,
        recipients: list[tuple[int, str, str, str]],
    ) -> list[dict[str, object]]:
        """One card per (language, answer): each member sees their own ✅; the group chat the
        card as everyone sees it."""
        purpose = f"reminder:{view.id}:{reminder.offset_minutes}:{reminder.rev}"
        expires = reminder.due_at + self.settings.grace
        groups: dict[tuple[str, str | None], list[int]] = {}
        for member_id, chosen, telegram, answer in recipients:
            language = self.texts.pick_language(chosen, telegram)
            groups.setdefault((language, answer), []).append(member_id)
        if self.settings.group_chat_id:
            group = self.settings.group_chat_id
            groups.setdefault((self.texts.default_language, None), []).append(group)
        rows: list[dict[str, object]] = []
        for (language, choice), chat_ids in groups.items():
            header = self._messages.reminder_header(reminder.offset_minutes, language)
            seen = view if choice is None else replace(view, mine=Mine(choice, remind=True))
            payload = self._messages.card_payload(seen, language, header)
            rows += outbox_rows(purpose, chat_ids, payload, reminder.due_at, expires)
        return rows
