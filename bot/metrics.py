"""What /metrics counts in this process (Prometheus text format, prometheus_client).

Counters live here, in one registry, and are incremented where the thing happens (the intake,
the delivery engine, the leadership loop). Values read from the database at scrape time (outbox
depth, intake lag) are added by the web server's collector, not counted here.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

REGISTRY = CollectorRegistry(auto_describe=True)

UPDATES_HANDLED = Counter(
    "innovdeizh_updates_handled",
    "Updates from Telegram handled by this instance",
    registry=REGISTRY,
)
SENDS = Counter(
    "innovdeizh_sends",
    "Outbox sends by outcome (sent, blocked, failed, retry, doubt)",
    ["outcome"],
    registry=REGISTRY,
)
TELEGRAM_429 = Counter(
    "innovdeizh_telegram_429",
    "Bot API answers 429 Too Many Requests (RetryAfter)",
    registry=REGISTRY,
)
LEADER_CHANGES = Counter(
    "innovdeizh_leader_changes",
    "Times this instance became leader or stopped being leader",
    ["change"],
    registry=REGISTRY,
)
UPDATES_IN_DOUBT = Counter(
    "innovdeizh_updates_in_doubt",
    "Updates found being answered by a previous leader, reported and not handled again",
    registry=REGISTRY,
)
