"""/stats written out in the reader's language: the figures as text, the chart's panels.

The text goes as the chart's caption when it fits Telegram's 1,024 UTF-16 units (one message
to read), titles shortened as much as needed down to ``SHORTEST_TITLE``; otherwise as a message
of its own, titles less shortened, before the chart (:meth:`StatsReport.compose`).
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.formatting import format_duration, format_number, format_short_day, format_when
from bot.services.stats.chart import Bar, Panel
from bot.services.stats.service import PROPOSAL_STATUSES, EventFigures, Stats, SurveyFigures
from bot.texts import CAPTION_LIMIT, Texts, shorten, visible_length

TITLE_UNITS = (40, 32, 24)  # an event's or a survey's title in the text: tried in turn
CHART_TITLE = 26  # an event's title in the chart: one line beside its bar


def fits_caption(text: str) -> bool:
    """Whether ``text`` (HTML) may go as a photo's caption, counted as Telegram counts."""
    return visible_length(text) <= CAPTION_LIMIT


class StatsReport:
    """Renders a :class:`Stats` in one language."""

    def __init__(self, texts: Texts, language: str, tz: ZoneInfo) -> None:
        self._texts, self._language, self._tz = texts, language, tz

    def _t(self, key: str, **params: object) -> str:
        return self._texts.get(self._language, key, **self._figures(params))

    def _p(self, key: str, count: int, **params: object) -> str:
        return self._texts.plural(self._language, key, count, **self._figures(params))

    def _figures(self, params: dict[str, object]) -> dict[str, object]:
        return {
            name: format_number(value, self._language)
            if isinstance(value, int) and not isinstance(value, bool)
            else value
            for name, value in params.items()
        }

    def compose(self, stats: Stats) -> tuple[str, bool]:
        """The text, and whether it goes as the chart's caption (it fits) or apart."""
        for units in TITLE_UNITS:
            text = self.text(stats, units)
            if fits_caption(text):
                return text, True
        return self.text(stats, TITLE_UNITS[0]), False

    def text(self, stats: Stats, title_units: int = TITLE_UNITS[0]) -> str:
        """Every figure, one block per subject; titles shortened to ``title_units``."""
        m = stats.members
        lines = [
            self._t("stats.title"),
            self._t(
                "stats.catalogue",
                labs=stats.labs,
                innovations=stats.innovations,
                events=stats.events_held,
            ),
            "",
            self._p("stats.members", m.active, total=m.total),
            self._p("stats.blocked", m.blocked),
            "",
            self._t("stats.proposals", **stats.proposals),
            "",
            *self._events(stats.upcoming, title_units),
            "",
            self._t("stats.surveys.title", open=stats.surveys_open, closed=stats.surveys_closed),
            *(self._survey(survey, title_units) for survey in stats.surveys),
            "",
            self._t("stats.leader.title"),
            self._outbox(stats),
            self._intake(stats),
            self._leader(stats),
        ]
        return "\n".join(lines)

    def _events(self, events: tuple[EventFigures, ...], units: int) -> list[str]:
        if not events:
            return [self._t("stats.events.none")]
        return [self._t("stats.events.title"), *(self._event(event, units) for event in events)]

    def _event(self, event: EventFigures, units: int) -> str:
        coming: object = event.coming
        if event.capacity is not None:
            coming = self._t("stats.events.coming_of", count=event.coming, capacity=event.capacity)
        return self._t(
            "stats.events.line",
            day=format_short_day(event.starts_at, self._tz, self._language),
            title=shorten(event.title, units),
            coming=coming,
            maybe=event.maybe,
            waiting=event.waiting,
        )

    def _survey(self, survey: SurveyFigures, units: int) -> str:
        state = self._t("stats.surveys.open" if survey.open else "stats.surveys.closed")
        title = shorten(survey.title, units)
        rate = survey.response_rate
        if rate is None:
            return self._p("stats.surveys.answers", survey.respondents, title=title, state=state)
        return self._t(
            "stats.surveys.rate",
            title=title,
            state=state,
            rate=rate,
            respondents=survey.respondents,
            invited=survey.invited,
        )

    def _outbox(self, stats: Stats) -> str:
        if not stats.outbox_depth:
            return self._t("stats.outbox.empty")
        line = self._p("stats.outbox.count", stats.outbox_depth)
        if stats.outbox_late is not None:
            line += self._t("stats.outbox.late", age=self._age(stats.outbox_late))
        return line

    def _intake(self, stats: Stats) -> str:
        if not stats.intake_waiting or stats.intake_lag is None:
            return self._t("stats.intake.empty")
        return self._p(
            "stats.intake.waiting", stats.intake_waiting, age=self._age(stats.intake_lag)
        )

    def _leader(self, stats: Stats) -> str:
        leader = stats.leader
        if leader.single:
            return self._t("stats.leader.single", instance=leader.instance)
        if not leader.instance:
            return self._t("stats.leader.none")
        if leader.expired or leader.since is None:
            return self._t("stats.leader.expired", instance=leader.instance, epoch=leader.epoch)
        since = format_when(leader.since, self._tz, self._language)
        return self._t(
            "stats.leader.ha", instance=leader.instance, epoch=leader.epoch, since=since
        )

    def _age(self, age: timedelta) -> str:
        return format_duration(age, self._language)

    # --- the chart -------------------------------------------------------------------------

    def panels(self, stats: Stats) -> tuple[Panel, ...]:
        """Members, proposals by status, the next gatherings (coming, maybe, waiting)."""
        m = stats.members
        members = Panel(
            self._plain("stats.chart.members"),
            tuple(
                Bar(self._plain(f"stats.chart.{name}"), (value,), self._number(value))
                for name, value in (
                    ("total", m.total),
                    ("active", m.active),
                    ("blocked", m.blocked),
                )
            ),
        )
        proposals = Panel(
            self._plain("stats.chart.proposals"),
            tuple(
                Bar(
                    self._plain(f"stats.status.{status}"),
                    (stats.proposals[status],),
                    self._number(stats.proposals[status]),
                )
                for status in PROPOSAL_STATUSES
            ),
        )
        events = Panel(
            self._plain("stats.chart.events"),
            tuple(self._event_bar(event) for event in stats.upcoming),
            series=tuple(self._plain(f"stats.chart.{s}") for s in ("coming", "maybe", "waiting")),
            empty=self._plain("stats.chart.no_events"),
        )
        return (members, proposals, events)

    def _event_bar(self, event: EventFigures) -> Bar:
        coming = self._number(event.coming)
        shown = coming if event.capacity is None else f"{coming} / {self._number(event.capacity)}"
        label = self._plain(
            "stats.chart.event",
            day=format_short_day(event.starts_at, self._tz, self._language),
            title=shorten(event.title, CHART_TITLE),
        )
        return Bar(label, (event.coming, event.maybe, event.waiting), shown, event.capacity)

    def _plain(self, key: str, **params: object) -> str:
        """A catalogue text for the picture: no HTML, so no escaping either."""
        template = self._texts.raw(self._language, key)
        return template.format(**params) if params else template

    def _number(self, value: int) -> str:
        return format_number(value, self._language)
