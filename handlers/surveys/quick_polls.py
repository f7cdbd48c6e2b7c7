"""Quick polls in a group: an organiser posts one native poll with a closing time."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import Ctx
from bot.formatting import format_clock
from bot.services.surveys.quick_polls import (
    QuickPollResults,
    QuickPollService,
    QuickPollUsage,
    QuickPollWhen,
    parse_command,
)
from handlers.access import admins_only
from handlers.common import (
    chat_of,
    is_private,
    label,
    language,
    message_of,
    query_of,
    say,
    sender,
)
from handlers.keys import parse_id
from handlers.surveys.keys import QUICK_POLL

LABEL_LIMIT = 50


@admins_only
async def post(update: Update, context: Ctx) -> None:
    """/sondage_rapide 10 [anonyme] Question ? | A | B, in a group (or a closing date first:
    « demain 9h », « dans 2 heures »)."""
    if is_private(update):
        await say(update, context, "surveys.quick_polls.private_only_groups")
        return
    message = message_of(update)
    text = (message.text or "").partition(" ")[2]
    now = datetime.now(UTC)
    try:
        draft = parse_command(text, now, context.deps.config.bot.tz)
    except QuickPollWhen as exc:
        await say(update, context, f"surveys.quick_polls.when_{exc.reason}")
        return
    except QuickPollUsage:
        await say(update, context, "surveys.quick_polls.usage")
        return
    closes_at = draft.closes_at or now + timedelta(minutes=draft.minutes)
    sent = await context.bot.send_poll(
        message.chat_id,
        question=html.escape(draft.question, quote=False),
        options=[html.escape(option, quote=False) for option in draft.options],
        is_anonymous=draft.anonymous,
        # A public poll's votes are ours already: Telegram may close it on time by itself, even
        # if the bot is down then. An anonymous one is stopped by the bot, whose stopPoll
        # answer is the only way to learn its totals.
        close_date=None if draft.anonymous else closes_at,
    )
    if sent.poll is None:
        raise RuntimeError(f"sendPoll answered message {sent.id} without a poll")
    poll = await context.deps.surveys.quick_polls.posted(
        draft, (sent.poll.id, message.chat_id, sent.id), sender(update).id, closes_at
    )
    await say(
        update,
        context,
        "surveys.quick_polls.posted",
        id=poll.id,
        closes=_local(update, context, poll),
    )


@admins_only
async def show_results(update: Update, context: Ctx) -> None:
    """/sondage_resultats <n°>: counts so far (non-anonymous) or final totals."""
    poll = await _poll_from_args(update, context, "/sondage_resultats 2")
    if poll is None:
        return
    if not poll.closed and poll.closes_at <= datetime.now(UTC):
        poll = await stop_poll(context.bot, context.deps.surveys.quick_polls, poll)
    await context.bot.send_message(message_of(update).chat_id, results_text(update, context, poll))


@admins_only
async def close_now(update: Update, context: Ctx) -> None:
    """/sondage_fermer <n°>: stop the poll now and keep Telegram's totals."""
    poll = await _poll_from_args(update, context, "/sondage_fermer 2")
    if poll is None:
        return
    if not poll.closed:
        poll = await stop_poll(context.bot, context.deps.surveys.quick_polls, poll)
    await say(update, context, "surveys.quick_polls.closed", id=poll.id)
    await context.bot.send_message(message_of(update).chat_id, results_text(update, context, poll))


def results_text(update: Update, context: Ctx, poll: QuickPollResults) -> str:
    """The quick poll's results: votes and shares per option, or when they will be known."""
    t = context.deps.t
    state = t(
        update,
        "surveys.quick_polls.state_closed" if poll.closed else "surveys.quick_polls.state_open",
    )
    lines = [
        context.deps.plural(
            update,
            "surveys.quick_polls.results_title",
            poll.voters,
            question=poll.question,
            state=state,
        )
    ]
    if not poll.totals_known:
        lines.append(
            t(
                update,
                "surveys.quick_polls.anonymous_pending",
                closes=_local(update, context, poll),
            )
        )
        return "\n".join(lines)
    for option, count, share in zip(poll.options, poll.counts, poll.percents, strict=True):
        lines.append(
            t(update, "surveys.quick_polls.option", option=option, percent=share, count=count)
        )
    return "\n".join(lines)


async def _poll_from_args(update: Update, context: Ctx, example: str) -> QuickPollResults | None:
    args = context.args or []
    if not args and await _offer(update, context, "close" if "fermer" in example else "results"):
        return None
    poll_id = parse_id(args[0]) if args else None
    if poll_id is None:
        await say(update, context, "surveys.quick_polls.usage_id", example=example)
        return None
    poll = await context.deps.surveys.quick_polls.results(poll_id)
    if poll is None:
        await say(update, context, "surveys.quick_polls.not_found", id=args[0])
    return poll


async def _offer(update: Update, context: Ctx, action: str) -> bool:
    """The chat's quick polls as buttons (the open ones to close); False when there is none."""
    polls = await context.deps.surveys.quick_polls.latest_in(
        chat_of(update).id, open_only=action == "close"
    )
    if not polls:
        return False
    rows = []
    for poll in polls:
        question = poll.question
        if len(question) > LABEL_LIMIT:
            question = question[: LABEL_LIMIT - 1].rstrip() + "…"
        text = label(
            update, context, "surveys.quick_polls.pick_label", id=poll.id, question=question
        )
        rows.append([QUICK_POLL[action].button(text, action, poll.id)])
    await say(
        update,
        context,
        f"surveys.quick_polls.pick_{action}",
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return True


@admins_only
async def on_pick(update: Update, context: Ctx) -> None:
    """A quick poll picked: its results, or closed now."""
    query = query_of(update)
    picked = next(
        (values for key in QUICK_POLL.values() if (values := key.parse(query.data))), None
    )
    await query.answer()
    poll = (
        None if picked is None else await context.deps.surveys.quick_polls.results(int(picked[1]))
    )
    if picked is None or poll is None:
        await say(
            update, context, "surveys.quick_polls.not_found", id=picked[1] if picked else "?"
        )
        return
    if picked[0] == "close" and not poll.closed:
        poll = await stop_poll(context.bot, context.deps.surveys.quick_polls, poll)
        await say(update, context, "surveys.quick_polls.closed", id=poll.id)
    elif not poll.closed and poll.closes_at <= datetime.now(UTC):
        poll = await stop_poll(context.bot, context.deps.surveys.quick_polls, poll)
    await context.bot.send_message(chat_of(update).id, results_text(update, context, poll))


async def stop_poll(
    bot: Bot, service: QuickPollService, poll: QuickPollResults
) -> QuickPollResults:
    """Close the poll in Telegram and keep its final totals (our own counts if already closed)."""
    try:
        stopped = await bot.stop_poll(poll.chat_id, poll.message_id)
        counts = [option.voter_count for option in stopped.options]
    except BadRequest:
        # Already closed by hand in Telegram, or the message was deleted: keep our own counts.
        counts = list(poll.counts)
    await service.closed(poll.id, counts)
    refreshed = await service.results(poll.id)
    return refreshed or poll


def _local(update: Update, context: Ctx, poll: QuickPollResults) -> str:
    return format_clock(poll.closes_at, context.deps.config.bot.tz, language(update, context))
