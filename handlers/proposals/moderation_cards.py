"""The moderators' card of a proposal, and the messages a decision sends to the member."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError

from bot.context import Ctx, Deps
from bot.formatting import format_when
from bot.services.proposals.moderation import CODE_PREFIX, REASON_CODES, Card
from bot.services.proposals.views import DraftView
from bot.texts import Markup
from handlers.proposals.keys import data
from handlers.proposals.steps import summary_params

log = logging.getLogger(__name__)
PATTERN = r"^mod:(publish|refuse|reason|back|typed|ask):[0-9]{1,12}:-?[0-9]{1,3}$"


TRAIL_SHOWN = 4
SHORT = 300
TEXT_MAX = 1000  # typed reasons, questions and answers


def shorten(text: str, limit: int = SHORT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mod_data(action: str, submission_id: int, arg: int = 0) -> str:
    """``mod:<action>:<submission id>:<argument>`` (ids only, well under 64 bytes)."""
    return f"mod:{action}:{submission_id}:{arg}"


def parse_mod(raw: str | None) -> tuple[str, int, int]:
    _, action, submission_id, arg = (raw or "mod:x:0:0").split(":")
    return action, int(submission_id), int(arg)


def when(deps: Deps, lang: str, moment: datetime | None) -> str:
    return format_when(moment, deps.config.bot.tz, lang) if moment else "—"


def card_text(deps: Deps, lang: str, card: Card, decided_by: str = "") -> str:
    """The card: fields, author, questions and answers, and the decision once taken."""
    texts, proposal = deps.texts, card.proposal
    lines = [
        texts.get(
            lang,
            "proposals.moderation.card",
            number=proposal.id,
            author=card.author or texts.get(lang, "proposals.moderation.author_unknown"),
            sent=when(deps, lang, proposal.sent_at),
            **summary_params(texts, lang, proposal),
        )
    ]
    # Only the latest exchanges, shortened: a card must stay under Telegram's 4,096 characters
    # (the full texts are in the replies to the card and in the audit trail).
    exchanges = [line for line in card.trail if line.action in ("asked", "answered")]
    for line in exchanges[-TRAIL_SHOWN:]:
        short = shorten(line.detail)
        lines.append(texts.get(lang, f"proposals.moderation.trail_{line.action}", text=short))
    if proposal.status in ("published", "refused"):
        lines.append(
            texts.get(
                lang,
                f"proposals.moderation.decided_{proposal.status}",
                who=decided_by or str(proposal.decided_by or ""),
                date=when(deps, lang, proposal.decided_at),
                reason=Markup(reason_text(deps, lang, shorten(proposal.reason))),
            )
        )
    return "\n".join(lines)


def reason_text(deps: Deps, lang: str, reason: str) -> str:
    """A reason button's text in ``lang``, or the reason as the moderator typed it (escaped)."""
    code = reason.removeprefix(CODE_PREFIX)
    if reason.startswith(CODE_PREFIX) and code in REASON_CODES:
        return deps.texts.get(lang, f"proposals.moderation.reason.{code}")
    return deps.texts.get(lang, "proposals.moderation.reason_typed", text=reason)


def card_keyboard(deps: Deps, lang: str, proposal: DraftView) -> InlineKeyboardMarkup:
    def button(key: str, action: str) -> list[InlineKeyboardButton]:
        label = deps.texts.get(lang, key)
        return [InlineKeyboardButton(label, callback_data=mod_data(action, proposal.id))]

    return InlineKeyboardMarkup(
        [
            button("proposals.moderation.publish_button", "publish"),
            button("proposals.moderation.refuse_button", "refuse"),
            button("proposals.moderation.ask_button", "ask"),
        ]
    )


def reasons_keyboard(deps: Deps, lang: str, proposal: DraftView) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                deps.texts.get(lang, f"proposals.moderation.reason.{code}"),
                callback_data=mod_data("reason", proposal.id, i),
            )
        ]
        for i, code in enumerate(REASON_CODES)
    ]
    for key, action in (
        ("proposals.moderation.reason_type", "typed"),
        ("proposals.moderation.back", "back"),
    ):
        label = deps.texts.get(lang, key)
        rows.append([InlineKeyboardButton(label, callback_data=mod_data(action, proposal.id))])
    return InlineKeyboardMarkup(rows)


async def post_card(context: Ctx, proposal: DraftView) -> None:
    """Send a new proposal to the moderators' chat (if one is configured)."""
    deps = context.deps
    chat_id = deps.config.bot.moderators_chat_id
    card = await deps.proposals.moderation.card(proposal.id)
    if not chat_id or card is None:
        return
    lang = deps.texts.default_language
    try:
        message = await context.bot.send_message(
            chat_id, card_text(deps, lang, card), reply_markup=card_keyboard(deps, lang, proposal)
        )
        if proposal.photo_file_id:
            await context.bot.send_photo(
                chat_id, proposal.photo_file_id, reply_to_message_id=message.message_id
            )
    except TelegramError:
        # The proposal is safe as pending; /moderation lists it even without a card.
        log.warning("could not post the card of proposal %s", proposal.id, exc_info=True)
        return
    await deps.proposals.moderation.attach_card(proposal.id, chat_id, message.message_id)


async def refresh_card(context: Ctx, card: Card, decided_by: str = "") -> None:
    """Edit the card in the moderators' chat to show the decision or the latest answer."""
    deps, proposal = context.deps, card.proposal
    if proposal.card_chat_id is None or proposal.card_message_id is None:
        return
    lang = deps.texts.default_language
    markup = card_keyboard(deps, lang, proposal) if proposal.status == "pending" else None
    try:
        await context.bot.edit_message_text(
            card_text(deps, lang, card, decided_by),
            chat_id=proposal.card_chat_id,
            message_id=proposal.card_message_id,
            reply_markup=markup,
        )
    except TelegramError:
        log.warning("could not edit the card of proposal %s", proposal.id, exc_info=True)


def member_language(deps: Deps, proposal: DraftView) -> str:
    cached = deps.members.cached(proposal.member_id or 0)
    return deps.texts.pick_language(cached.language if cached else "", proposal.language)


async def tell_member(context: Ctx, proposal: DraftView, key: str, **params: object) -> None:
    """Tell the member, in their language; a blocked bot is logged, never raised."""
    if proposal.member_id is None:
        return
    deps = context.deps
    lang = member_language(deps, proposal)
    markup = None
    if key == "proposals.moderation.member_question":
        label = deps.texts.get(lang, "proposals.moderation.member_reply_button")
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data("reply", proposal.id))]]
        )
    try:
        await context.bot.send_message(
            proposal.member_id,
            deps.texts.get(lang, key, name=proposal.name, **params),
            reply_markup=markup,
        )
    except Forbidden:
        # The member blocked the bot: the decision stays recorded; stop writing to them.
        await deps.members.mark_unreachable(proposal.member_id)
    except TelegramError:
        log.warning("could not tell member %s about %s", proposal.member_id, key, exc_info=True)
