"""The Telegram double, driven by a real PTB Bot in-process and over loopback HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any
from unittest.mock import ANY

import httpx
import pytest
from telegram import Bot as PtbBot
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    MessageEntity,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.console.bot_api import HtmlParseError, InProcessBotApi, parse_html
from tests.support.bot_api import FakeTelegram, RateLimits
from tests.support.http_server import BotApiHttpServer

USER = 4242
OTHER = 4343
GROUP = -100777
Connect = Callable[..., AbstractAsyncContextManager[PtbBot]]


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    """One row of callback buttons whose data is the label."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(x, callback_data=x) for x in labels]])


@pytest.fixture
def tg() -> FakeTelegram:
    tg = FakeTelegram()
    tg.add_user(USER, "Anne")
    tg.add_user(OTHER, "Bob", language_code="en")
    tg.add_group(GROUP, "Innov'Deizh")
    return tg


@pytest.fixture(params=["inprocess", "http"])
async def connect(request: pytest.FixtureRequest, tg: FakeTelegram) -> AsyncIterator[Connect]:
    """Open Bots on the double through the transport under test."""
    server: BotApiHttpServer | None = None
    if request.param == "http":
        server = BotApiHttpServer(tg)
        await server.start()

    @asynccontextmanager
    async def open_bot(*, token: str | None = None, read_timeout: float = 5.0) -> Any:
        token = token or tg.token
        if server is None:
            api = InProcessBotApi(tg, read_timeout=read_timeout)
            bot = PtbBot(token, request=api, get_updates_request=InProcessBotApi(tg))
        else:
            bot = PtbBot(
                token,
                base_url=server.base_url,
                base_file_url=server.base_file_url,
                request=HTTPXRequest(read_timeout=read_timeout),
                get_updates_request=HTTPXRequest(),
            )
        async with bot:
            yield bot

    try:
        yield open_bot
    finally:
        if server is not None:
            await server.stop()


@pytest.fixture
async def bot(connect: Connect) -> AsyncIterator[PtbBot]:
    async with connect() as bot:
        yield bot


async def test_send_message_is_stored_as_telegram_returns_it(
    bot: PtbBot, tg: FakeTelegram
) -> None:
    raw = "<b>Bonjour</b> &amp; bienvenue 🎉 <i>à vous</i>"
    message = await bot.send_message(USER, raw, parse_mode="HTML", reply_markup=keyboard("Oui"))
    assert message.text == "Bonjour & bienvenue 🎉 à vous"
    assert message.entities == (
        MessageEntity("bold", 0, 7),
        MessageEntity("italic", 23, 6),  # the emoji counts 2 UTF-16 units
    )
    assert message.from_user is not None
    assert message.from_user.username == "innovdeizh_bot"
    assert message.reply_markup == keyboard("Oui")
    stored = tg.last_bot_message(USER)
    assert stored["html"] == raw
    assert stored["message_id"] == message.message_id
    assert tg.bot_texts(USER) == ["Bonjour & bienvenue 🎉 à vous"]
    assert [b["text"] for row in tg.buttons(stored) for b in row] == ["Oui"]
    second = await bot.send_message(USER, "encore")
    assert second.message_id == message.message_id + 1
    assert tg.calls[-1].method == "sendMessage"
    assert tg.calls[-1].status == 200


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"text": "   "}, "message text is empty"),
        ({"text": "<b></b>", "parse_mode": "HTML"}, "message text is empty"),
        ({"text": "é" * 4097}, "message is too long"),
        ({"text": "😀" * 2049}, "message is too long"),
        ({"text": "1 < 2", "parse_mode": "HTML"}, "can't parse entities: unsupported start tag"),
        ({"text": "x <br> y", "parse_mode": "HTML"}, 'unsupported start tag "br"'),
        ({"text": "<b>bold", "parse_mode": "HTML"}, "can't find end tag"),
        ({"text": "<b>x</i>", "parse_mode": "HTML"}, "unmatched end tag"),
        ({"text": "<span>x</span>", "parse_mode": "HTML"}, "tg-spoiler"),
        ({"text": "x", "reply_markup": keyboard("é" * 33)}, "button_data_invalid"),
        (
            {"text": "x", "reply_markup": InlineKeyboardMarkup([[InlineKeyboardButton("t")]])},
            "can't parse inline keyboard button",
        ),
        ({"text": "x", "chat_id": 999}, "chat not found"),
        ({"text": "x", "reply_to_message_id": 999}, "message to be replied not found"),
    ],
)
async def test_send_message_refused_like_telegram(
    bot: PtbBot, tg: FakeTelegram, kwargs: dict[str, Any], reason: str
) -> None:
    kwargs = dict(kwargs)  # the parameter set is shared by both transports
    chat_id = kwargs.pop("chat_id", USER)
    with pytest.raises(BadRequest, match=f"(?i){reason}"):
        await bot.send_message(chat_id, **kwargs)
    assert tg.bot_messages(USER) == []
    assert tg.calls[-1].status == 400


