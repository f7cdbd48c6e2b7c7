"""Survey results as catalogue texts: the French-style summary lines and the chart's labels."""

from __future__ import annotations

import textwrap

from bot.formatting import format_number
from bot.services.surveys.charts import ChartLabels
from bot.services.surveys.results import QuestionResult, SurveyResults
from bot.texts import Texts

MAX_COMMENTS = 12
MAX_COMMENT_CHARS = 280
MESSAGE_LIMIT = 4000  # Telegram allows 4096 characters; keep room for the entities


def results_messages(texts: Texts, lang: str, results: SurveyResults) -> list[str]:
    """The results, split into messages that fit Telegram's limit."""
    t = texts.get
    lines = [t(lang, "surveys.results.header", title=results.title)]
    if results.event_title:
        lines.append(t(lang, "surveys.results.event", event=results.event_title))
    responses = texts.plural(lang, "surveys.results.respondents", results.respondents)
    if results.response_rate is not None:
        lines.append(
            t(
                lang,
                "surveys.results.respondents_rate",
                responses=responses,
                invited=texts.plural(lang, "surveys.results.invited", results.invited),
                rate=results.response_rate,
            )
        )
    else:
        lines.append(responses)
    if not results.respondents:
        lines.append(t(lang, "surveys.results.none"))
        return ["\n".join(lines)]
    for question in results.questions:
        lines.append("")
        lines.extend(question_lines(texts, lang, question, results.previous_title))
    lines += ["", t(lang, "surveys.results.rounding"), t(lang, "surveys.results.counting")]
    return _split(lines)


def question_lines(texts: Texts, lang: str, q: QuestionResult, previous: str) -> list[str]:
    """One question: its name and n, then its summary and distribution (or comments)."""
    t = texts.get
    label = q.label or q.prompt
    if q.kind == "text":
        n = q.answered
        lines = [texts.plural(lang, "surveys.results.comments", n, label=label, n=n)]
        for comment in q.comments[:MAX_COMMENTS]:
            short = textwrap.shorten(comment, MAX_COMMENT_CHARS, placeholder="…")
            lines.append(t(lang, "surveys.results.comment", text=short))
        if len(q.comments) > MAX_COMMENTS:
            more = len(q.comments) - MAX_COMMENTS
            lines.append(texts.plural(lang, "surveys.results.more_comments", more))
        return lines
    lines = [t(lang, "surveys.results.question", label=label, n=q.answered)]
    if q.satisfied is not None:
        lines.append("  " + satisfaction_summary(texts, lang, q))
        if q.delta is not None:
            sign = "+" if q.delta >= 0 else "−"
            lines.append(
                "  "
                + t(
                    lang, "surveys.results.delta", sign=sign, delta=abs(q.delta), previous=previous
                )
            )
    if q.mean is not None:
        mean = format_number(q.mean, lang, decimals=1)
        lines.append(t(lang, "surveys.results.score", mean=mean))
    if q.answered and q.kind != "score":
        for option, count, share in zip(q.options, q.counts, q.percents, strict=True):
            lines.append(
                t(lang, "surveys.results.option", option=option, percent=share, count=count)
            )
    return lines


def satisfaction_summary(texts: Texts, lang: str, q: QuestionResult) -> str:
    """« 89 % de satisfaits, dont 62 % tout à fait »."""
    return texts.get(lang, "surveys.results.satisfaction", satisfied=q.satisfied, fully=q.fully)


def chart_labels(texts: Texts, lang: str, results: SurveyResults) -> ChartLabels:
    """The picture's texts, in the reader's language (the scale is the survey's own)."""
    scale = results.satisfaction[0].options if results.satisfaction else ()
    return ChartLabels(
        title=texts.raw(lang, "surveys.results.chart_title").format(title=results.title),
        scale=scale,
        count=texts.raw(lang, "surveys.results.chart_count"),
        satisfied=texts.raw(lang, "surveys.results.chart_satisfied"),
    )


def _split(lines: list[str]) -> list[str]:
    messages: list[str] = []
    current: list[str] = []
    for line in lines:
        if current and len("\n".join([*current, line])) > MESSAGE_LIMIT:
            messages.append("\n".join(current).strip())
            current = []
        current.append(line)
    messages.append("\n".join(current).strip())
    return messages
