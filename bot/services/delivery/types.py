"""What the delivery engine hands to a sender, what a sender may answer, and the settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class DoubtPolicy(StrEnum):
    """What to do with a send that may or may not have reached Telegram (crash, timeout)."""

    RESEND = "resend"  # better twice than never (e.g. a poll people must answer)
    SKIP = "skip"  # better never than twice (reminders, announcements): kept as "doubt"


@dataclass(frozen=True)
class DeliverySettings:
    """Telegram's limits (with a safety margin) and the engine's behaviour; all configurable.

    Sends are spaced evenly at ``spacing_rate`` per second (28.8: 0.96 of Telegram's 30, so
    every second keeps 1.2 sends of slack for the jitter between our clock and Telegram's), and
    at most ``per_second_total`` of them start within any ``window`` seconds (29 in 1 s, a hard
    cap should a late timer make the loop catch up).
    """

    per_second_total: int = 29
    window: float = 1.0
    spacing_rate: float = 28.8
    per_chat_interval: float = 1.05
    per_group_per_minute: int = 20
    group_window: float = 61.0
    concurrency: int = 4
    max_attempts: int = 8
    backoff_base: float = 2.0
    backoff_max: float = 300.0
    batch_size: int = 256
    idle_poll: float = 1.0
    default_policy: DoubtPolicy = DoubtPolicy.SKIP
    # Purpose kind (the text before the first ":") -> policy, e.g. {"poll": RESEND}.
    policies: Mapping[str, DoubtPolicy] = field(default_factory=dict)

    def policy_for(self, purpose: str) -> DoubtPolicy:
        return self.policies.get(purpose.split(":", 1)[0], self.default_policy)


@dataclass(frozen=True)
class Claimed:
    """One outbox row claimed for sending: where, what, and how many tries so far."""

    id: int
    purpose: str
    chat_id: int
    payload: dict[str, Any]
    attempts: int
    in_doubt: bool = False


# A sender delivers one claimed row and returns Telegram's message id, or raises one of the
# DeliveryError subclasses below. bot/delivery_worker.py has the one that talks to Telegram.
Sender = Callable[[Claimed], Awaitable[int]]


class DeliveryError(Exception):
    """A send that did not simply succeed."""


class RetryLater(DeliveryError):
    """Telegram answered 429: wait ``seconds`` before sending anything again."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds}")
        self.seconds = seconds


class Unreachable(DeliveryError):
    """403: the member blocked the bot (or the bot left the group); never retried."""


class TransientError(DeliveryError):
    """The request did not reach Telegram (connection refused or dropped): safe to retry."""


class InDoubt(DeliveryError):
    """The request left but no answer came (read timeout): it may have been delivered."""


class Rejected(DeliveryError):
    """400 and other permanent refusals: retrying would get the same answer."""