async def test_escaped_member_input_passes_and_raw_fails(bot: PtbBot, tg: FakeTelegram) -> None:
    said = "<script> & Cie </b>"
    with pytest.raises(BadRequest):
        await bot.send_message(USER, f"Vous avez dit : {said}", parse_mode="HTML")
    await bot.send_message(USER, f"Vous avez dit : {html.escape(said)}", parse_mode="HTML")
    assert tg.bot_texts(USER) == [f"Vous avez dit : {said}"]


async def test_long_texts_count_utf16_units(bot: PtbBot, tg: FakeTelegram) -> None:
    await bot.send_message(USER, "😀" * 2048)
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_document(USER, b"x", filename="a.txt", caption="x" * 1025)
    assert len(tg.bot_messages(USER)) == 2


async def test_blocked_user_gives_forbidden(bot: PtbBot, tg: FakeTelegram) -> None:
    tg.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "coucou")
    tg.unblock(USER)
    await bot.send_message(USER, "coucou")
    assert tg.bot_texts(USER) == ["coucou"]


async def test_injected_failure_and_retry_after(
    bot: PtbBot, tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without PTB_TIMEDELTA, PTB 22 warns when it builds RetryAfter (an error under our config).
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "x")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    tg.fail_next("sendMessage", 502, "Bad Gateway", times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(USER, "x")
    await bot.send_message(USER, "enfin")
    assert tg.bot_texts(USER) == ["enfin"]
    assert [c.status for c in tg.calls if c.method == "sendMessage"] == [429, 502, 502, 200]


async def test_edits(bot: PtbBot, tg: FakeTelegram) -> None:
    sent = await bot.send_message(USER, "Question ?", reply_markup=keyboard("Oui", "Non"))
    edited = await bot.edit_message_text(
        "<i>Réponse</i>", USER, sent.message_id, parse_mode="HTML", reply_markup=keyboard("Ok")
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Réponse"
    assert edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "<i>Réponse</i>", USER, sent.message_id, parse_mode="HTML", reply_markup=keyboard("Ok")
        )
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard("Fini"))
    assert [b["text"] for b in tg.buttons(tg.last_bot_message(USER))[0]] == ["Fini"]
    # Editing the text without reply_markup drops the keyboard, as Telegram does.
    await bot.edit_message_text("Réponse", USER, sent.message_id)
    assert tg.buttons(tg.last_bot_message(USER)) == []
    assert tg.last_bot_message(USER)["html"] == "Réponse"
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    assert await bot.delete_message(USER, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(USER, sent.message_id)
    assert tg.messages(USER) == []


async def test_caption_edit(bot: PtbBot, tg: FakeTelegram) -> None:
    sent = await bot.send_document(USER, b"data", filename="cr.pdf", caption="v1")
    await bot.edit_message_caption(USER, sent.message_id, caption="<b>v2</b>", parse_mode="HTML")
    assert tg.bot_texts(USER) == ["v2"]
    text = await bot.send_message(USER, "texte")
    with pytest.raises(BadRequest, match=r"(?i)no caption"):
        await bot.edit_message_caption(USER, text.message_id, caption="x")


async def test_callback_queries(bot: PtbBot, tg: FakeTelegram) -> None:
    sent = await bot.send_message(USER, "Choisissez", reply_markup=keyboard("Oui", "Non"))
    update = Update.de_json(tg.press(USER, sent.message_id, text="Non"), bot)
    query = update.callback_query
    assert query is not None
    assert query.data == "Non"
    assert query.message is not None
    assert query.message.message_id == sent.message_id
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query.id, text="x" * 201)
    assert await bot.answer_callback_query(query.id, text="Noté")
    assert tg.callback_answers[-1]["text"] == "Noté"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)
    forged = tg.press(USER, sent.message_id, data="admin:delete:1")
    assert forged["callback_query"]["data"] == "admin:delete:1"
    with pytest.raises(LookupError, match="Peut-être"):
        tg.press(USER, sent.message_id, text="Peut-être")


async def test_inline_queries(bot: PtbBot, tg: FakeTelegram) -> None:
    query_id = tg.inline_query(USER, "atelier")["inline_query"]["id"]

    def article(n: int) -> InlineQueryResultArticle:
        return InlineQueryResultArticle(str(n), f"R{n}", InputTextMessageContent(f"t{n}"))

    with pytest.raises(BadRequest, match=r"(?i)results_too_much"):
        await bot.answer_inline_query(query_id, [article(n) for n in range(51)])
    with pytest.raises(BadRequest, match=r"(?i)next_offset_invalid"):
        await bot.answer_inline_query(query_id, [article(1)], next_offset="9" * 65)
    assert await bot.answer_inline_query(query_id, [article(1)], next_offset="10")
    assert tg.inline_answers[-1]["next_offset"] == "10"
    assert tg.inline_answers[-1]["results"][0]["id"] == "1"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_inline_query(query_id, [article(1)])


async def test_get_updates_long_polling(bot: PtbBot, tg: FakeTelegram) -> None:
    polling = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not polling.done()
    tg.send_text(USER, "/start@innovdeizh_bot bienvenue")
    updates = await asyncio.wait_for(polling, 2)
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None
    assert message.text == "/start@innovdeizh_bot bienvenue"
    assert message.entities == (MessageEntity("bot_command", 0, 21),)
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert tg.pending_updates() == []


async def test_member_updates_parse_in_ptb(bot: PtbBot, tg: FakeTelegram) -> None:
    sent = await bot.send_message(GROUP, "Salut le groupe")
    updates = [
        tg.send_text(OTHER, "réponse", chat_id=GROUP, reply_to=sent.message_id),
        tg.send_sticker(USER),
        tg.send_voice(USER),
        tg.send_photo(USER, caption="ma photo"),
        tg.send_document(USER, b"a;b\n1;2\n", "membres.csv"),
        tg.send_location(USER, 48.11, -1.68),
    ]
    parsed = [Update.de_json(update, bot) for update in updates]
    messages = [update.message for update in parsed]
    assert all(message is not None for message in messages)
    reply = messages[0]
    assert reply is not None
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "Salut le groupe"
    assert reply.chat.type == "supergroup"
    photo = messages[3]
    assert photo is not None
    assert photo.caption == "ma photo"
    assert photo.photo[-1].width == 4
    document = messages[4]
    assert document is not None
    assert document.document is not None
    assert document.document.file_name == "membres.csv"
    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"a;b\n1;2\n"
    assert [m["text"] for m in tg.messages(GROUP)] == ["Salut le groupe", "réponse"]
    assert len(tg.pending_updates()) == len(updates)


