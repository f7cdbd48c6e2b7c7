"""A delivery worker on its own: ``python -m bot.delivery_process --database URL --base-url URL``.

Used by the crash tests and benches (and usable next to a webhook instance): it recovers what a
previous crash left in flight, sends what is due, and on SIGTERM stops claiming, lets the sends
in flight be recorded, and exits 0. ``--until-idle`` exits once nothing is pending.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.delivery_worker import telegram_sender
from bot.services.delivery.engine import DeliveryEngine
from bot.services.delivery.outbox import DeliveryService
from bot.services.delivery.types import DeliverySettings, DoubtPolicy
from storage.db import create_engine, create_sessions


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.delivery_process")
    parser.add_argument("--database", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", default="123456:TEST-token_abcdefghijklmnopqrstuvw")
    parser.add_argument("--rate", type=int, default=DeliverySettings.per_second_total)
    parser.add_argument("--concurrency", type=int, default=DeliverySettings.concurrency)
    parser.add_argument("--policy", action="append", default=[], help="kind=resend|skip")
    parser.add_argument("--until-idle", action="store_true")
    return parser


async def run(args: argparse.Namespace) -> None:
    """Send what the outbox holds until SIGTERM (or until idle with ``--until-idle``)."""
    policies = {}
    for item in args.policy:
        kind, _, policy = item.partition("=")
        policies[kind] = DoubtPolicy(policy)
    settings = DeliverySettings(
        per_second_total=args.rate,
        spacing_rate=max(30.0, args.rate * 1.05),
        concurrency=args.concurrency,
        policies=policies,
    )
    engine = create_engine(args.database)
    request = HTTPXRequest(connection_pool_size=args.concurrency + 2)
    bot = Bot(args.token, base_url=args.base_url, request=request)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    try:
        async with bot:
            service = DeliveryService(create_sessions(engine), settings)
            worker = DeliveryEngine(service, telegram_sender(bot))
            print("ready", flush=True)
            if args.until_idle:
                await worker.drain()
            else:
                await worker.run(stop.is_set)
    finally:
        await engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the worker with the command line's options; 0 once it stopped cleanly."""
    asyncio.run(run(_parser().parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
