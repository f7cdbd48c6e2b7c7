"""The event card and the events list as Telegram shows them: text and keyboard.

Every path that shows an event ends here: /evenements, /events, /rencontres, a search hit, the
FAQ, a deep link or a poster's QR code, the button of a past event. The card is the one
rendered by EventMessages (the same the outbox sends to followers), plus a navigation row.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.services.events.messages import Rows, button_data
from bot.services.events.views import EventLink, EventView
from handlers.common import View, language, share_url
from handlers.keyboards import keyboard

LABEL_LIMIT = 60  # characters of a title on a button (Telegram cuts long labels anyway)


def viewer(update: Update) -> int | None:
    """Whose answer the card marks: the member in their private chat; in a group, nobody's
    (everyone there sees the same message)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != "private":
        return None
    return user.id


def card_view(update: Update, context: Ctx, event: EventView) -> View:
    """The card: its answers while it is to come (the member's own marked ✅; organisers also
    see who comes, maybe, waits, and its number), the map, then « Retour » and « Partager »."""
    messages = context.deps.events.messages
    member_id = viewer(update)
    organiser = member_id is not None and context.deps.members.is_admin(member_id)
    lang = language(update, context)
    t = context.deps.t
    navigation = [
        {"text": t(update, "events.button.back"), "data": button_data("list", 0)},
        {
            "text": t(update, "events.button.share"),
            "url": share_url(context, f"event-{event.id}", event.title),
        },
    ]
    rows = [*messages.buttons(event, lang), navigation]
    text = messages.card_text(event, lang, organiser=organiser)
    user = update.effective_user
    if user is not None and context.deps.members.is_admin(user.id):
        # Organisers see the number their commands take (/deplacer_evenement 3 …).
        text += "\n\n" + t(update, "events.admin.number", id=event.id)
    return text, keyboard(rows)


def past_keyboard(events: Sequence[EventLink]) -> InlineKeyboardMarkup | None:
    """Past events as buttons to their cards, latest first."""
    rows: Rows = []
    for event in events:
        label = "🗂 " + event.title
        if len(label) > LABEL_LIMIT:
            label = label[: LABEL_LIMIT - 1].rstrip() + "…"
        rows.append([{"text": label, "data": button_data("card", event.id)}])
    return keyboard(rows)
