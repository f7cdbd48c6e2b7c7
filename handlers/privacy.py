"""/mesdonnees, /oublier, /confidentialite: the member sees, takes away or erases their data.

Only the sender's own data is ever exported or erased: the buttons carry no id, the member is
whoever pressed. Both commands work in a private chat only, so nothing personal lands in a group.
After an erasure, the messages the bot sent others with the member's data (moderation cards,
their photo, the member's answers) are edited to « (données effacées) » (photos deleted); what a
crash or Telegram left undone is tried again by a job (``bot.jobs``).
"""

from __future__ import annotations

import json
import logging

from telegram import Bot, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.context import Ctx, Deps
from bot.texts import Markup
from handlers.common import chat_of, is_private, query_of, say, sender
from handlers.keys import Key

log = logging.getLogger(__name__)

# The buttons of /oublier: no id, the member is whoever pressed.
ERASE = Key("privacy", "erase")
KEEP = Key("privacy", "keep")
FILE_NAME = "innovdeizh-mes-donnees.json"


async def export_data(update: Update, context: Ctx) -> None:
    """A JSON file of everything stored about the member."""
    if not is_private(update):
        await say(update, context, "privacy.private_only")
        return
    data = await context.deps.privacy.export(sender(update).id)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    await context.bot.send_document(
        chat_of(update).id,
        InputFile(payload, filename=FILE_NAME),
        caption=context.deps.t(update, "privacy.export_caption"),
    )


async def ask_forget(update: Update, context: Ctx) -> None:
    """/oublier: say what will be erased, and ask for a confirmation by button."""
    if not is_private(update):
        await say(update, context, "privacy.private_only")
        return
    keyboard = InlineKeyboardMarkup(
        [
            [ERASE.button(context.deps.t(update, "privacy.erase_button"))],
            [KEEP.button(context.deps.t(update, "privacy.keep_button"))],
        ]
    )
    await say(update, context, "privacy.forget_confirm", reply_markup=keyboard)


async def on_keep(update: Update, context: Ctx) -> None:
    """« Garder mes données »: nothing is erased."""
    query = query_of(update)
    await query.answer()
    await query.edit_message_text(context.deps.t(update, "privacy.kept"))


async def on_erase(update: Update, context: Ctx) -> None:
    """Erase the data of whoever pressed (in a private chat only)."""
    query = query_of(update)
    if not is_private(update):
        await on_keep(update, context)
        return
    await query.answer()
    text = context.deps.t(update, "privacy.erased")  # in their language, before it is erased
    await context.deps.privacy.erase(sender(update).id)
    context.deps.members.forget_cached(sender(update).id)
    await query.edit_message_text(text)
    await scrub_shown(context.bot, context.deps)


async def scrub_shown(bot: Bot, deps: Deps) -> bool:
    """Edit every message left to scrub to « (données effacées) »; False if some must wait
    (Telegram asked to slow down, or the network is away)."""
    lang = deps.texts.default_language  # moderators' cards are in the default language
    while rows := await deps.privacy.to_scrub():
        done: list[int] = []
        try:
            for row in rows:
                try:
                    if row.kind == "photo":
                        await bot.delete_message(row.chat_id, row.message_id)
                    else:
                        key = "privacy.scrubbed_card" if row.kind == "card" else "privacy.scrubbed"
                        text = deps.texts.get(lang, key, number=row.submission_id or "?")
                        await bot.edit_message_text(
                            text, chat_id=row.chat_id, message_id=row.message_id
                        )
                except (BadRequest, Forbidden, ChatMigrated) as error:
                    # Deleted, too old to delete, the bot left the chat: nothing more to do.
                    log.info(
                        "message %s in %s not scrubbed: %s", row.message_id, row.chat_id, error
                    )
                done.append(row.id)
        except TelegramError:  # 429, timeouts, network: later
            log.warning("scrubbing erased data paused: Telegram is busy or away", exc_info=True)
            await deps.privacy.scrubbed(done)
            return False
        await deps.privacy.scrubbed(done)
    return True


async def show_notice(update: Update, context: Ctx) -> None:
    """/confidentialite: what is kept, why, for how long, who answers for it, and the CNIL."""
    controller = context.deps.config.privacy
    t = context.deps.t
    lines = [t(update, "privacy.controller", controller=controller.controller)]
    if controller.address:
        lines.append(t(update, "privacy.address", address=controller.address))
    if controller.contact:
        lines.append(t(update, "privacy.contact", contact=controller.contact))
    lines.append(t(update, "privacy.cnil"))
    await say(update, context, "privacy.notice", controller=Markup("\n".join(lines)))
