"""Organisers' survey commands: create, schedule, open, close, list, export (all guarded).

Typed bare, each offers its choices as buttons (handlers/surveys/pickers.py); the buttons below
do what the typed form does. Dates are the events' French grammar (« demain 9h », « lundi
14h30 », « 13/02 14h », « dans 2 heures »; « 2027-03-13 09:00 » still works).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Update

from bot.context import Ctx
from bot.formatting import format_when
from bot.services.catalogue.qr_codes import png as qr_png
from bot.services.french_dates import DateNotUnderstood, parse_french_datetime
from bot.services.surveys.exports import NamedExportRefused
from bot.services.surveys.planning import (
    NoEvent,
    SurveyClosed,
    SurveyInfo,
    SurveyInPast,
    SurveyNotFound,
)
from bot.services.surveys.templates import SurveySpecError, parse_spec, template
from handlers.access import admins_only
from handlers.common import language, message_of, query_of, say, say_plural, sender
from handlers.surveys import pickers
from handlers.surveys.keys import CLOSE, EXPORT, GO, NEW, PICK, SCHEDULE
from handlers.surveys.results import show_survey

MAX_FILE_BYTES = 64 * 1024
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def survey_number(text: str) -> int | None:
    """A survey's number as typed (a small local parser: digits only, 9 at most)."""
    text = text.strip().lstrip("#").removeprefix("n°").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


def _survey_id(context: Ctx) -> int | None:
    args = context.args or []
    return survey_number(args[0]) if args else None


async def _usage(update: Update, context: Ctx, example: str) -> None:
    await say(update, context, "surveys.admin.usage_id", example=example)


@admins_only
async def create(update: Update, context: Ctx) -> None:
    """/enquete_creer <événement>: a draft from the 2013 questionnaire, for that event (its
    number, its title or its slug); bare: the events as buttons."""
    args = context.args or []
    if not args:
        await pickers.offer_events(update, context)
        return
    await _create(update, context, " ".join(args), template())


@admins_only
async def on_new(update: Update, context: Ctx) -> None:
    """An event picked for a new survey: a draft from the 2013 questionnaire."""
    query = query_of(update)
    (event_id,) = NEW.values(query.data)
    await query.answer()
    await _create(update, context, event_id, template())


@admins_only
async def create_from_file(update: Update, context: Ctx) -> None:
    """A .toml file captioned /enquete_creer <événement>: a draft from that file."""
    message = message_of(update)
    words = (message.caption or "").split()
    document = message.document
    if len(words) < 2 or document is None or (document.file_size or 0) > MAX_FILE_BYTES:
        await say(update, context, "surveys.admin.usage_create")
        return
    content = await (await context.bot.get_file(document.file_id)).download_as_bytearray()
    try:
        spec = parse_spec(bytes(content).decode("utf-8"))
    except (SurveySpecError, UnicodeDecodeError) as exc:
        await say(update, context, "surveys.admin.bad_file", error=str(exc))
        return
    await _create(update, context, " ".join(words[1:]), spec)


async def _create(update: Update, context: Ctx, slug: str, spec: Any) -> None:
    try:
        info = await context.deps.surveys.planning.create(spec, slug, sender(update).id)
    except NoEvent:
        await say(update, context, "surveys.admin.no_event", slug=slug)
        return
    await say_plural(
        update,
        context,
        "surveys.admin.created",
        info.questions,
        id=info.id,
        title=info.title,
        event=info.event_title or "—",
    )


@admins_only
async def schedule(update: Update, context: Ctx) -> None:
    """/enquete_planifier <n°> [date]: invite those who came (default: 9:00 the morning after
    the event, Paris time); bare: the surveys as buttons."""
    args = context.args or []
    survey_id = _survey_id(context)
    if not args:
        await pickers.offer_surveys(update, context, "schedule")
        return
    if survey_id is None:
        await _usage(update, context, pickers.COMMAND_OF["schedule"])
        return
    when = None
    if len(args) > 1:
        typed = " ".join(args[1:])
        tz = context.deps.config.bot.tz
        try:
            if ISO_DATE.match(typed):
                when = datetime.fromisoformat("T".join(args[1:3])).replace(tzinfo=tz)
            else:
                when = parse_french_datetime(typed, datetime.now(UTC), tz)
        except (ValueError, DateNotUnderstood):
            await say(update, context, "surveys.admin.bad_date")
            return
    await _schedule(update, context, survey_id, when)


