"""Dependencies handed to every handler: one frozen ``Deps`` in ``bot_data``, typed ``Ctx``.

Handlers and job callbacks read ``context.deps``; code holding only the Application (start-up,
listeners) calls :func:`deps_of`. ``build_application`` is the one place that stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update, User
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Config
from bot.services.catalogue.service import CatalogueService
from bot.services.delivery.outbox import DeliveryService
from bot.services.events.service import EventService
from bot.services.members.service import MemberService
from bot.services.networking import NetworkingServices
from bot.services.open_data.service import OpenDataService
from bot.services.privacy.service import PrivacyService
from bot.services.proposals.service import ProposalService
from bot.services.search.service import SearchService
from bot.services.stats.service import StatsService
from bot.services.surveys import SurveyServices
from bot.texts import Texts
from storage.db import Sessions

DEPS_KEY = "deps"


@dataclass(frozen=True)
class Deps:
    """Everything handlers need, built once in ``build_application``."""

    config: Config
    texts: Texts
    engine: AsyncEngine
    sessions: Sessions
    members: MemberService
    catalogue: CatalogueService
    search: SearchService
    events: EventService
    proposals: ProposalService
    surveys: SurveyServices
    delivery: DeliveryService
    privacy: PrivacyService
    networking: NetworkingServices
    stats: StatsService
    open_data: OpenDataService

    def language_of(self, user: User | None) -> str:
        """The language to answer ``user`` in: chosen, else Telegram's, else the default."""
        if user is None:
            return self.texts.default_language
        member = self.members.cached(user.id)
        return self.texts.pick_language(member.language if member else "", user.language_code)

    def t(self, update: object, key: str, /, **params: Any) -> str:
        """Catalogue text ``key`` in the language of the update's sender."""
        user = update.effective_user if isinstance(update, Update) else None
        return self.texts.get(self.language_of(user), key, **params)

    def caption(self, update: object, key: str, /, **params: Any) -> str:
        """Like :meth:`t`, within a caption's 1,024 UTF-16 units."""
        user = update.effective_user if isinstance(update, Update) else None
        return self.texts.caption(self.language_of(user), key, **params)

    def plural(self, update: object, key: str, count: int, /, **params: Any) -> str:
        """Catalogue text ``key.<plural category of count>`` in the sender's language."""
        user = update.effective_user if isinstance(update, Update) else None
        return self.texts.plural(self.language_of(user), key, count, **params)


class Ctx(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with a typed ``deps`` property (PTB's contexttypesbot pattern)."""

    @property
    def deps(self) -> Deps:
        return _deps_in(self.bot_data)


BotApp = Application[ExtBot[None], Ctx, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
# What PTB types ``context.application`` as: the same Application, less precisely.
AnyApp = Application[Any, Any, Any, Any, Any, Any]


def deps_of(app: AnyApp) -> Deps:
    """The ``Deps`` of ``app``, for code that has the Application but no context."""
    return _deps_in(app.bot_data)


def _deps_in(bot_data: dict[Any, Any]) -> Deps:
    deps = bot_data[DEPS_KEY]
    if not isinstance(deps, Deps):
        raise TypeError(f"bot_data[{DEPS_KEY!r}] is a {type(deps).__name__}, not Deps")
    return deps
