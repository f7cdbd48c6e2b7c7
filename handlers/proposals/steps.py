"""The questions of the proposal dialogue, each with its example and thumb-sized buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.formatting import format_when
from bot.services.proposals.rules import (
    DESCRIPTION_MAX,
    EDITABLE,
    NAME_MAX,
    OPTIONAL,
    THEME_OTHER,
    Step,
)
from bot.services.proposals.views import DraftView, Similar, has_answer
from bot.texts import Markup, Texts
from handlers.common import language, say
from handlers.keys import Key
from handlers.proposals import keys
from handlers.proposals.states import State

Rows = list[list[InlineKeyboardButton]]
# The summary's field that shows a step's current answer.
_SHOWN_AS = {
    Step.NAME: "name",
    Step.DESCRIPTION: "description",
    Step.THEME: "theme",
    Step.PLACE: "place",
    Step.ORGANISATION: "organisation",
    Step.WEBSITE: "website",
    Step.CONTACT: "contact",
    Step.VISIBILITY: "contact",
    Step.PHOTO: "photo",
}


def button(
    update: Update, context: Ctx, label_key: str, key: Key, draft_id: int, *, argument: int = 0
) -> InlineKeyboardButton:
    """A dialogue button of ``key`` for the draft, labelled in the member's language."""
    return key.button(context.deps.t(update, label_key), draft_id, argument)


async def ask(update: Update, context: Ctx, draft: DraftView) -> State:
    """Ask the question of the draft's current step (the next state: drafting)."""
    step = draft.step
    if step in (Step.SUMMARY, Step.DUPLICATE):
        await show_summary(update, context, draft)
        return State.DRAFTING
    rows: Rows = []
    if step is Step.THEME:
        themes = await context.deps.proposals.themes()
        flat = [keys.THEME.button(theme, draft.id, lab_id) for lab_id, theme in themes]
        rows = [flat[i : i + 2] for i in range(0, len(flat), 2)]
        rows.append([button(update, context, "proposals.theme_other", keys.THEME, draft.id)])
    elif step is Step.VISIBILITY:
        rows = [
            [
                button(
                    update,
                    context,
                    "proposals.visibility_public",
                    keys.VISIBILITY,
                    draft.id,
                    argument=1,
                )
            ],
            [button(update, context, "proposals.visibility_private", keys.VISIBILITY, draft.id)],
        ]
    if step in OPTIONAL:
        rows.append([button(update, context, "proposals.skip_button", keys.SKIP, draft.id)])
    hints = context.deps.t(
        update, "proposals.hints_optional" if step in OPTIONAL else "proposals.hints"
    )
    if has_answer(draft):
        # Asked again (/retour, « Modifier »): the answer it has, and a thumb to keep it.
        fields = summary_params(context.deps.texts, language(update, context), draft)
        current = fields[_SHOWN_AS.get(step, "name")]
        hints = context.deps.t(update, "proposals.current", current=current) + "\n" + hints
        rows.insert(0, [button(update, context, "proposals.keep_button", keys.KEEP, draft.id)])
    await say(
        update,
        context,
        f"proposals.ask.{step.value.removeprefix('submit.')}",
        hints=Markup(hints),
        name_max=NAME_MAX,
        description_max=DESCRIPTION_MAX,
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )
    return State.DRAFTING


async def show_suggestions(
    update: Update, context: Ctx, draft: DraftView, names: tuple[str, ...]
) -> State:
    """« Tu voulais dire… ? » buttons for a commune we do not know as typed."""
    rows: Rows = [[keys.COMMUNE.button(name, draft.id, i)] for i, name in enumerate(names)]
    keep = context.deps.t(update, "proposals.place_keep", typed=draft.place_query)
    rows.append([keys.COMMUNE.button(keep, draft.id, -1)])
    key = "proposals.place_suggest" if names else "proposals.place_unknown"
    await say(
        update, context, key, typed=draft.place_query, reply_markup=InlineKeyboardMarkup(rows)
    )
    return State.DRAFTING