async def _schedule(update: Update, context: Ctx, survey_id: int, when: datetime | None) -> None:
    texts = context.deps.texts

    def invitation(chosen: str, telegram: str, event: str) -> dict[str, Any]:
        language = texts.pick_language(chosen, telegram)
        button = {"text": texts.get(language, "surveys.answer_button"), "data": GO.data(survey_id)}
        text = texts.get(language, "surveys.invitation", event=event)
        return {"kind": "text", "text": text, "buttons": [[button]]}

    tz, lang = context.deps.config.bot.tz, language(update, context)
    try:
        info = await context.deps.surveys.planning.schedule(survey_id, invitation, when)
    except SurveyNotFound:
        await say(update, context, "surveys.admin.not_found", id=survey_id)
        return
    except NoEvent:
        await say(update, context, "surveys.admin.needs_event")
        return
    except SurveyClosed:
        await say(update, context, "surveys.admin.already_closed", id=survey_id)
        return
    except SurveyInPast as exc:
        key = "surveys.admin.past_default" if exc.default else "surveys.admin.past"
        await say(update, context, key, id=survey_id, when=format_when(exc.when, tz, lang))
        return
    if info.scheduled_for is None:
        raise RuntimeError(f"survey {info.id} was scheduled without a time")
    shown = format_when(info.scheduled_for, tz, lang)
    if info.invited == 0:
        await say(
            update,
            context,
            "surveys.admin.scheduled_nobody",
            id=info.id,
            when=shown,
            event=info.event_title,
        )
        return
    await say_plural(
        update,
        context,
        "surveys.admin.scheduled",
        info.invited,
        id=info.id,
        when=shown,
        event=info.event_title,
    )


@admins_only
async def open_to_all(update: Update, context: Ctx) -> None:
    """/enquete_ouvrir <n°>: anyone with the link (or its QR code) may answer."""
    survey_id = _survey_id(context)
    if not context.args:
        await pickers.offer_surveys(update, context, "open")
        return
    if survey_id is None:
        await _usage(update, context, "/enquete_ouvrir 3")
        return
    await _open(update, context, survey_id)


async def _open(update: Update, context: Ctx, survey_id: int) -> None:
    try:
        info = await context.deps.surveys.planning.open_to_all(survey_id)
    except SurveyNotFound:
        await say(update, context, "surveys.admin.not_found", id=survey_id)
        return
    link = f"https://t.me/{context.bot.username}?start=survey-{info.id}"
    await say(update, context, "surveys.admin.opened", id=info.id, link=link)
    # A document, not a photo: Telegram would recompress a photo and blur it for printing.
    await context.bot.send_document(
        message_of(update).chat_id,
        InputFile(qr_png(link), filename=f"qr-survey-{info.id}.png"),
    )


@admins_only
async def close(update: Update, context: Ctx) -> None:
    """/enquete_cloturer <n°> [public]: no more answers; « public » shows results to all."""
    survey_id = _survey_id(context)
    if not context.args:
        await pickers.offer_surveys(update, context, "close")
        return
    if survey_id is None:
        await _usage(update, context, "/enquete_cloturer 3 public")
        return
    public = any(arg.casefold() in {"public", "publique"} for arg in (context.args or [])[1:])
    await _close(update, context, survey_id, public=public)


async def _close(update: Update, context: Ctx, survey_id: int, *, public: bool) -> None:
    try:
        info = await context.deps.surveys.planning.close(survey_id, public=public)
    except SurveyNotFound:
        await say(update, context, "surveys.admin.not_found", id=survey_id)
        return
    key = "surveys.admin.closed_public" if public else "surveys.admin.closed"
    await say(update, context, key, id=info.id)


@admins_only
async def list_surveys(update: Update, context: Ctx) -> None:
    """/enquetes: the newest surveys with their number and status."""
    infos = await context.deps.surveys.planning.latest()
    if not infos:
        await say(update, context, "surveys.admin.list_empty")
        return
    lines = [context.deps.t(update, "surveys.admin.list_title")]
    lines += [_line(update, context, info) for info in infos]
    await context.bot.send_message(message_of(update).chat_id, "\n".join(lines))


