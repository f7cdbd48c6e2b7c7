"""/qr <target> (organisers): the QR code PNG of a card's deep link, for a poster."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.context import Ctx
from bot.services.catalogue.qr_codes import BadTarget, deep_link, png
from handlers.access import admins_only
from handlers.common import chat_of, say


@admins_only
async def send_qr(update: Update, context: Ctx) -> None:
    """Send the PNG as a document, so Telegram keeps it sharp for printing."""
    target = (context.args or [""])[0]
    try:
        link = deep_link(context.bot.username, target)
    except BadTarget:
        await say(update, context, "catalogue.qr.usage")
        return
    if not await context.deps.catalogue.card_exists(target):
        await say(update, context, "catalogue.qr.missing", target=target)
        return
    await context.bot.send_document(
        chat_of(update).id,
        InputFile(png(link), filename=f"qr-{target}.png"),
        caption=context.deps.t(update, "catalogue.qr.caption", link=link),
    )
