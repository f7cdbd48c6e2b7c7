"""The real bot over loopback HTTP: the Application's own HTTP client, long polling against
the double, the ``innovdeizh run`` process and the console, as an organiser starts them."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from bot.app import ALLOWED_UPDATES, build_application, build_deps
from bot.commands import publish_commands
from bot.config import Config
from bot.console.bot_api import FakeTelegram, commands_key
from bot.intake import Intake
from bot.runner import journal_of, receiver
from bot.services.delivery.outbox import DeliveryService
from bot.startup import prepare_database
from bot.web.role import Role
from bot.web.server import start_web
from storage.db import create_engine, create_sessions
from storage.migrate import upgrade
from tests.support.driver import plain
from tests.support.http_server import BotApiHttpServer

ANNE = 4242


@pytest.fixture
async def server(fake: FakeTelegram) -> AsyncIterator[BotApiHttpServer]:
    http = BotApiHttpServer(fake)
    await http.start()
    yield http
    await http.stop()


def bot_said(fake: FakeTelegram, chat_id: int, prefix: str) -> bool:
    return any(plain(text).startswith(prefix) for text in fake.bot_texts(chat_id))


async def test_application_long_polls_the_http_double_welcome_help_language_menus(
    config: Config, fake: FakeTelegram, server: BotApiHttpServer
) -> None:
    config = replace(
        config,
        telegram=replace(config.telegram, token=fake.token, base_url=server.base_url),
    )
    deps = build_deps(config)
    await prepare_database(deps)
    app = build_application(deps)
    fake.add_user(ANNE, "Anne", language_code="fr")
    try:
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
            )
            fake.send_text(ANNE, "/start")
            await fake.wait_for(lambda: bot_said(fake, ANNE, "Bonjour Anne !"), timeout=10)
            fake.send_text(ANNE, "/aide")
            await fake.wait_for(lambda: bot_said(fake, ANNE, "Ce que je sais faire"), timeout=10)
            fake.send_text(ANNE, "/frobnicate")
            await fake.wait_for(lambda: bot_said(fake, ANNE, "Je ne connais pas"), timeout=10)
            fake.send_text(ANNE, "/langue")
            await fake.wait_for(lambda: bot_said(fake, ANNE, "Dans quelle langue"), timeout=10)
            question = fake.last_bot_message(ANNE)["message_id"]
            fake.press(ANNE, question, text="🇬🇧 English")
            await fake.wait_for(lambda: bot_said(fake, ANNE, "Done, I will speak English"))
            assert await publish_commands(app)
            await app.updater.stop()
            await app.stop()
    finally:
        await deps.engine.dispose()
    english_menu = [c["command"] for c in fake.commands[commands_key(None, "en")]]
    assert {"start", "help", "language", "search"} <= set(english_menu)
    polls = [call for call in fake.calls if call.method == "getUpdates"]
    assert polls
    assert polls[0].params["allowed_updates"] == ALLOWED_UPDATES


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("INNOVDEIZH_") or k == "INNOVDEIZH_TEST_POSTGRES"
    }
    env["INNOVDEIZH_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}"
    env.update(extra)
    return env


async def test_run_serves_a_bot_api_server_by_long_polling_and_stops_on_sigterm(
    tmp_path: Path, fake: FakeTelegram, server: BotApiHttpServer
) -> None:
    env = _env(tmp_path, INNOVDEIZH_TOKEN=fake.token, INNOVDEIZH_BASE_URL=server.base_url)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        fake.add_user(ANNE, "Anne", language_code="fr")
        fake.send_text(ANNE, "/start")
        await fake.wait_for(lambda: bot_said(fake, ANNE, "Bonjour Anne !"), timeout=60)
        fake.send_text(ANNE, "/help")
        await fake.wait_for(lambda: bot_said(fake, ANNE, "Ce que je sais faire"), timeout=10)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert "is running" in log
    assert fake.token not in log
    assert fake.token.split(":")[1] not in log


def test_console_with_piped_input(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/start\n/aide\n1\n2\n/organisateur\n/aide\n/quit\n",
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = plain(result.stdout)
    assert "Console Innov'Deizh" in out
    as_member, as_organiser = out.split("👤 Tu es Yann", 1)
    assert "🤖 Bonjour Maëlle ! 👋" in as_member
    assert "[1.5] ✍️ Proposer une initiative" in as_member
    assert "🤖 Ce que je sais faire" in as_member
    assert "Pour les organisateurs" not in as_member  # an ordinary member first
    assert "🤖 (modifié) Done, I will speak English to you from now on." in as_member
    assert "Pour les organisateurs" in as_organiser  # /organisateur: the console's local admin
    assert out.rstrip().endswith("À bientôt !")


async def test_webhook_mode_checks_the_secret_and_answers(
    config: Config, fake: FakeTelegram, server: BotApiHttpServer, unused_tcp_port: int
) -> None:
    webhook = replace(
        config.telegram.webhook,
        url="https://bot.example.org/telegram",
        port=unused_tcp_port,
        secret_token="s3cret-Token",
    )
    config = replace(
        config,
        telegram=replace(
            config.telegram,
            token=fake.token,
            base_url=server.base_url,
            mode="webhook",
            webhook=webhook,
        ),
    )
    deps = build_deps(config)
    await prepare_database(deps)
    app = build_application(deps)
    fake.add_user(ANNE, "Anne", language_code="fr")
    update = fake.send_text(ANNE, "/start")
    endpoint = f"http://127.0.0.1:{unused_tcp_port}/telegram"
    try:
        async with app, httpx.AsyncClient() as client:
            await app.start()
            intake = Intake(app, journal_of(deps))
            intake.start()
            role = Role()  # as the runner does
            role.lead(intake, app.bot)
            web = await start_web(deps, role)
            assert web is not None
            hook = receiver(intake, app, config)
            await hook.start()
            forged = await client.post(endpoint, json=update)
            assert forged.status_code == 403
            assert fake.bot_texts(ANNE) == []
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"}
            accepted = await client.post(endpoint, json=update, headers=headers)
            assert accepted.status_code == 200
            await fake.wait_for(lambda: bot_said(fake, ANNE, "Bonjour Anne !"), timeout=10)
            await hook.stop()
            await web.stop()
            await intake.stop()
            await app.stop()
    finally:
        await deps.engine.dispose()
    set_webhook = next(call for call in fake.calls if call.method == "setWebhook")
    assert set_webhook.params["url"] == "https://bot.example.org/telegram"
    assert set_webhook.params["secret_token"] == "s3cret-Token"
    assert set_webhook.params["allowed_updates"] == ALLOWED_UPDATES


@pytest.mark.parametrize(
    ("token", "base_url", "error"),
    [
        ("123:not-the-token", None, "telegram.token: Telegram rejected this token"),
        (None, "http://127.0.0.1:9/bot", "telegram.base_url: cannot reach the Bot API"),
    ],
)
async def test_refused_token_or_unreachable_api_is_one_line_and_exit_2(
    tmp_path: Path,
    server: BotApiHttpServer,
    token: str | None,
    base_url: str | None,
    error: str,
) -> None:
    env = _env(
        tmp_path,
        INNOVDEIZH_TOKEN=token or server.fake.token,
        INNOVDEIZH_BASE_URL=base_url or server.base_url,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    log = stderr.decode()
    assert process.returncode == 2, log
    assert log.splitlines()[-1].startswith(f"configuration error: {error}")
    assert "Traceback" not in log


async def test_run_by_webhook_sends_the_outbox_and_stops_on_sigint_within_seconds(
    tmp_path: Path, fake: FakeTelegram, server: BotApiHttpServer, unused_tcp_port: int
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        '[telegram]\nmode = "webhook"\n[telegram.webhook]\n'
        f'url = "https://bot.example.org/hook"\nport = {unused_tcp_port}\npath = "hook"\n'
        'secret_token = "s3cret-Token"\n',
        "utf-8",
    )
    env = _env(
        tmp_path,
        INNOVDEIZH_TOKEN=fake.token,
        INNOVDEIZH_BASE_URL=server.base_url,
        INNOVDEIZH_CONFIG=str(config_file),
    )
    # Planned before the start (by the CLI, or before a crash): the delivery engine sends it.
    engine = create_engine(env["INNOVDEIZH_DATABASE_URL"])
    try:
        await upgrade(engine)
        await DeliveryService(create_sessions(engine)).plan(
            "announce:1", [ANNE], {"kind": "text", "text": "Rappel : débrief jeudi"}
        )
    finally:
        await engine.dispose()
    fake.add_user(ANNE, "Anne", language_code="fr")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=subprocess.PIPE
    )
    try:
        await fake.wait_for(lambda: bot_said(fake, ANNE, "Rappel : débrief jeudi"), timeout=60)
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"}
        async with httpx.AsyncClient() as client:
            endpoint = f"http://127.0.0.1:{unused_tcp_port}/hook"
            accepted = await client.post(
                endpoint, json=fake.send_text(ANNE, "/start"), headers=headers
            )
        assert accepted.status_code == 200
        await fake.wait_for(lambda: bot_said(fake, ANNE, "Bonjour Anne !"), timeout=10)
        stopping = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=10)
        assert time.monotonic() - stopping < 5
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    set_webhook = next(call for call in fake.calls if call.method == "setWebhook")
    assert set_webhook.params["allowed_updates"] == ALLOWED_UPDATES
