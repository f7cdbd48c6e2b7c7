"""Build the dependencies and the PTB Application (the same for Telegram, console and tests)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import jobs
from bot.config import Config
from bot.context import DEPS_KEY, AnyApp, BotApp, Ctx, Deps
from bot.persistence import DatabasePersistence
from bot.services.catalogue.communes import CommuneDirectory
from bot.services.catalogue.service import CatalogueService
from bot.services.events import build_events
from bot.services.members.service import MemberService
from bot.services.networking import build_networking
from bot.services.privacy.service import PrivacyService
from bot.services.proposals.service import ProposalService
from bot.services.search.service import SearchService
from bot.services.surveys import build_surveys
from bot.texts import Texts
from handlers import build_handlers
from handlers.errors import on_error
from storage.db import create_engine, create_sessions

# Only Telegram checks tokens; the console and tests use this well-formed one.
OFFLINE_TOKEN = "123456:TEST-token_abcdefghijklmnopqrstuvw"
# Pass the list every time: when omitted, Telegram keeps the previous setting (TELEGRAM.md).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "inline_query", "poll_answer"]
Hook = Callable[[AnyApp], Coroutine[Any, Any, None]]


def build_deps(config: Config) -> Deps:
    """Engine, sessions and services for one process."""
    engine = create_engine(config.database.url)
    sessions = create_sessions(engine)
    texts = Texts.load(config.bot.default_language)  # once: reading the catalogue takes ~70 ms
    events = build_events(sessions, config, texts=texts)
    communes = CommuneDirectory.load()
    return Deps(
        config=config,
        texts=texts,
        engine=engine,
        sessions=sessions,
        members=MemberService(
            sessions, admin_ids=config.bot.admin_ids, moderator_ids=config.bot.moderator_ids
        ),
        catalogue=CatalogueService(sessions, communes),
        search=SearchService(sessions),
        events=events,
        proposals=ProposalService(sessions, communes),
        surveys=build_surveys(sessions, events.delivery, config.bot.tz),
        delivery=events.delivery,
        privacy=PrivacyService(sessions),
        networking=build_networking(
            sessions, config, texts=texts, delivery=events.delivery, communes=communes
        ),
    )


def build_application(
    deps: Deps,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    post_init: Hook | None = None,
    post_shutdown: Hook | None = None,
) -> BotApp:
    """The real Application: handlers table, persistence, French defaults, error handler, jobs.

    ``request`` serves every Bot API call, ``getUpdates`` too unless ``updates_request`` is
    given. ``post_init`` and ``post_shutdown`` are run by ``run_polling`` / ``run_webhook`` only.
    """
    config = deps.config
    builder = (
        ApplicationBuilder()
        .token(config.telegram.token or OFFLINE_TOKEN)
        .base_url(config.telegram.base_url)
        .context_types(ContextTypes(context=Ctx))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=config.bot.tz))
        .persistence(DatabasePersistence(deps.sessions))
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    if post_init is not None:
        builder = builder.post_init(post_init)
    if post_shutdown is not None:
        builder = builder.post_shutdown(post_shutdown)
    app: BotApp = builder.build()
    app.bot_data[DEPS_KEY] = deps
    app.add_handlers(build_handlers())
    app.add_error_handler(on_error)
    # Services say when their schedule changed; only the jobs reschedule anything.
    deps.events.on_schedule_changed(lambda: jobs.wake_now(app, jobs.REMINDERS))
    deps.surveys.quick_polls.on_schedule_changed(lambda: jobs.wake_now(app, jobs.QUICK_POLLS))
    deps.delivery.announcements.on_confirmed(lambda id_: jobs.follow_announcement(app, id_))
    jobs.start(app)
    return app
