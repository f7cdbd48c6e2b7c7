"""What this instance does now, as the web server reports and routes it.

The runner changes it; the server only reads it. In single mode the role is "single" from the
start, and handles updates once :meth:`Role.lead` is called. In ha mode it is "standby" until
the instance wins the lease (``lead``) and again after it loses it (``stand_by``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram import Bot

from bot.intake import Intake

RoleName = Literal["single", "leader", "standby"]


@dataclass
class Role:
    """Mutable on purpose: one object, shared by the runner and the server's handlers."""

    mode: str = "single"  # deployment.mode: "single" or "ha"
    instance: str = ""  # this instance's name in the lease (ha mode)
    intake: Intake | None = None  # set while this instance handles updates
    bot: Bot | None = None

    @property
    def name(self) -> RoleName:
        if self.mode != "ha":
            return "single"
        return "leader" if self.intake is not None else "standby"

    @property
    def handles_updates(self) -> bool:
        """Single mode, or the leader: this instance must be receiving and handling updates."""
        return self.mode != "ha" or self.intake is not None

    def lead(self, intake: Intake, bot: Bot) -> None:
        """Updates are now received and handled here, through ``intake``."""
        self.intake, self.bot = intake, bot

    def stand_by(self) -> None:
        """Another instance handles updates (ha mode), or this one is stopping."""
        self.intake = self.bot = None
