"""Runs before routing: remember who is talking (cached, see MemberService)."""

from __future__ import annotations

from telegram import Update

from bot.context import Ctx
from bot.services.members.service import Identity


async def remember(update: Update, context: Ctx) -> None:
    """Record the sender so their language and roles are known to every handler."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    await context.deps.members.remember(
        Identity(
            telegram_id=user.id,
            first_name=user.first_name,
            last_name=user.last_name or "",
            username=user.username or "",
            language_code=user.language_code or "",
        )
    )