def _line(update: Update, context: Ctx, info: SurveyInfo) -> str:
    status = context.deps.t(update, f"surveys.admin.status_{info.status}")
    return context.deps.t(
        update,
        "surveys.admin.list_line",
        id=info.id,
        title=info.title,
        event=info.event_title or "—",
        status=status,
    )


@admins_only
async def export(update: Update, context: Ctx) -> None:
    """/enquete_export <n°> [csv|json] [nominatif]: the responses as a file.

    The file always goes to the organiser's private chat, even when asked in a group: answers
    are not for every member of the group to download.
    """
    survey_id = _survey_id(context)
    if not context.args:
        await pickers.offer_surveys(update, context, "export")
        return
    if survey_id is None:
        await _usage(update, context, "/enquete_export 3 csv")
        return
    words = {arg.casefold() for arg in (context.args or [])[1:]}
    fmt = "json" if "json" in words else "csv"
    named = bool(words & {"nominatif", "named"})
    await _export(update, context, survey_id, fmt, named=named)


async def _export(
    update: Update, context: Ctx, survey_id: int, fmt: str, *, named: bool = False
) -> None:
    try:
        result = await context.deps.surveys.exports.export(survey_id, fmt, named=named)
    except NamedExportRefused:
        await say(update, context, "surveys.admin.named_refused")
        return
    if result is None:
        await say(update, context, "surveys.admin.not_found", id=survey_id)
        return
    caption = (
        context.deps.plural(
            update, "surveys.admin.export_caption", result.rows, filename=result.filename
        )
        + "\n"
        + context.deps.t(update, "surveys.results.counting")
    )
    await context.bot.send_document(
        sender(update).id,
        InputFile(result.content, filename=result.filename),
        caption=caption,
    )


@admins_only
async def on_pick(update: Update, context: Ctx) -> None:
    """A survey picked for an action: done at once (open, results) or its last choice asked."""
    query = query_of(update)
    action, survey_id = _picked(query.data)
    await query.answer()
    t = context.deps.t
    number = int(survey_id)
    if action == "open":
        await _open(update, context, number)
    elif action == "results":
        await show_survey(update, context, number)
    elif action == "schedule":
        button = SCHEDULE.button(t(update, "surveys.admin.schedule_default"), number)
        await say(
            update,
            context,
            "surveys.admin.ask_schedule",
            id=number,
            reply_markup=InlineKeyboardMarkup([[button]]),
        )
    elif action == "close":
        rows = [
            [CLOSE.button(t(update, "surveys.admin.close_private"), number, 0)],
            [CLOSE.button(t(update, "surveys.admin.close_public"), number, 1)],
        ]
        await say(
            update,
            context,
            "surveys.admin.ask_close",
            id=number,
            reply_markup=InlineKeyboardMarkup(rows),
        )
    else:
        row = [EXPORT.button("CSV", number, "csv"), EXPORT.button("JSON", number, "json")]
        await say(
            update,
            context,
            "surveys.admin.ask_export",
            id=number,
            reply_markup=InlineKeyboardMarkup([row]),
        )


def _picked(data: str | None) -> tuple[str, str]:
    for key in PICK.values():
        if (values := key.parse(data)) is not None:
            return values[0], values[1]
    raise ValueError(f"{data!r} is not a survey picker button")


@admins_only
async def on_schedule_default(update: Update, context: Ctx) -> None:
    """« Le lendemain de la rencontre à 9 h »: invitations at the default time."""
    query = query_of(update)
    (survey_id,) = SCHEDULE.values(query.data)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _schedule(update, context, int(survey_id), None)


@admins_only
async def on_close(update: Update, context: Ctx) -> None:
    """« Clore » or « Clore et publier les résultats »."""
    query = query_of(update)
    survey_id, public = CLOSE.values(query.data)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _close(update, context, int(survey_id), public=public == "1")


@admins_only
async def on_export(update: Update, context: Ctx) -> None:
    """« CSV » or « JSON »: the anonymous export, in the organiser's private chat."""
    query = query_of(update)
    survey_id, fmt = EXPORT.values(query.data)
    await query.answer()
    await _export(update, context, int(survey_id), fmt)
