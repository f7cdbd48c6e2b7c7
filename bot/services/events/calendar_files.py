"""« Ajouter à mon agenda »: an RFC 5545 .ics file, Europe/Paris with its DST rules; its
VCALENDAR and VEVENT also make the calendar feeds (calendar_feeds.py).

The UID is stable per event, and SEQUENCE is the event's schedule revision, so a calendar that
imports the file again updates the same entry (moved or cancelled) instead of adding one.
An event without an end is given two hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.services.events.views import EventView

if TYPE_CHECKING:
    from icalendar import Calendar
    from icalendar import Event as IcsEvent

DEFAULT_LENGTH = timedelta(hours=2)
# The EU rule (since 1996): summer time from the last Sunday of March 02:00 to the last Sunday
# of October 03:00. Written as RRULEs so it holds for every year, unlike a list of dates.
PARIS_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19810329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19961027T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""
UID_DOMAIN = "innovdeizh.bzh"


def event_uid(event_id: int) -> str:
    """The event's stable calendar UID, the same in every file sent for it."""
    return f"event-{event_id}@{UID_DOMAIN}"


def ics_filename(event: EventView) -> str:
    """The file name a member's calendar app sees for the event."""
    return f"innovdeizh-{event.id}.ics"


def event_ics(event: EventView, tz: ZoneInfo, stamp: datetime) -> bytes:
    """The calendar file of one event, times in ``tz`` (with its VTIMEZONE)."""
    calendar = new_calendar(tz, "CANCEL" if event.cancelled else "PUBLISH")
    calendar.add_component(event_entry(event, tz, stamp))
    return bytes(calendar.to_ical())


def new_calendar(tz: ZoneInfo, method: str) -> Calendar:
    """An empty VCALENDAR with ``tz``'s VTIMEZONE, for one file or a feed."""
    # Imported on first use: icalendar weighs 3 MiB, and most bot processes never send a file.
    from icalendar import Calendar, Timezone  # noqa: PLC0415

    calendar = Calendar()
    calendar.add("prodid", "-//Innov'Deizh//Bot//FR")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    if str(tz) == "Europe/Paris":
        calendar.add_component(Timezone.from_ical(PARIS_VTIMEZONE.replace("\n", "\r\n")))
    else:
        calendar.add_missing_timezones()
    return calendar


def event_entry(
    event: EventView, tz: ZoneInfo, stamp: datetime, *, summary: str = "", url: str = ""
) -> IcsEvent:
    """The VEVENT of one event: the same UID and SEQUENCE in the file and in the feeds."""
    from icalendar import Event  # noqa: PLC0415

    entry = Event()
    entry.add("uid", event_uid(event.id))
    entry.add("sequence", event.schedule_rev)
    entry.add("dtstamp", stamp)
    entry.add("summary", summary or event.title)
    start = event.starts_at.astimezone(tz)
    end = (event.ends_at or event.starts_at + DEFAULT_LENGTH).astimezone(tz)
    entry.add("dtstart", start)
    entry.add("dtend", end)
    if event.where:
        entry.add("location", event.where)
    if event.description:
        entry.add("description", event.description)
    if url:
        entry.add("url", url)
    if event.repeats_yearly:
        entry.add("rrule", {"freq": "yearly"})
    entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return entry