async def test_document_upload_is_stored_and_downloadable(bot: PtbBot, tg: FakeTelegram) -> None:
    sent = await bot.send_document(USER, b"id;nom\n1;Anne\n", filename="export.csv")
    assert sent.document is not None
    assert sent.document.file_name == "export.csv"
    assert sent.document.mime_type == "text/csv"
    assert tg.files[sent.document.file_id] == b"id;nom\n1;Anne\n"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"id;nom\n1;Anne\n"
    again = await bot.send_document(OTHER, sent.document.file_id)
    assert again.document is not None
    assert again.document.file_unique_id == sent.document.file_unique_id
    photo = await bot.send_photo(USER, b"not really a png", caption="<b>Affiche</b>")
    assert photo.caption == "<b>Affiche</b>"  # no parse_mode: tags are text
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_location_poll_and_chat_calls(bot: PtbBot, tg: FakeTelegram) -> None:
    location = await bot.send_location(USER, 48.1173, -1.6778)
    assert location.location is not None
    assert location.location.latitude == pytest.approx(48.1173)
    assert await bot.send_chat_action(USER, "typing")
    info = await bot.get_chat(GROUP)
    assert info.title == "Innov'Deizh"
    poll_message = await bot.send_poll(
        GROUP, "Quel jour ?", ["Lundi", "Mardi"], is_anonymous=False
    )
    assert poll_message.poll is not None
    poll_id = poll_message.poll.id
    answer = Update.de_json(tg.answer_poll(USER, poll_id, [1]), bot).poll_answer
    assert answer is not None
    assert answer.option_ids == (1,)
    tg.answer_poll(OTHER, poll_id, [1])
    tg.answer_poll(OTHER, poll_id, [])
    stopped = await bot.stop_poll(GROUP, poll_message.message_id)
    assert stopped.is_closed
    assert [option.voter_count for option in stopped.options] == [0, 1]
    assert tg.polls[poll_id]["total_voter_count"] == 1
    with pytest.raises(BadRequest, match=r"(?i)poll_answers_invalid"):
        await bot.send_poll(GROUP, "Trop ?", [str(n) for n in range(13)])
    with pytest.raises(BadRequest, match=r"(?i)poll_option_invalid"):
        await bot.send_poll(GROUP, "Long ?", ["x" * 101, "y"])
    with pytest.raises(BadRequest, match=r"(?i)poll_question_invalid"):
        await bot.send_poll(GROUP, "q" * 301, ["x", "y"])


async def test_commands(bot: PtbBot, tg: FakeTelegram) -> None:
    commands = [BotCommand("aide", "Afficher l'aide"), BotCommand("idee", "Proposer une idée")]
    assert await bot.set_my_commands(commands, language_code="fr")
    assert await bot.set_my_commands(commands[:1], scope=BotCommandScopeChat(GROUP))
    assert tg.commands[('{"type": "default"}', "fr")][1]["command"] == "idee"
    assert tg.commands[(f'{{"chat_id": {GROUP}, "type": "chat"}}', "")] == [
        {"command": "aide", "description": "Afficher l'aide"}
    ]
    assert await bot.get_my_commands(language_code="fr") == tuple(commands)
    assert await bot.delete_my_commands(language_code="fr")
    assert await bot.get_my_commands(language_code="fr") == ()
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Aide-moi", "x")])
    with pytest.raises(BadRequest, match=r"(?i)bot_command_description_invalid"):
        await bot.set_my_commands([BotCommand("aide", "x" * 257)])
    assert await bot.set_chat_menu_button()


async def test_unknown_method_and_wrong_token(connect: Connect) -> None:
    async with connect() as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendTelepathy")
    with pytest.raises(InvalidToken):
        async with connect(token="654321:WRONG-token_abcdefghijklmnopqrstuv"):
            pass


