"""The webhook needs its secret: refused at start without one; a POST without it or with
another one gets 403, is logged with its source and changes nothing; /healthz and /readyz."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.console.bot_api import FakeTelegram
from storage.db import create_engine
from storage.models import InboundUpdate
from tests.support.http_server import BotApiHttpServer
from tests.test_intake_crash import SECRET_HEADER, _env, _kill, _run, _stop, _wait_healthy

ANNE = 4242


def _config(tmp_path: Path, port: int, secret: str | None) -> Path:
    path = tmp_path / "config.toml"
    line = f'secret_token = "{secret}"\n' if secret is not None else ""
    path.write_text(
        '[telegram]\nmode = "webhook"\n[telegram.webhook]\n'
        f'url = "https://bot.example.org/hook"\nport = {port}\npath = "hook"\n{line}',
        "utf-8",
    )
    return path


async def test_webhook_without_a_secret_is_refused_at_start(
    tmp_path: Path, sqlite_url: str, unused_tcp_port: int
) -> None:
    config = _config(tmp_path, unused_tcp_port, None)
    env = _env(sqlite_url, "http://127.0.0.1:9/bot", "123:abc", INNOVDEIZH_CONFIG=str(config))
    process = await _run(tmp_path, env)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    log = stderr.decode().strip()
    assert process.returncode == 2, log
    assert log == (
        "configuration error: telegram.webhook.secret_token: "
        "required when telegram.mode = 'webhook'"
    )


async def test_post_without_or_with_a_wrong_secret_is_403_and_changes_nothing(
    tmp_path: Path, sqlite_url: str, unused_tcp_port: int
) -> None:
    fake = FakeTelegram()
    server = BotApiHttpServer(fake)
    await server.start()
    config = _config(tmp_path, unused_tcp_port, "the-Right-one")
    env = _env(sqlite_url, server.base_url, fake.token, INNOVDEIZH_CONFIG=str(config))
    base = f"http://127.0.0.1:{unused_tcp_port}"
    fake.add_user(ANNE, "Anne", language_code="fr")
    process = await _run(tmp_path, env)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            await _wait_healthy(client, base)
            update = fake.send_text(ANNE, "/start")
            forged = [
                await client.post(f"{base}/hook", json=update),
                await client.post(
                    f"{base}/hook", json=update, headers={SECRET_HEADER: "the-wrong-one"}
                ),
                await client.post(f"{base}/hook", json=update, headers={SECRET_HEADER: ""}),
            ]
            health = await client.get(f"{base}/healthz")
            ready = await client.get(f"{base}/readyz")
            await asyncio.sleep(0.5)  # anything wrongly accepted would be answered by now
        log = await _stop(process)
    finally:
        if process.returncode is None:
            await _kill(process)
        await server.stop()
    assert [answer.status_code for answer in forged] == [403, 403, 403]
    assert fake.bot_messages(ANNE) == []
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(InboundUpdate)) == 0
    finally:
        await engine.dispose()
    assert "refused a POST with no secret from 127.0.0.1" in log
    assert "refused a POST with a wrong secret from 127.0.0.1" in log
    assert "the-wrong-one" not in log
    assert "the-Right-one" not in log
    assert (health.status_code, health.text) == (200, "ok\n")
    assert ready.status_code == 200, ready.text
    assert ready.json() | {"intake_lag_seconds": 0} == {
        "ready": True,
        "role": "single",
        "instance": f"{socket.gethostname()[:40]}-{process.pid}",
        "leader": None,
        "epoch": None,
        "database": "ok",
        "intake_lag_seconds": 0,
    }
    set_webhook = next(call for call in fake.calls if call.method == "setWebhook")
    assert set_webhook.params["secret_token"] == "the-Right-one"
