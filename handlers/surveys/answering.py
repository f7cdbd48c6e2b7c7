"""Answering a survey in a private chat: native polls one at a time, free text, « passer ».

The conversation is keyed by member only (``per_chat=False``): a poll_answer update carries
the voter but no chat, and it must reach the conversation to move on to the next question.
Where the member stands is in the database (the service), so the persisted state only says
"answering"; a restart resumes at the next unanswered question.
"""

from __future__ import annotations

import html
import re
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.context import Ctx
from bot.services.surveys.answering import Outcome, Step
from bot.texts import Markup
from handlers import fallback
from handlers.common import message_of, query_of, say, sender
from handlers.dialogues import cancel_command, dialogue
from handlers.surveys.keys import GO

END = ConversationHandler.END


class State(StrEnum):
    ANSWERING = "surveys.answering"


def answer_button(update: Update | None, context: Ctx, survey_id: int) -> InlineKeyboardMarkup:
    """« Répondre »: the button that opens the survey's questions."""
    label = context.deps.t(update, "surveys.answer_button")
    return InlineKeyboardMarkup([[GO.button(label, survey_id)]])


async def send_step(update: Update, context: Ctx, chat_id: int, step: Step) -> State | int:
    """Show the member what comes next; the conversation's next state."""
    t = context.deps.t
    if step.outcome is Outcome.ASK and step.question is not None:
        question = step.question
        if step.first:
            privacy = "surveys.privacy_identified" if step.identified else "surveys.privacy_totals"
            intro = t(update, "surveys.intro", title=step.title, intro=step.intro)
            text = re.sub(r"\n{2,}", "\n", intro) + "\n" + t(update, privacy)
            await context.bot.send_message(chat_id, text)
        numbers = {"number": question.number, "total": question.total, "prompt": question.prompt}
        if not question.is_poll:
            await context.bot.send_message(chat_id, t(update, "surveys.text_question", **numbers))
            return State.ANSWERING
        message = await context.bot.send_poll(
            chat_id,
            question=t(update, "surveys.poll_question", **numbers),
            # Polls go out with the HTML parse mode too (PTB Defaults): escape the labels.
            options=[html.escape(option, quote=False) for option in question.options],
            is_anonymous=False,
            allows_multiple_answers=question.kind == "multiple",
        )
        if message.poll is None:
            raise RuntimeError(f"sendPoll answered message {message.id} without a poll")
        await context.deps.surveys.answering.poll_sent(
            step.survey_id, sender(update).id, question.id, (message.poll.id, chat_id, message.id)
        )
        return State.ANSWERING
    if step.outcome is Outcome.USE_POLL:
        await context.bot.send_message(chat_id, t(update, "surveys.use_poll"))
        return State.ANSWERING
    key = {
        Outcome.DONE: "surveys.done",
        Outcome.ALREADY_DONE: "surveys.already_done",
        Outcome.CLOSED: "surveys.closed",
        Outcome.NOT_OPEN: "surveys.not_open",
        Outcome.NOT_INVITED: "surveys.not_invited",
        Outcome.NOTHING: "surveys.nothing",
    }.get(step.outcome, "surveys.unknown")
    await context.bot.send_message(chat_id, t(update, key, title=step.title))
    return END


async def on_go(update: Update, context: Ctx) -> State | int:
    """« Répondre » pressed (invitation or deep link): start or resume that survey."""
    query = query_of(update)
    await query.answer()
    (survey_id,) = GO.values(query.data)
    step = await context.deps.surveys.answering.begin(int(survey_id), sender(update).id)
    return await send_step(update, context, sender(update).id, step)


async def on_resume(update: Update, context: Ctx) -> State | int:
    """/questionnaire [n°]: carry on where the member stopped (or start survey n°)."""
    member_id = sender(update).id
    answering = context.deps.surveys.answering
    args = context.args or []
    if args and args[0].isdigit():
        step = await answering.begin(int(args[0]), member_id)
    else:
        step = await answering.resume(member_id)
        if step.outcome is Outcome.NOTHING and await offer_open_surveys(update, context):
            return END
    return await send_step(update, context, message_of(update).chat_id, step)


