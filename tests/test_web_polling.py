"""A real ``innovdeizh --log-format json run --log-level INFO`` process in polling mode with
``[http] enabled``: /healthz, /readyz and /metrics answer over loopback HTTP after members'
traffic through the HTTP double; every stderr line is one JSON object, lines logged while an
update is handled name it and its member, and neither the token nor what members wrote
reaches the log."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.support.bot_api import FakeTelegram
from tests.support.http_server import BotApiHttpServer
from tests.support.web import samples
from tests.test_intake_crash import _env, _kill, _stop, _wait_healthy

MEMBERS = range(1, 6)
SECRET_WORDS = "Zorglub"  # in every member text: must never be logged at INFO


async def test_polling_with_http_serves_health_metrics_and_json_logs(
    tmp_path: Path, sqlite_url: str, unused_tcp_port: int
) -> None:
    fake = FakeTelegram()
    for member in MEMBERS:
        fake.add_user(member, f"Membre {member}", language_code="fr")
    server = BotApiHttpServer(fake)
    await server.start()
    config = tmp_path / "config.toml"
    config.write_text(f"[http]\nenabled = true\nport = {unused_tcp_port}\n", "utf-8")
    env = _env(sqlite_url, server.base_url, fake.token, INNOVDEIZH_CONFIG=str(config))
    texts = {member: f"jardin {SECRET_WORDS} n° {member}" for member in MEMBERS}
    for member, text in texts.items():
        fake.send_text(member, text)
    fake.send_text(1, f"/start {SECRET_WORDS}-lien")  # an unknown deep link
    refused = fake.send_text(2, "/moderation")  # not a moderator: refused, logged (WARNING)
    base = f"http://127.0.0.1:{unused_tcp_port}"
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot", "--log-format", "json", "run", "--log-level", "info"),
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await _wait_healthy(client, base)
            await fake.wait_for(
                lambda: (
                    len(fake.bot_messages(1)) >= 2 and all(fake.bot_messages(m) for m in MEMBERS)
                ),
                timeout=60,
            )
            health = await client.get("/healthz")
            ready = await client.get("/readyz")
            metrics = await client.get("/metrics")
        log = await _stop(process)
    finally:
        if process.returncode is None:
            await _kill(process)
        await server.stop()
    assert (health.status_code, health.text) == (200, "ok\n")
    assert ready.status_code == 200, ready.text
    assert ready.json()["role"] == "single"
    assert ready.json()["database"] == "ok"
    values = samples(metrics.text)
    assert values["innovdeizh_updates_handled_total", ()] == len(MEMBERS) + 2
    assert values["innovdeizh_intake_waiting", ()] == 0
    assert values["innovdeizh_database_up", ()] == 1

    lines = [json.loads(line) for line in log.splitlines()]  # every line is JSON
    assert len(lines) >= 3
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys()
        assert datetime.fromisoformat(line["time"]).utcoffset() == UTC.utcoffset(None)
    messages = [line["message"] for line in lines]
    assert any(m.startswith("web server listening on 127.0.0.1:") for m in messages)
    refusal = next(line for line in lines if line["logger"] == "handlers.access")
    assert refusal["level"] == "WARNING"
    assert (refusal["update_id"], refusal["member_id"]) == (refused["update_id"], 2)
    outside = next(line for line in lines if line["message"].startswith("web server"))
    assert "update_id" not in outside
    assert SECRET_WORDS not in log
    assert fake.token not in log
    assert fake.token.split(":")[1] not in log