async def test_dropped_connection_is_a_network_error(bot: PtbBot, tg: FakeTelegram) -> None:
    tg.drop_connections("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "perdu")
    assert tg.bot_messages(USER) == []
    assert tg.calls[-1].status == 0
    await bot.send_message(USER, "reçu")
    assert tg.bot_texts(USER) == ["reçu"]


async def test_late_answer_delivers_but_times_out(connect: Connect, tg: FakeTelegram) -> None:
    async with connect(read_timeout=0.2) as bot:
        tg.accept_then_timeout("sendMessage", delay=1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "livré quand même")
        await tg.wait_for(lambda: tg.bot_texts(USER) == ["livré quand même"], timeout=2)
        await bot.send_message(USER, "suivant")
    assert tg.bot_texts(USER) == ["livré quand même", "suivant"]


async def test_rate_limits_on_fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    now = [100.0]
    tg = FakeTelegram(limits=RateLimits(), clock=lambda: now[0])
    for user_id in range(1, 41):
        tg.add_user(user_id)
    tg.add_group(GROUP)
    async with PtbBot(tg.token, request=InProcessBotApi(tg)) as bot:
        for user_id in range(1, 31):
            await bot.send_message(user_id, "annonce")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(31, "annonce")
        assert caught.value.retry_after == dtm.timedelta(seconds=1)
        assert len(tg.bot_messages(31)) == 0
        now[0] += 1.0
        await bot.send_message(31, "annonce")
        with pytest.raises(RetryAfter):
            await bot.send_message(31, "deuxième dans la seconde")
        for _ in range(20):
            now[0] += 1.0
            await bot.send_message(GROUP, "groupe")
        now[0] += 1.0
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(GROUP, "21e dans la minute")
        assert caught.value.retry_after == dtm.timedelta(seconds=40)
    assert tg.max_sends_in_window(1.0) == 30
    assert tg.max_sends_in_window(60.0, chat_id=GROUP) == 20


async def test_wait_for_times_out_clearly(tg: FakeTelegram) -> None:
    with pytest.raises(TimeoutError, match="recent calls: none"):
        await tg.wait_for(lambda: False, timeout=0.05)


async def test_webhook_and_polling_conflict(bot: PtbBot) -> None:
    assert await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()


async def test_http_keeps_string_parameters_as_strings(tg: FakeTelegram) -> None:
    server = BotApiHttpServer(tg)
    await server.start()
    try:
        async with PtbBot(tg.token, base_url=server.base_url) as bot:
            message = await bot.send_message(USER, "123")
            await bot.send_message(USER, "true")
    finally:
        await server.stop()
    assert message.text == "123"
    assert tg.bot_texts(USER) == ["123", "true"]
    assert tg.calls[-1].params["chat_id"] == USER


async def test_direct_calls_answer_like_the_api(tg: FakeTelegram) -> None:
    assert await tg.call("getMe", {}) == (200, {"ok": True, "result": ANY})
    status, body = await tg.call(
        "sendMessage", {"chat_id": USER, "text": "x", "reply_parameters": 5}
    )
    assert (status, body["ok"], body["error_code"]) == (400, False, 400)
    assert await tg.call("sendSomething", {}) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert [call.status for call in tg.calls] == [200, 400, 404]


async def test_allowed_updates_filter_like_telegram(bot: PtbBot, tg: FakeTelegram) -> None:
    sent = await bot.send_message(USER, "?", reply_markup=keyboard("Oui"))
    tg.send_text(USER, "bonjour")
    tg.press(USER, sent.message_id, text="Oui")
    updates = await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    assert [update.callback_query is not None for update in updates] == [True]
    assert len(tg.pending_updates()) == 1  # the message update is gone for good


async def test_http_accepts_json_bodies_and_get(tg: FakeTelegram) -> None:
    server = BotApiHttpServer(tg)
    base = await server.start()
    try:
        async with httpx.AsyncClient() as client:
            sent = await client.post(
                f"{base}{tg.token}/sendMessage", json={"chat_id": USER, "text": "42"}
            )
            me = await client.get(f"{base}{tg.token}/getMe")
            missing = await client.get(f"{server.base_file_url}{tg.token}/documents/nope.txt")
    finally:
        await server.stop()
    assert sent.json()["result"]["text"] == "42"
    assert me.json()["result"]["username"] == "innovdeizh_bot"
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("a &lt;b&gt; &amp;c &#233; &#x1F600; &nbsp;", "a <b> &c é 😀 &nbsp;", []),
        (
            '<pre><code class="language-python">x = 1</code></pre>',
            "x = 1",
            [{"type": "pre", "offset": 0, "length": 5, "language": "python"}],
        ),
        (
            '<a href="https://innovdeizh.bzh/?a=1&amp;b=2">site</a>',
            "site",
            [
                {
                    "type": "text_link",
                    "offset": 0,
                    "length": 4,
                    "url": "https://innovdeizh.bzh/?a=1&b=2",
                }
            ],
        ),
        (
            "<blockquote expandable>long</blockquote><tg-spoiler>s</tg-spoiler>",
            "longs",
            [
                {"type": "expandable_blockquote", "offset": 0, "length": 4},
                {"type": "spoiler", "offset": 4, "length": 1},
            ],
        ),
        ("<B>x</B>", "x", [{"type": "bold", "offset": 0, "length": 1}]),
    ],
)
def test_parse_html(source: str, text: str, entities: list[dict[str, Any]]) -> None:
    parsed = parse_html(source)
    assert parsed.text == text
    assert parsed.entities == entities


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("é<b", "Unclosed start tag at byte offset 2"),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
    ],
)
def test_parse_html_errors(source: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == reason
