"""Helpers for the web server's tests: a server on a free loopback port, metrics as numbers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from prometheus_client.parser import text_string_to_metric_families

from bot.config import HttpConfig
from bot.context import Deps
from bot.web.role import Role
from bot.web.server import WebServer

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@asynccontextmanager
async def web_server(deps: Deps, role: Role) -> AsyncIterator[str]:
    """The bot's web server on ``deps`` (polling mode, [http] enabled on a free port); yields
    its base URL."""
    config = replace(deps.config, http=HttpConfig(enabled=True, listen="127.0.0.1", port=0))
    server = WebServer(replace(deps, config=config), role)
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


def samples(exposition: str) -> Samples:
    """Every sample of a /metrics answer, parsed by prometheus_client's own parser, keyed by
    (sample name, sorted labels)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }
