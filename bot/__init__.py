"""Innov'Deizh Telegram bot: wiring, configuration and entry points."""

import os

# PTB 22 returns durations (RetryAfter.retry_after, Poll.open_period…) as ints with a
# deprecation warning unless this is set; opt in to the future behaviour (timedelta) everywhere,
# so production and tests (which turn warnings into errors) behave the same.
os.environ.setdefault("PTB_TIMEDELTA", "1")