def place_of(draft: DraftView) -> str:
    """The draft's place as shown: commune (département), or the shared point."""
    if draft.commune and draft.departement:
        return f"{draft.commune} ({draft.departement})"
    if draft.commune:
        return draft.commune
    if draft.latitude is not None and draft.longitude is not None:
        return f"📍 {draft.latitude:.4f}, {draft.longitude:.4f}"
    return "—"


def theme_label(context: Ctx, update: Update, draft: DraftView) -> str:
    """The draft's theme as members read it (« Autre » in their language)."""
    fields = summary_params(context.deps.texts, language(update, context), draft)
    return str(fields["theme"])


def summary_params(texts: Texts, lang: str, draft: DraftView) -> dict[str, object]:
    """The fields of a proposal, ready for a summary or a moderators' card."""
    contact = draft.contact or "—"
    if draft.contact:
        visibility = "public" if draft.contact_public else "private"
        contact = f"{draft.contact} ({texts.get(lang, f'proposals.contact_is_{visibility}')})"
    theme = (
        texts.get(lang, "proposals.theme_other_label")
        if draft.theme == THEME_OTHER
        else draft.theme
    )
    photo = "proposals.photo_yes" if draft.photo_file_id else "proposals.photo_no"
    return {
        "name": draft.name,
        "description": draft.description,
        "theme": theme or "—",
        "place": place_of(draft),
        "organisation": draft.organisation or "—",
        "website": draft.website or "—",
        "contact": contact,
        "photo": texts.get(lang, photo),
    }


async def show_summary(update: Update, context: Ctx, draft: DraftView) -> None:
    """The card to check before sending: send, change a field, or cancel."""
    rows = [
        [button(update, context, "proposals.send_button", keys.SEND, draft.id)],
        [button(update, context, "proposals.edit_button", keys.EDIT_MENU, draft.id)],
        [button(update, context, "proposals.cancel_button", keys.CANCEL, draft.id)],
    ]
    await context.bot.send_message(
        chat_id=update.effective_chat.id if update.effective_chat else draft.member_id or 0,
        text=context.deps.t(
            update,
            "proposals.summary",
            **summary_params(context.deps.texts, language(update, context), draft),
        ),
        reply_markup=InlineKeyboardMarkup(rows),
    )


def edit_keyboard(update: Update, context: Ctx, draft: DraftView) -> InlineKeyboardMarkup:
    """One button per field, and one to go back to the summary."""
    flat = [
        button(
            update, context, f"proposals.field.{step.value[7:]}", keys.EDIT, draft.id, argument=i
        )
        for i, step in enumerate(EDITABLE)
    ]
    rows = [flat[i : i + 2] for i in range(0, len(flat), 2)]
    rows.append([button(update, context, "proposals.back_to_summary", keys.SUMMARY, draft.id)])
    return InlineKeyboardMarkup(rows)


async def show_similar(
    update: Update, context: Ctx, draft: DraftView, similar: tuple[Similar, ...]
) -> State:
    """« C'est la même ? » with the look-alikes; the member can still send."""
    lines = "\n".join(
        context.deps.t(update, "proposals.similar_line", title=s.title, commune=s.commune or "—")
        for s in similar
    )
    rows = [
        [button(update, context, "proposals.same_button", keys.SAME, draft.id)],
        [button(update, context, "proposals.force_button", keys.FORCE, draft.id)],
        [button(update, context, "proposals.back_to_summary", keys.SUMMARY, draft.id)],
    ]
    await say(
        update,
        context,
        "proposals.similar",
        lines=Markup(lines),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return State.DRAFTING


async def offer(update: Update, context: Ctx, draft: DraftView) -> State:
    """« Tu as une proposition en cours » with resume / start again."""
    rows = [
        [button(update, context, "proposals.resume_button", keys.RESUME, draft.id)],
        [button(update, context, "proposals.restart_button", keys.RESTART, draft.id)],
    ]
    await say(
        update,
        context,
        "proposals.offer",
        name=draft.name or "…",
        date=format_when(draft.created_at, context.deps.config.bot.tz, language(update, context)),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return State.OFFER
