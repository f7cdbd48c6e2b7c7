"""Café réseautage: /cafe for members (join, skip, leave, pause), /cafe_ouvrir and /cafe_bilan
for organisers; the buttons of invitations, reminders and follow-ups (sent by the outbox)."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.formatting import format_day, format_when
from bot.services.french_dates import DateNotUnderstood, parse_french_datetime
from bot.services.networking.round_messages import MET_ANSWERS, RoundView
from bot.services.networking.rounds import ROUND_PAUSE_WEEKS
from handlers.access import admins_only
from handlers.common import (
    chat_of,
    edit_buttons,
    label,
    language,
    query_of,
    say,
    say_plural,
    sender,
)
from handlers.keys import Key, parse_id
from handlers.networking import round_keys as keys

_STATE_TEXT = {"joined": "joined", "skipped": "skipped", "left": "left", "": "none"}
_POOL_WORDS = {
    "rencontre": "event",
    "event": "event",
    "labo": "lab",
    "lab": "lab",
    "dep": "territory",
}


async def show_rounds(update: Update, context: Ctx) -> None:
    """/cafe: the rounds open to the member, with their answer, and the pause."""
    rounds, me = context.deps.networking.rounds, sender(update).id
    found = await rounds.open_for(me)
    paused = await rounds.paused_until(me)
    t, lang = context.deps.t, language(update, context)
    rows: list[list[InlineKeyboardButton]] = []
    lines = [t(update, "networking.round.list_header")] if found else []
    for view, state in found:
        lines.append(
            t(
                update,
                "networking.round.line",
                id=view.id,
                when=_when(context, view, lang),
                pool=_pool(context, view, lang),
                state=t(update, f"networking.round.state.{_STATE_TEXT.get(state, 'none')}"),
            )
        )
        if state != "joined":
            rows.append([keys.JOIN.button(_numbered(update, context, "join", view.id), view.id)])
        else:
            rows.append([keys.LEAVE.button(_numbered(update, context, "leave", view.id), view.id)])
    if not found:
        lines.append(t(update, "networking.round.none"))
    if paused is not None:
        lines.append(
            t(update, "networking.round.paused_line", day=format_day(paused.date(), lang))
        )
        rows.append([keys.RESUME.button(t(update, "networking.round.resume"))])
    else:
        rows.append([keys.PAUSE.button(t(update, "networking.round.pause"))])
    await context.bot.send_message(
        chat_of(update).id, "\n".join(lines), reply_markup=InlineKeyboardMarkup(rows)
    )


async def on_join(update: Update, context: Ctx) -> None:
    """« Je participe »."""
    await _choose(update, context, keys.JOIN, "joined")


async def on_skip(update: Update, context: Ctx) -> None:
    """« Je passe mon tour » (invitation or reminder)."""
    await _choose(update, context, keys.SKIP, "skipped")


async def on_leave(update: Update, context: Ctx) -> None:
    """« Je quitte ce tour »."""
    await _choose(update, context, keys.LEAVE, "left")


async def _choose(update: Update, context: Ctx, key: Key, state: str) -> None:
    query = query_of(update)
    (round_id,) = key.values(query.data)
    outcome = await context.deps.networking.rounds.choose(int(round_id), sender(update).id, state)
    text_key = f"networking.round.{state}" if outcome == "done" else f"networking.round.{outcome}"
    await query.answer(context.deps.t(update, text_key), show_alert=outcome == "no_profile")


async def on_pause(update: Update, context: Ctx) -> None:
    """« Pause 4 semaines »: no invitation, reminder nor group until then."""
    query = query_of(update)
    until = await context.deps.networking.rounds.pause(sender(update).id, ROUND_PAUSE_WEEKS)
    day = format_day(until.date(), language(update, context))
    await query.answer(context.deps.t(update, "networking.round.paused", day=day), show_alert=True)


async def on_resume(update: Update, context: Ctx) -> None:
    """« Reprendre les cafés »."""
    await context.deps.networking.rounds.resume(sender(update).id)
    await query_of(update).answer(context.deps.t(update, "networking.round.resumed"))


async def on_met(update: Update, context: Ctx) -> None:
    """« Vous êtes-vous rencontrés ? » Oui / Pas encore / Non."""
    query = query_of(update)
    round_id, code = keys.MET.values(query.data)
    recorded = await context.deps.networking.rounds.answer_met(
        int(round_id), sender(update).id, MET_ANSWERS[int(code)]
    )
    key = "networking.round.thanks" if recorded else "networking.round.not_grouped"
    await query.answer(context.deps.t(update, key))


async def on_useful(update: Update, context: Ctx) -> None:
    """« Utile » / « Pas utile »."""
    query = query_of(update)
    round_id, useful = keys.USEFUL.values(query.data)
    recorded = await context.deps.networking.rounds.answer_useful(
        int(round_id), sender(update).id, useful == "1"
    )
    key = "networking.round.thanks" if recorded else "networking.round.not_grouped"
    await query.answer(context.deps.t(update, key))


@admins_only
async def open_round(update: Update, context: Ctx) -> None:
    """/cafe_ouvrir <date> [tables de 3|4] [présentiel] [rencontre n° | labo n° | dep 29]."""
    words = list(context.args or [])
    settings = _settings(words)
    if settings is None or not words:
        await say(update, context, "networking.round.usage")
        return
    size, in_person, pool, ref = settings
    deps, lang = context.deps, language(update, context)
    try:
        starts = parse_french_datetime(" ".join(words), datetime.now(UTC), deps.config.bot.tz)
    except DateNotUnderstood:
        await say(update, context, "networking.round.usage")
        return
    if starts <= datetime.now(UTC):
        await say(
            update,
            context,
            "networking.round.past",
            when=format_when(starts, deps.config.bot.tz, lang),
        )
        return
    rounds = deps.networking.rounds
    view = await rounds.open(
        sender(update).id, starts, pool=pool, pool_ref=ref, group_size=size, in_person=in_person
    )
    count = len(await rounds.invitees(view.id))
    markup = InlineKeyboardMarkup(
        [
            [keys.INVITE.button(deps.t(update, "networking.round.invite_button"), view.id)],
            [keys.LATER.button(deps.t(update, "networking.round.later_button"), view.id)],
        ]
    )
    await say_plural(
        update,
        context,
        "networking.round.opened",
        count,
        id=view.id,
        pool=_pool(context, view, lang),
        when=_when(context, view, lang),
        size=size,
        in_person=deps.t(update, "networking.round.in_person") if in_person else "",
        reply_markup=markup if count else None,
    )


@admins_only
async def on_invite(update: Update, context: Ctx) -> None:
    """« Inviter ces personnes »: the invitations leave once, whoever presses twice."""
    query = query_of(update)
    (round_id,) = keys.INVITE.values(query.data)
    count = await context.deps.networking.rounds.invite(int(round_id))
    await query.answer()
    if count is None:
        await edit_buttons(query, None)
        await say(update, context, "networking.round.already_invited")
        return
    await edit_buttons(query, None)
    await say(update, context, "networking.round.invited", count=count)


@admins_only
async def on_later(update: Update, context: Ctx) -> None:
    """« Plus tard »: no invitation now."""
    query = query_of(update)
    await query.answer()
    await edit_buttons(query, None)
    await say(update, context, "networking.round.not_now")


@admins_only
async def show_report(update: Update, context: Ctx) -> None:
    """/cafe_bilan: per round, joined, in a group, met, found it useful."""
    rounds, lang, t = context.deps.networking.rounds, language(update, context), context.deps.t
    views = await rounds.rounds(("open", "paired", "done"))
    if not views:
        await say(update, context, "networking.round.report_none")
        return
    lines = [t(update, "networking.round.report_header")]
    rows = []
    for view in views[-10:]:
        found = await rounds.report(view.id)
        if found is None:
            continue
        _, counts = found
        lines.append(
            t(
                update,
                "networking.round.report_line",
                id=view.id,
                when=_when(context, view, lang),
                pool=_pool(context, view, lang),
                status=t(update, f"networking.round.status.{view.status}"),
                **counts,
            )
        )
        if view.status == "open":
            rows.append(
                [keys.INVITE.button(_numbered(update, context, "invite_button", view.id), view.id)]
            )
    markup = InlineKeyboardMarkup(rows) if rows else None
    await context.bot.send_message(chat_of(update).id, "\n".join(lines), reply_markup=markup)


def _settings(words: list[str]) -> tuple[int, bool, str, str] | None:
    """Pull the options out of the arguments (what remains is the date), or None if malformed."""
    size, in_person, pool, ref = 2, False, "all", ""
    lowered = [w.lower() for w in words]
    if "tables" in lowered:
        i = lowered.index("tables")
        if i + 2 >= len(words) or lowered[i + 1] != "de" or lowered[i + 2] not in {"2", "3", "4"}:
            return None
        size = int(lowered[i + 2])
        del words[i : i + 3], lowered[i : i + 3]
    for flag in ("présentiel", "presentiel", "in-person"):
        if flag in lowered:
            in_person = True
            del words[lowered.index(flag)], lowered[lowered.index(flag)]
    for word, kind in _POOL_WORDS.items():
        if word in lowered:
            i = lowered.index(word)
            number = parse_id(words[i + 1]) if i + 1 < len(words) else None
            if number is None:
                return None
            pool, ref = kind, str(number)
            del words[i : i + 2], lowered[i : i + 2]
            break
    return size, in_person, pool, ref


def _when(context: Ctx, view: RoundView, lang: str) -> str:
    return context.deps.networking.rounds.messages.when(view, lang)


def _pool(context: Ctx, view: RoundView, lang: str) -> str:
    return context.deps.networking.rounds.messages.pool(view.pool, view.pool_ref, lang)


def _numbered(update: Update, context: Ctx, action: str, round_id: int) -> str:
    """A button's label with the round's number (« ✅ Je participe · n° 3 »)."""
    text = context.deps.t(update, f"networking.round.{action}")
    return label(update, context, "networking.round.numbered", action=text, id=round_id)
