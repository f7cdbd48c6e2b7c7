"""Every route of the bot, in dispatch order. Read this file first.

Group -1 sees every update before routing. In group 0 the first matching handler wins, so
specific handlers come before the catch-alls at the end. Feature modules never register
themselves: adding a feature means adding its lines here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.context import Ctx
from handlers import fallback, language, members, menu, privacy, start
from handlers import help as help_command
from handlers import stats as admin
from handlers.catalogue import browsing as catalogue
from handlers.catalogue import keys as catalogue_keys
from handlers.catalogue import nearby, qr
from handlers.delivery import build_conversation as _announce_conversation
from handlers.events import cards as events
from handlers.events import create as event_create
from handlers.menu import ADMIN, MODERATOR, MenuCommand
from handlers.proposals import dialogue as submit
from handlers.proposals import moderation
from handlers.routing import Callback, CommandRouter
from handlers.search import inline
from handlers.search import results as search
from handlers.surveys import admin as survey_admin
from handlers.surveys import answering as surveys
from handlers.surveys import quick_polls
from handlers.surveys import results as survey_results

HandlerTable = dict[int, Sequence[BaseHandler[Any, Ctx, Any]]]

# The command menu published with setMyCommands (French names by default, English for "en").
MENU_COMMANDS: tuple[MenuCommand, ...] = (
    MenuCommand("start", "start", "commands.start"),
    MenuCommand("chercher", "search", "commands.search"),
    MenuCommand("labs", "labs", "commands.labs"),
    MenuCommand("innovations", "innovations", "commands.innovations"),
    MenuCommand("autour", "nearby", "commands.nearby"),
    MenuCommand("evenements", "events", "commands.events"),
    MenuCommand("abonnements", "follow", "commands.follow"),
    MenuCommand("proposer", "submit", "commands.submit"),
    MenuCommand("questionnaire", "survey", "commands.survey_answer"),
    MenuCommand("mes_reponses", "my_answers", "commands.survey_my_answers"),
    MenuCommand("aide", "help", "commands.help"),
    MenuCommand("langue", "language", "commands.language"),
    MenuCommand("mesdonnees", "mydata", "commands.mydata"),
    MenuCommand("oublier", "forget", "commands.forget"),
    MenuCommand("confidentialite", "privacy", "commands.privacy"),
    MenuCommand("moderation", "moderation", "commands.moderation", MODERATOR),
    MenuCommand("stats", "stats", "commands.stats", ADMIN),
    MenuCommand("nouvel_evenement", "new_event", "commands.new_event", ADMIN),
    MenuCommand("annonce", "announce", "commands.announce", ADMIN),
    MenuCommand("enquetes", "surveys", "commands.survey_admin", ADMIN),
    MenuCommand("resultats", "results", "commands.survey_results", ADMIN),
    MenuCommand("qr", "qr", "commands.qr", ADMIN),
)


def build_handlers() -> HandlerTable:
    """The routing table handed to ``Application.add_handlers``."""
    deep_links: dict[str, start.DeepLinkTarget] = {
        # "<kind>": feature.open_from_link — payload "<kind>-<rest>" (t.me/<bot>?start=...)
        submit.DEEP_LINK: submit.open_from_link,
        "survey": surveys.open_from_link,
        "lab": catalogue.open_lab,
        "innovation": catalogue.open_innovation,
        "event": events.open_from_link,
    }
    menu_targets: dict[str, menu.MenuTarget] = {
        "help": help_command.show_help,
        "language": language.ask_language,
        "events": events.list_events,
        "search": search.ask,
        "labs": catalogue.show_labs,
        "innovations": catalogue.show_themes,
        # Normally caught first by the "submit" conversation's own entry point (same data).
        "submit": submit.open_dialogue,
    }
    commands: dict[str | tuple[str, ...], Callback] = {
        ("aide", "help"): help_command.show_help,
        ("langue", "language"): language.ask_language,
        ("chercher", "search"): search.on_command,
        "labs": catalogue.show_labs,
        "innovations": catalogue.show_themes,
        "rencontres": events.list_events,  # the same list as /evenements
        ("autour", "nearby"): nearby.ask_location,
        ("evenements", "events"): events.list_events,
        ("abonnements", "follow"): events.show_follow,
        ("mes_reponses", "my_answers"): surveys.show_own_answers,
        ("resultats", "results"): survey_results.show_results,
        ("mesdonnees", "mydata"): privacy.export_data,
        ("oublier", "forget"): privacy.ask_forget,
        ("confidentialite", "privacy"): privacy.show_notice,
        # Organisers and moderators (each callback checks the role itself).
        "stats": admin.show_stats,
        "moderation": moderation.list_pending,
        ("deplacer_evenement", "move_event"): events.move_event,
        ("annuler_evenement", "cancel_event"): events.cancel_event,
        ("enquetes", "surveys"): survey_admin.list_surveys,
        ("enquete_creer", "survey_new"): survey_admin.create,
        ("enquete_planifier", "survey_schedule"): survey_admin.schedule,
        ("enquete_ouvrir", "survey_open"): survey_admin.open_to_all,
        ("enquete_cloturer", "survey_close"): survey_admin.close,
        ("enquete_export", "survey_export"): survey_admin.export,
        ("sondage_rapide", "quick_poll"): quick_polls.post,
        ("sondage_resultats", "quick_poll_results"): quick_polls.show_results,
        ("sondage_fermer", "quick_poll_close"): quick_polls.close_now,
        "qr": qr.send_qr,
    }
    dialogues = [
        moderation.build_conversation(),
        submit.build_conversation(),
        event_create.build_conversation(),
        _announce_conversation(),
        # Keyed by member (poll answers have no chat); its entry takes every poll_answer.
        surveys.conversation(),
    ]
    return {
        -1: [TypeHandler(Update, members.remember)],
        0: [
            # Plain commands first, one dict lookup (handlers/routing.py): a plain command never
            # changes a dialogue's step, it is simply answered (dialogues hand them over the
            # same way), so checking dialogues for it first would only cost time.
            CommandHandler("start", start.welcome, has_args=False),
            CommandRouter(commands, unknown=fallback.unknown_command, dialogues=dialogues),
            # Then dialogues: while a member is in one, their messages are its answers.
            *dialogues,
            # Deep links (/start <payload>) after the dialogues: some open one.
            CommandHandler("start", start.StartCommand(deep_links), has_args=True),
            CallbackQueryHandler(language.on_language_chosen, pattern=language.PATTERN),
            CallbackQueryHandler(menu.MenuRouter(menu_targets), pattern=menu.PATTERN),
            moderation.card_button_handler(),
            CallbackQueryHandler(privacy.on_forget_button, pattern=privacy.PATTERN),
            CallbackQueryHandler(submit.on_stale, pattern=r"^submit:"),
            CallbackQueryHandler(events.on_button, pattern=events.BUTTON_PATTERN),
            CallbackQueryHandler(events.on_follow, pattern=events.FOLLOW_PATTERN),
            CallbackQueryHandler(events.on_organiser_button, pattern=r"^(events:new|announce):"),
            MessageHandler(
                filters.Document.FileExtension("toml")
                & filters.CaptionRegex(r"^/(enquete_creer|survey_new)(@\w+)?\s"),
                survey_admin.create_from_file,
            ),
            CallbackQueryHandler(catalogue.on_button, pattern=catalogue_keys.PATTERN),
            CallbackQueryHandler(search.on_page, pattern=search.PATTERN),
            MessageHandler(filters.LOCATION & filters.ChatType.PRIVATE, nearby.on_location),
            InlineQueryHandler(inline.on_inline_query),
            # Any other private text is a search or a question.
            MessageHandler(
                filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, search.on_text
            ),
            # Catch-alls: keep them last.
            MessageHandler(filters.COMMAND, fallback.unknown_command),
            MessageHandler(filters.TEXT, fallback.plain_text),
            MessageHandler(~filters.StatusUpdate.ALL, fallback.unusable_message),
            CallbackQueryHandler(fallback.stale_button),
        ],
    }
