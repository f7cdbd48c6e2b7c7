"""Organisers' survey commands: create, schedule, open, close, list, export (all guarded)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import InputFile, Update

from bot.context import Ctx
from bot.formatting import format_when
from bot.services.catalogue.qr_codes import png as qr_png
from bot.services.surveys.exports import NamedExportRefused
from bot.services.surveys.planning import NoEvent, SurveyClosed, SurveyInfo, SurveyNotFound
from bot.services.surveys.templates import SurveySpecError, parse_spec, template
from handlers.access import admins_only
from handlers.common import language, message_of, say, say_plural, sender
from handlers.surveys.keys import GO

MAX_FILE_BYTES = 64 * 1024


def _survey_id(context: Ctx) -> int | None:
    args = context.args or []
    return int(args[0]) if args and args[0].isdigit() else None


async def _usage(update: Update, context: Ctx, example: str) -> None:
    await say(update, context, "surveys.admin.usage_id", example=example)


@admins_only
async def create(update: Update, context: Ctx) -> None:
    """/enquete_creer <événement>: a draft from the 2013 questionnaire, for that event."""
    args = context.args or []
    if not args:
        await say(update, context, "surveys.admin.usage_create")
        return
    await _create(update, context, args[0], template())


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
    await _create(update, context, words[1], spec)


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
    """/enquete_planifier <n°> [AAAA-MM-JJ HH:MM]: invite those who came (default: 9:00 the
    morning after the event, Paris time)."""
    survey_id = _survey_id(context)
    if survey_id is None:
        await _usage(update, context, "/enquete_planifier 3")
        return
    when = None
    if len(context.args or []) > 1:
        try:
            local = datetime.fromisoformat("T".join((context.args or [])[1:3]))
        except ValueError:
            await say(update, context, "surveys.admin.bad_date")
            return
        when = local.replace(tzinfo=context.deps.config.bot.tz)
    texts = context.deps.texts

    def invitation(chosen: str, telegram: str, event: str) -> dict[str, Any]:
        language = texts.pick_language(chosen, telegram)
        button = {"text": texts.get(language, "surveys.answer_button"), "data": GO.data(survey_id)}
        text = texts.get(language, "surveys.invitation", event=event)
        return {"kind": "text", "text": text, "buttons": [[button]]}

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
    if info.scheduled_for is None:
        raise RuntimeError(f"survey {info.id} was scheduled without a time")
    await say_plural(
        update,
        context,
        "surveys.admin.scheduled",
        info.invited,
        id=info.id,
        when=format_when(
            info.scheduled_for, context.deps.config.bot.tz, language(update, context)
        ),
        event=info.event_title,
    )


@admins_only
async def open_to_all(update: Update, context: Ctx) -> None:
    """/enquete_ouvrir <n°>: anyone with the link (or its QR code) may answer."""
    survey_id = _survey_id(context)
    if survey_id is None:
        await _usage(update, context, "/enquete_ouvrir 3")
        return
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
    if survey_id is None:
        await _usage(update, context, "/enquete_cloturer 3 public")
        return
    public = any(arg.casefold() in {"public", "publique"} for arg in (context.args or [])[1:])
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
    if survey_id is None:
        await _usage(update, context, "/enquete_export 3 csv")
        return
    words = {arg.casefold() for arg in (context.args or [])[1:]}
    fmt = "json" if "json" in words else "csv"
    named = bool(words & {"nominatif", "named"})
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
