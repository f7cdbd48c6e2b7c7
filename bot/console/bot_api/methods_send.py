"""Bot API methods that send, edit or delete messages."""

from __future__ import annotations

import struct
import time
from typing import Any

from .records import JsonDict, Message, Upload, bad_request
from .store import Store
from .validation import (
    as_json,
    caption,
    inline_markup,
    message_text,
    poll_options,
    required,
    text_fields,
)

Files = dict[str, Upload]


def _reply_to(store: Store, chat_id: int, params: JsonDict) -> Any:
    """The message replied to, checked to exist unless the client allows a missing one."""
    reply = as_json(params.get("reply_parameters")) or {}
    message_id = reply.get("message_id", params.get("reply_to_message_id"))
    if message_id is None:
        return None
    allow_missing = reply.get("allow_sending_without_reply", False) or params.get(
        "allow_sending_without_reply", False
    )
    if int(message_id) not in store.history.get(chat_id, {}) and not allow_missing:
        raise bad_request("message to be replied not found")
    return message_id


def _send(store: Store, params: JsonDict, fields: JsonDict, html: str) -> JsonDict:
    """Deliver a bot message once everything is checked: flood limits, then the chat history."""
    chat = store.writable_chat(params["chat_id"])
    markup = inline_markup(params)
    reply_to = _reply_to(store, chat["id"], params)
    store.throttle(chat["id"])
    if markup:
        fields["reply_markup"] = markup
    _remember_reply_keyboard(store, chat["id"], as_json(params.get("reply_markup")) or {})
    return store.add_message(chat, store.bot_user, fields, html, reply_to).json


def _remember_reply_keyboard(store: Store, chat_id: int, markup: JsonDict) -> None:
    """A chat's custom keyboard stays until another replaces or removes it, as on a phone."""
    if "keyboard" in markup:
        store.reply_keyboards[chat_id] = markup["keyboard"]
    elif markup.get("remove_keyboard"):
        store.reply_keyboards.pop(chat_id, None)


def send_message(store: Store, params: JsonDict, _files: Files) -> JsonDict:
    """sendMessage."""
    store.writable_chat(required(params, "chat_id"))
    parsed = message_text(params)
    return _send(store, params, text_fields(parsed, "text", "entities"), str(params["text"]))


def _upload(store: Store, params: JsonDict, files: Files, key: str) -> Upload | str:
    """The uploaded file for ``key`` or the file_id being re-sent."""
    if key in files:
        return files[key]
    value = params.get(key)
    if isinstance(value, str):
        if value.startswith("attach://") and value[9:] in files:
            return files[value[9:]]
        if value in store.media:
            return value
        raise bad_request("wrong file identifier/HTTP URL specified")
    raise bad_request(f"there is no {key} in the request")


def _caption_fields(params: JsonDict) -> tuple[JsonDict, str]:
    parsed = caption(params)
    return text_fields(parsed, "caption", "caption_entities"), str(params.get("caption") or "")


def send_document(store: Store, params: JsonDict, files: Files) -> JsonDict:
    """sendDocument."""
    store.writable_chat(required(params, "chat_id"))
    fields, html = _caption_fields(params)
    upload = _upload(store, params, files, "document")
    if isinstance(upload, str):
        document = store.media[upload]
    else:
        document = store.document_json(upload)
        store.media[document["file_id"]] = document
    return _send(store, params, {"document": document, **fields}, html)


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG; other formats get a plausible photo size."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 800, 600


def photo_sizes(store: Store, upload: Upload) -> list[JsonDict]:
    """PhotoSize list for an image, as Telegram gives: a thumbnail and the full size."""
    width, height = _image_size(upload.content)
    scale = min(1.0, 90 / max(width, height, 1))
    sizes = []
    for w, h in ((max(1, int(width * scale)), max(1, int(height * scale))), (width, height)):
        sizes.append({**store.store_file(upload, "photos"), "width": w, "height": h})
    for size in sizes:
        store.media[size["file_id"]] = sizes
    return sizes


def send_photo(store: Store, params: JsonDict, files: Files) -> JsonDict:
    """sendPhoto."""
    store.writable_chat(required(params, "chat_id"))
    fields, html = _caption_fields(params)
    upload = _upload(store, params, files, "photo")
    sizes = store.media[upload] if isinstance(upload, str) else photo_sizes(store, upload)
    return _send(store, params, {"photo": sizes, **fields}, html)


def send_location(store: Store, params: JsonDict, _files: Files) -> JsonDict:
    """sendLocation."""
    store.writable_chat(required(params, "chat_id"))
    latitude = float(required(params, "latitude"))
    longitude = float(required(params, "longitude"))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong latitude or longitude")
    return _send(store, params, {"location": {"latitude": latitude, "longitude": longitude}}, "")