async def offer_open_surveys(update: Update, context: Ctx) -> bool:
    """The surveys open to the member, each with its « Répondre »; False if there is none."""
    available = await context.deps.surveys.answering.open_to(sender(update).id)
    if not available:
        return False
    label = context.deps.t(update, "surveys.answer_button")
    rows = [[GO.button(f"{label} · {title}", survey_id)] for survey_id, title in available]
    lines = "\n".join(
        context.deps.t(update, "surveys.open_line", id=survey_id, title=title)
        for survey_id, title in available
    )
    await say(
        update,
        context,
        "surveys.open_list",
        count=len(available),
        lines=Markup(lines),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return True


async def on_vote(update: Update, context: Ctx) -> State | int | None:
    """A poll vote: a survey answer (then the next question), or a quick poll vote."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return None
    option_ids = list(answer.option_ids)
    moved = await context.deps.surveys.answering.on_vote(
        answer.poll_id, answer.user.id, option_ids
    )
    if moved is not None:
        step, chat_id = moved
        return await send_step(update, context, chat_id, step)
    await context.deps.surveys.quick_polls.on_vote(answer.poll_id, answer.user.id, option_ids)
    return None  # nothing to say: stay where the member is


async def on_text(update: Update, context: Ctx) -> State | int:
    """Text during a survey: the free answer, « passer », or a nudge towards the poll."""
    message = message_of(update)
    step = await context.deps.surveys.answering.on_text(sender(update).id, message.text or "")
    if step.outcome is Outcome.NOTHING:
        await fallback.plain_text(update, context)
        return END
    return await send_step(update, context, message.chat_id, step)


async def on_pause(update: Update, context: Ctx) -> int:
    """/annuler: stop for now; the answers given so far are kept."""
    await say(update, context, "surveys.paused")
    return END


async def open_from_link(update: Update, context: Ctx, rest: str) -> bool:
    """t.me/<bot>?start=survey-<n°> (printed as a QR code on the day): the survey's card."""
    if not rest.isdigit():
        return False
    survey_id = int(rest)
    step = await context.deps.surveys.answering.preview(survey_id, sender(update).id)
    if step.outcome is Outcome.UNKNOWN:
        return False
    if step.outcome is not Outcome.ASK:
        await send_step(update, context, message_of(update).chat_id, step)
        return True
    await say(
        update,
        context,
        "surveys.link_card",
        title=step.title,
        reply_markup=answer_button(update, context, survey_id),
    )
    return True


async def show_own_answers(update: Update, context: Ctx) -> None:
    """/mes_reponses [n°]: the member's own answers, never anyone else's."""
    args = context.args or []
    survey_id = int(args[0]) if args and args[0].isdigit() else None
    found = await context.deps.surveys.answering.own_answers(sender(update).id, survey_id)
    if found is None:
        await say(update, context, "surveys.own_none")
        return
    title, pairs = found
    t = context.deps.t
    lines = [t(update, "surveys.own_title", title=title)]
    for question, answer in pairs:
        if answer:
            lines.append(t(update, "surveys.own_line", question=question, answer=answer))
        else:
            lines.append(t(update, "surveys.own_skipped", question=question))
    await context.bot.send_message(message_of(update).chat_id, "\n".join(lines))


def conversation(resume: CommandHandler[Ctx, Any]) -> ConversationHandler[Ctx]:
    """The survey conversation (persistent, keyed by member); ``resume`` is the table's
    /questionnaire handler (private chats only)."""
    # New messages only: editing an earlier message must not answer the current question.
    private_text = (
        filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
    )
    entry_points: list[BaseHandler[Update, Ctx, Any]] = [
        CallbackQueryHandler(on_go, pattern=GO.pattern),
        resume,
        PollAnswerHandler(on_vote),
    ]
    return dialogue(
        "surveys",
        entry_points,
        {
            State.ANSWERING: [
                PollAnswerHandler(on_vote),
                MessageHandler(private_text, on_text),
            ]
        },
        [cancel_command(on_pause)],
        per_chat=False,
    )
