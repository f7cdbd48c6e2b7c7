"""The moderators' card of a proposal, and the messages a decision sends to the member."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden, TelegramError

from bot.context import Ctx, Deps
from bot.formatting import format_clock, format_when
from bot.services.proposals.corrections import FIELDS as CORRECTABLE
from bot.services.proposals.moderation import CODE_PREFIX, REASON_CODES, Card
from bot.services.proposals.views import DraftView
from bot.texts import Markup
from handlers.keys import Key
from handlers.proposals import keys
from handlers.proposals.steps import summary_params

log = logging.getLogger(__name__)


TRAIL_SHOWN = 4
SHORT = 300
TEXT_MAX = 1000  # typed reasons, questions and answers


def shorten(text: str, limit: int = SHORT) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def when(deps: Deps, lang: str, moment: datetime | None) -> str:
    """The moment in the moderators' time zone and ``lang``, or « — » if unknown."""
    return format_when(moment, deps.config.bot.tz, lang) if moment else "—"


def decided_when(deps: Deps, lang: str, moment: datetime | None) -> str:
    """« à 14 h 02 » today, « le jeudi 3 décembre 2026 à 14 h 02 » another day."""
    if moment is None:
        return ""
    tz = deps.config.bot.tz
    if moment.astimezone(tz).date() == datetime.now(tz).date():
        return deps.texts.get(
            lang, "proposals.moderation.at_time", time=format_clock(moment, tz, lang)
        )
    return deps.texts.get(lang, "proposals.moderation.on_day", date=when(deps, lang, moment))


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
                who=decided_by
                or card.decider
                or deps.texts.get(lang, "proposals.moderation.someone"),
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
    """The card's « Publier », « Refuser », « Demander une précision » and « Corriger »."""

    def button(label_key: str, key: Key) -> list[InlineKeyboardButton]:
        return [key.button(deps.texts.get(lang, label_key), proposal.id, 0)]

    return InlineKeyboardMarkup(
        [
            button("proposals.moderation.publish_button", keys.PUBLISH),
            button("proposals.moderation.refuse_button", keys.REFUSE),
            button("proposals.moderation.ask_button", keys.ASK),
            button("proposals.moderation.fix_button", keys.FIX),
        ]
    )


def fields_keyboard(deps: Deps, lang: str, proposal: DraftView) -> InlineKeyboardMarkup:
    """« Corriger »: one button per field a moderator may correct, two per row, « Retour »."""
    buttons = [
        keys.FIX_FIELD.button(deps.texts.get(lang, f"proposals.field.{field}"), proposal.id, i)
        for i, field in enumerate(CORRECTABLE)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    back = deps.texts.get(lang, "proposals.moderation.back")
    rows.append([keys.BACK.button(back, proposal.id, 0)])
    return InlineKeyboardMarkup(rows)


def reasons_keyboard(deps: Deps, lang: str, proposal: DraftView) -> InlineKeyboardMarkup:
    """One button per refusal reason, then « Écrire un motif » and « Retour »."""
    rows = [
        [
            keys.REASON.button(
                deps.texts.get(lang, f"proposals.moderation.reason.{code}"), proposal.id, i
            )
        ]
        for i, code in enumerate(REASON_CODES)
    ]
    for label_key, key in (
        ("proposals.moderation.reason_type", keys.TYPED),
        ("proposals.moderation.back", keys.BACK),
    ):
        rows.append([key.button(deps.texts.get(lang, label_key), proposal.id, 0)])
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
    except TelegramError:
        # The proposal is safe as pending; /moderation lists it even without a card.
        log.warning("could not post the card of proposal %s", proposal.id, exc_info=True)
        return
    await deps.proposals.moderation.attach_card(proposal.id, chat_id, message.message_id)
    if proposal.photo_file_id:
        try:
            photo = await context.bot.send_photo(
                chat_id, proposal.photo_file_id, reply_to_message_id=message.message_id
            )
        except TelegramError:
            log.warning("could not post the photo of proposal %s", proposal.id, exc_info=True)
            return
        await deps.proposals.moderation.shown(proposal.id, chat_id, photo.message_id, "photo")


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
    """The language the proposal's author reads the bot in."""
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
        markup = InlineKeyboardMarkup([[keys.REPLY.button(label, proposal.id, 0)]])
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
