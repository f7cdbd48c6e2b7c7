"""The buttons of the proposal dialogue, one handler per action (patterns from keys.py).

Every button carries its draft's id: one from an older message or another draft, or of a step
that is over, changes nothing and is only told so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.context import Ctx
from bot.services.proposals.rules import EDITABLE, Step
from bot.services.proposals.service import ProposalService, StaleButton
from bot.services.proposals.views import Outcome
from handlers.common import edit_buttons, query_of, say, sender
from handlers.keys import Key
from handlers.proposals import keys
from handlers.proposals.input import show
from handlers.proposals.moderation_cards import post_card
from handlers.proposals.states import END, Next, State
from handlers.proposals.steps import edit_keyboard

log = logging.getLogger(__name__)
# A change of the draft: (service, member, draft id, argument) -> what to show next.
Change = Callable[[ProposalService, int, int, int], Coroutine[Any, Any, Outcome]]


async def on_theme(update: Update, context: Ctx) -> Next:
    """A theme (the argument is its lab; 0 is « Autre »)."""
    return await _change(update, context, keys.THEME, lambda s, m, d, a: s.choose_theme(m, d, a))


async def on_commune(update: Update, context: Ctx) -> Next:
    """« Tu voulais dire… ? » (the suggestion's index, -1 keeps what was typed)."""
    return await _change(
        update, context, keys.COMMUNE, lambda s, m, d, a: s.choose_commune(m, d, a)
    )


async def on_visibility(update: Update, context: Ctx) -> Next:
    """Contact shown publicly or not; the next question follows."""
    return await _change(
        update, context, keys.VISIBILITY, lambda s, m, d, a: s.set_visibility(m, d, bool(a))
    )


async def on_skip(update: Update, context: Ctx) -> Next:
    """« Passer » under an optional question."""
    return await _change(update, context, keys.SKIP, lambda s, m, d, _: s.skip(m, d))


async def on_keep(update: Update, context: Ctx) -> Next:
    """« Garder » under a question asked again."""
    return await _change(update, context, keys.KEEP, lambda s, m, d, _: s.keep(m, d))


async def on_edit(update: Update, context: Ctx) -> Next:
    """A field of the edit menu (its index in EDITABLE)."""

    async def edit(service: ProposalService, member: int, draft: int, index: int) -> Outcome:
        if not 0 <= index < len(EDITABLE):
            raise StaleButton
        return await service.edit(member, draft, EDITABLE[index])

    return await _change(update, context, keys.EDIT, edit)


async def on_summary(update: Update, context: Ctx) -> Next:
    """Back to the summary."""
    return await _change(
        update, context, keys.SUMMARY, lambda s, m, d, _: s.edit(m, d, Step.SUMMARY)
    )


async def on_send(update: Update, context: Ctx) -> Next:
    """« Envoyer »: look-alikes are shown first."""
    return await _change(update, context, keys.SEND, lambda s, m, d, _: s.send(m, d, force=False))


async def on_force(update: Update, context: Ctx) -> Next:
    """« Ce n'est pas la même, envoyer »."""
    return await _change(update, context, keys.FORCE, lambda s, m, d, _: s.send(m, d, force=True))


async def on_edit_menu(update: Update, context: Ctx) -> Next:
    """« Modifier un champ »: the summary's buttons become one per field."""
    query, service = query_of(update), context.deps.proposals
    try:
        draft_id, _ = _ids(keys.EDIT_MENU, query.data)
        outcome = await service.edit(sender(update).id, draft_id, None)
    except StaleButton:
        await _stale(update, context)
        return None
    await query.answer()
    await edit_buttons(query, edit_keyboard(update, context, outcome.draft))
    return State.DRAFTING


async def on_cancel(update: Update, context: Ctx) -> Next:
    """« Annuler » on the summary: the draft is dropped."""
    return await _drop(update, context, keys.CANCEL, "proposals.cancelled")


async def on_same(update: Update, context: Ctx) -> Next:
    """« C'est la même »: nothing to send, the draft is dropped."""
    return await _drop(update, context, keys.SAME, "proposals.same")


async def on_stale(update: Update, context: Ctx) -> None:
    """A proposal button whose step is over (old message, finished dialogue)."""
    await query_of(update).answer(context.deps.t(update, "proposals.step_over"))


# Each button of the dialogue and what answers it (dialogue.py makes one handler of each).
BUTTONS: tuple[tuple[Key, Callable[[Update, Ctx], Coroutine[Any, Any, Next]]], ...] = (
    (keys.THEME, on_theme),
    (keys.COMMUNE, on_commune),
    (keys.VISIBILITY, on_visibility),
    (keys.SKIP, on_skip),
    (keys.KEEP, on_keep),
    (keys.EDIT_MENU, on_edit_menu),
    (keys.EDIT, on_edit),
    (keys.SUMMARY, on_summary),
    (keys.SEND, on_send),
    (keys.FORCE, on_force),
    (keys.SAME, on_same),
    (keys.CANCEL, on_cancel),
)


def _ids(key: Key, data: str | None) -> tuple[int, int]:
    parsed = keys.ids(key, data)
    if parsed is None:
        raise StaleButton
    return parsed


async def _change(update: Update, context: Ctx, key: Key, change: Change) -> Next:
    query = query_of(update)
    try:
        outcome = await change(context.deps.proposals, sender(update).id, *_ids(key, query.data))
    except StaleButton:
        await _stale(update, context)
        return None
    await query.answer()
    if outcome.draft.status == "pending":
        await say(update, context, "proposals.sent", name=outcome.draft.name)
        await post_card(context, outcome.draft)
        return END
    return await show(update, context, outcome)


async def _drop(update: Update, context: Ctx, key: Key, said: str) -> Next:
    query, service, member = query_of(update), context.deps.proposals, sender(update).id
    try:
        draft_id, _ = _ids(key, query.data)
        current = await service.draft(member)
        if current is None or current.id != draft_id:
            raise StaleButton
    except StaleButton:
        await _stale(update, context)
        return None
    await service.cancel(member)
    await query.answer()
    await say(update, context, said)
    return END


async def _stale(update: Update, context: Ctx) -> None:
    log.info("stale proposal button %r from %s", query_of(update).data, sender(update).id)
    await on_stale(update, context)