def send_poll(store: Store, params: JsonDict, _files: Files) -> JsonDict:
    """sendPoll."""
    store.writable_chat(required(params, "chat_id"))
    question, options = poll_options(params)
    # Unique across runs too, as Telegram's are: the database keeps the polls of earlier runs.
    poll_id = f"{time.time_ns()}{store.next_id()}"
    poll: JsonDict = {
        "id": poll_id,
        "question": question,
        "options": [
            {"text": text, "voter_count": 0, "persistent_id": str(i)}
            for i, text in enumerate(options)
        ],
        "total_voter_count": 0,
        "is_closed": bool(params.get("is_closed", False)),
        "is_anonymous": bool(params.get("is_anonymous", True)),
        "type": params.get("type") or "regular",
        "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
        "allows_revoting": True,
        "members_only": False,
    }
    correct = params.get("correct_option_ids", params.get("correct_option_id"))
    if correct is not None:
        correct = as_json(correct)
        poll["correct_option_ids"] = correct if isinstance(correct, list) else [correct]
    for key in ("open_period", "close_date", "explanation"):
        if params.get(key) is not None:
            poll[key] = params[key]
    message = _send(store, params, {"poll": poll}, "")
    store.polls[poll_id] = poll
    store.poll_votes[poll_id] = {}
    store.poll_messages[poll_id] = (message["chat"]["id"], message["message_id"])
    return message


def stop_poll(store: Store, params: JsonDict, _files: Files) -> JsonDict:
    """stopPoll."""
    chat = store.writable_chat(required(params, "chat_id"))
    message = store.history.get(chat["id"], {}).get(int(required(params, "message_id")))
    if message is None or "poll" not in message.json:
        raise bad_request("message with poll to stop not found")
    poll: JsonDict = message.json["poll"]
    if poll["is_closed"]:
        raise bad_request("poll has already been closed")
    poll["is_closed"] = True
    _set_markup(message, inline_markup(params))
    return poll


def _set_markup(message: Message, markup: JsonDict | None) -> None:
    if markup:
        message.json["reply_markup"] = markup
    else:
        message.json.pop("reply_markup", None)


def _editable(store: Store, params: JsonDict) -> Message | None:
    """The bot message an edit targets; None for inline messages (not tracked)."""
    if params.get("inline_message_id"):
        return None
    chat = store.writable_chat(required(params, "chat_id"))
    message = store.message(chat["id"], required(params, "message_id"), "edit")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _apply_edit(store: Store, message: Message | None, fields: JsonDict, html: str | None) -> Any:
    """Apply an edit unless it changes nothing; edits count against flood limits too."""
    if message is None:
        store.throttle(None)
        return True
    json = message.json
    if all(json.get(key) == value for key, value in fields.items()):
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    store.throttle(json["chat"]["id"])
    for key, value in fields.items():
        if value is None:
            json.pop(key, None)
        else:
            json[key] = value
    json["edit_date"] = int(time.time())
    if html is not None:
        message.html = html
    return json


def edit_message_text(store: Store, params: JsonDict, _files: Files) -> Any:
    """editMessageText; without reply_markup the keyboard goes, as on Telegram."""
    message = _editable(store, params)
    parsed = message_text(params)
    markup = inline_markup(params)
    if message is not None and "text" not in message.json:
        raise bad_request("there is no text in the message to edit")
    fields = {"text": parsed.text, "entities": parsed.entities or None, "reply_markup": markup}
    return _apply_edit(store, message, fields, str(params["text"]))


def edit_message_caption(store: Store, params: JsonDict, _files: Files) -> Any:
    """editMessageCaption."""
    message = _editable(store, params)
    parsed = caption(params)
    markup = inline_markup(params)
    if message is not None and not any(k in message.json for k in ("document", "photo")):
        raise bad_request("there is no caption in the message to edit")
    fields = {
        "caption": parsed.text if parsed else None,
        "caption_entities": (parsed.entities or None) if parsed else None,
        "reply_markup": markup,
    }
    return _apply_edit(store, message, fields, str(params.get("caption") or ""))


def edit_message_reply_markup(store: Store, params: JsonDict, _files: Files) -> Any:
    """editMessageReplyMarkup."""
    message = _editable(store, params)
    return _apply_edit(store, message, {"reply_markup": inline_markup(params)}, None)


def delete_message(store: Store, params: JsonDict, _files: Files) -> bool:
    """deleteMessage."""
    chat = store.chat(required(params, "chat_id"))
    message = store.message(chat["id"], required(params, "message_id"), "delete")
    del store.history[chat["id"]][message.json["message_id"]]
    return True


def send_chat_action(store: Store, params: JsonDict, _files: Files) -> bool:
    """sendChatAction."""
    store.writable_chat(required(params, "chat_id"))
    required(params, "action")
    return True
