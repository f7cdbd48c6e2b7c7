"""Bot API methods other than sending: identity, updates, webhook, commands, answers, files."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from bot.texts import utf16_length

from .records import ApiError, JsonDict, Upload, bad_request
from .store import Store
from .validation import as_int, as_json, commands, commands_key, required

Files = dict[str, Upload]
# Telegram leaves these out unless allowed_updates names them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_CONFLICT_POLLER = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


def get_me(store: Store, _params: JsonDict, _files: Files) -> JsonDict:
    """getMe."""
    return {
        **store.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
    }


def _confirm(store: Store, offset: Any) -> None:
    """Forget updates confirmed by ``offset`` (a negative offset keeps the last ones)."""
    if offset is None:
        return
    offset = as_int(offset, "offset")
    if offset < 0:
        del store.updates[: max(0, len(store.updates) + offset)]
    else:
        store.updates[:] = [u for u in store.updates if u["update_id"] >= offset]


def _deliverable(store: Store, limit: int) -> list[JsonDict]:
    """Updates the bot may get now; updates of types it did not ask for are discarded."""
    allowed = set(store.allowed_updates)
    kept = []
    for update in store.updates:
        kind = next(key for key in update if key != "update_id")
        if (kind in allowed) if allowed else (kind not in _OPT_IN_UPDATES):
            kept.append(update)
    store.updates[:] = kept
    return kept[:limit]


async def get_updates(store: Store, params: JsonDict) -> list[JsonDict]:
    """getUpdates with long polling; a newer poller ends the older one with 409, as Telegram."""
    if store.webhook["url"]:
        raise ApiError(409, _CONFLICT_WEBHOOK)
    limit = min(100, max(1, as_int(params.get("limit") or 100, "limit")))
    timeout = float(params.get("timeout") or 0)
    if params.get("allowed_updates") is not None:
        store.allowed_updates = list(as_json(params["allowed_updates"]))
    _confirm(store, params.get("offset"))
    me = object()
    store.poller = me
    store.changed()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while True:
            batch = _deliverable(store, limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0:
                return batch
            await store.wait_change(remaining)
            if store.poller is not me:
                raise ApiError(409, _CONFLICT_POLLER)
    finally:
        if store.poller is me:
            store.poller = None


def set_webhook(store: Store, params: JsonDict, _files: Files) -> bool:
    """setWebhook."""
    url = str(params.get("url") or "")
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token")
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        store.updates.clear()
    if params.get("allowed_updates") is not None:
        store.allowed_updates = list(as_json(params["allowed_updates"]))
    store.webhook = {"url": url, "secret_token": secret}
    return True


def delete_webhook(store: Store, params: JsonDict, _files: Files) -> bool:
    """deleteWebhook."""
    if params.get("drop_pending_updates"):
        store.updates.clear()
    store.webhook = {"url": ""}
    return True


def get_webhook_info(store: Store, _params: JsonDict, _files: Files) -> JsonDict:
    """getWebhookInfo."""
    info: JsonDict = {
        "url": store.webhook["url"],
        "has_custom_certificate": False,
        "pending_update_count": len(store.updates),
    }
    if store.allowed_updates:
        info["allowed_updates"] = store.allowed_updates
    return info


def just_true(_store: Store, _params: JsonDict, _files: Files) -> bool:
    """close, logOut: nothing to do locally."""
    return True


def set_my_commands(store: Store, params: JsonDict, _files: Files) -> bool:
    """setMyCommands."""
    listed = commands(params)
    store.commands[commands_key(params.get("scope"), params.get("language_code"))] = listed
    return True


def delete_my_commands(store: Store, params: JsonDict, _files: Files) -> bool:
    """deleteMyCommands."""
    store.commands.pop(commands_key(params.get("scope"), params.get("language_code")), None)
    return True


def get_my_commands(store: Store, params: JsonDict, _files: Files) -> list[JsonDict]:
    """getMyCommands."""
    return store.commands.get(commands_key(params.get("scope"), params.get("language_code")), [])


def set_chat_menu_button(store: Store, params: JsonDict, _files: Files) -> bool:
    """setChatMenuButton (no chat_id: the default button)."""
    chat_id = params.get("chat_id")
    key = None if chat_id is None else store.chat(chat_id)["id"]
    store.menu_buttons[key] = as_json(params.get("menu_button")) or {"type": "default"}
    return True


def get_chat_menu_button(store: Store, params: JsonDict, _files: Files) -> JsonDict:
    """getChatMenuButton."""
    chat_id = params.get("chat_id")
    key = None if chat_id is None else store.chat(chat_id)["id"]
    return store.menu_buttons.get(key) or store.menu_buttons.get(None) or {"type": "commands"}


def answer_callback_query(store: Store, params: JsonDict, _files: Files) -> bool:
    """answerCallbackQuery: each query can be answered once."""
    query_id = str(required(params, "callback_query_id"))
    if query_id not in store.open_callbacks:
        raise bad_request(_QUERY_TOO_OLD)
    if utf16_length(str(params.get("text") or "")) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    store.open_callbacks.discard(query_id)
    store.callback_answers.append(dict(params))
    return True


def answer_inline_query(store: Store, params: JsonDict, _files: Files) -> bool:
    """answerInlineQuery: each query can be answered once."""
    query_id = str(required(params, "inline_query_id"))
    if query_id not in store.open_inline_queries:
        raise bad_request(_QUERY_TOO_OLD)
    results = as_json(params.get("results")) or []
    if len(results) > 50:
        raise bad_request("RESULTS_TOO_MUCH")
    if len({str(result.get("id")) for result in results}) != len(results):
        raise bad_request("RESULT_ID_DUPLICATE")
    if len(str(params.get("next_offset") or "").encode()) > 64:
        raise bad_request("NEXT_OFFSET_INVALID")
    store.open_inline_queries.discard(query_id)
    store.inline_answers.append({**params, "results": results})
    return True


def get_file(store: Store, params: JsonDict, _files: Files) -> JsonDict:
    """getFile."""
    info = store.file_info.get(str(required(params, "file_id")))
    if info is None:
        raise bad_request("invalid file_id")
    return info


def get_chat(store: Store, params: JsonDict, _files: Files) -> JsonDict:
    """getChat: a ChatFullInfo with the fields PTB requires."""
    chat = store.chat(required(params, "chat_id"))
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }
