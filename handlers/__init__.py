"""Every route of the bot, in dispatch order. Read this file first.

``COMMANDS`` is the one table of /commands: ``build_handlers`` makes a ``CommandHandler`` of each
row (those that open a dialogue become its entry point), and bot/commands.py publishes the
command menus from the same rows. Buttons are routed by one ``CallbackQueryHandler`` per action,
whose pattern comes from the feature's keys (handlers/<feature>/keys.py, or ``Key``s at the top
of handlers/<feature>.py), which also build the buttons' data.

Groups, as PTB runs them: -2 stops a press of a button the pressed message does not carry
(forged data, handlers/access.py). -1 sees every update first (who is talking). 0 holds the
proposal dialogue alone: what it answers stops there, and opening another dialogue pauses it
while the update goes on to group 1 (handlers/proposals/dialogue.py says why). In group 1 the first
matching handler wins: a dialogue's steps only match that dialogue's answers, so another
feature's command or button falls through to its own handler and the step stays as it was.
Feature modules never register themselves: adding a feature means adding its lines here.
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
from handlers import access, delivery, fallback, members, menu, privacy, start
from handlers import help as help_command
from handlers import stats as admin
from handlers.catalogue import browsing as catalogue
from handlers.catalogue import keys as catalogue_keys
from handlers.catalogue import nearby, qr
from handlers.events import calendar as events_calendar
from handlers.events import cards as events
from handlers.events import create as event_create
from handlers.events import keys as events_keys
from handlers.events import organisers as event_organisers
from handlers.keys import Key, any_of
from handlers.menu import ADMIN, MEMBER, MODERATOR, Callback, Command
from handlers.networking import dialogue as networking
from handlers.networking import directory as networking_directory
from handlers.networking import introductions as networking_introductions
from handlers.networking import keys as networking_keys
from handlers.networking import profile as networking_profile
from handlers.networking import round_keys as rounds_keys
from handlers.networking import rounds as networking_rounds
from handlers.proposals import buttons as proposal_buttons
from handlers.proposals import corrections as proposal_corrections
from handlers.proposals import dialogue as proposals
from handlers.proposals import keys as proposals_keys
from handlers.proposals import moderation
from handlers.search import faq, inline
from handlers.search import keys as search_keys
from handlers.search import results as search
from handlers.surveys import admin as survey_admin
from handlers.surveys import answering as surveys
from handlers.surveys import keys as surveys_keys
from handlers.surveys import quick_polls
from handlers.surveys import results as survey_results

HandlerTable = dict[int, Sequence[BaseHandler[Any, Ctx, Any]]]

# One row per /command, in the order of the menus. The menu text is "commands.<menu>"; a row
# without one is not in the menus (the callbacks of organisers' commands check roles anyway).
COMMANDS: tuple[Command, ...] = (
    # French name, English alias (None: the same), callback, audience, menu text
    Command("start", None, start.welcome, MEMBER, "start"),
    Command("chercher", "search", search.on_command, MEMBER, "search"),
    Command("labs", None, catalogue.show_labs, MEMBER, "labs"),
    Command("innovations", None, catalogue.show_themes, MEMBER, "innovations"),
    Command("autour", "nearby", nearby.ask_location, MEMBER, "nearby"),
    Command("evenements", "events", events.list_events, MEMBER, "events"),
    Command("abonnements", "follow", events.show_follow, MEMBER, "follow"),
    Command("proposer", "submit", proposals.open_dialogue, MEMBER, "submit"),
    Command("questionnaire", "survey", surveys.on_resume, MEMBER, "survey_answer"),
    Command("mes_reponses", "my_answers", surveys.show_own_answers, MEMBER, "survey_my_answers"),
    Command("profil", "profile", networking_profile.open_editor, MEMBER, "profile"),
    Command("annuaire", "directory", networking_directory.on_command, MEMBER, "directory"),
    Command("cafe", "coffee", networking_rounds.show_rounds, MEMBER, "coffee"),
    Command("cafe_ouvrir", "coffee_open", networking_rounds.open_round, ADMIN, None),
    Command("cafe_bilan", "coffee_report", networking_rounds.show_report, ADMIN, "coffee_report"),
    Command("aide", "help", help_command.show_help, MEMBER, "help"),
    Command("langue", "language", members.ask_language, MEMBER, "language"),
    Command("mesdonnees", "mydata", privacy.export_data, MEMBER, "mydata"),
    Command("oublier", "forget", privacy.ask_forget, MEMBER, "forget"),
    Command("confidentialite", "privacy", privacy.show_notice, MEMBER, "privacy"),
    # Every gathering, past ones too (/evenements: the upcoming ones, with their RSVP buttons).
    Command("rencontres", None, events.list_events, MEMBER, None),  # the same list as /evenements
    Command("moderation", None, moderation.list_pending, MODERATOR, "moderation"),
    Command("stats", None, admin.show_stats, ADMIN, "stats"),
    Command("nouvel_evenement", "new_event", event_create.start, ADMIN, "new_event"),
    Command("annonce", "announce", delivery.start, ADMIN, "announce"),
    Command("enquetes", "surveys", survey_admin.list_surveys, ADMIN, "survey_admin"),
    Command("resultats", "results", survey_results.show_results, ADMIN, "survey_results"),
    Command("qr", None, qr.send_qr, ADMIN, "qr"),
    Command("deplacer_evenement", "move_event", event_organisers.move_event, ADMIN, None),
    Command("annuler_evenement", "cancel_event", event_organisers.cancel_event, ADMIN, None),
    Command("enquete_creer", "survey_new", survey_admin.create, ADMIN, None),
    Command("enquete_planifier", "survey_schedule", survey_admin.schedule, ADMIN, None),
    Command("enquete_ouvrir", "survey_open", survey_admin.open_to_all, ADMIN, None),
    Command("enquete_cloturer", "survey_close", survey_admin.close, ADMIN, None),
    Command("enquete_export", "survey_export", survey_admin.export, ADMIN, None),
    Command("sondage_rapide", "quick_poll", quick_polls.post, ADMIN, None),
    Command("sondage_resultats", "quick_poll_results", quick_polls.show_results, ADMIN, None),
    Command("sondage_fermer", "quick_poll_close", quick_polls.close_now, ADMIN, None),
)


def button(key: Key, callback: Callback) -> CallbackQueryHandler[Ctx, Any]:
    """The handler of the buttons of ``key``."""
    return CallbackQueryHandler(callback, pattern=key.pattern)


def build_handlers() -> HandlerTable:
    """The routing table handed to ``Application.add_handlers``."""
    command = {row.fr: row for row in COMMANDS}
    # The rows that open a dialogue become its entry point; every other row a plain handler.
    dialogues = [
        moderation.build_conversation(),
        event_create.build_conversation(command.pop("nouvel_evenement").handler()),
        delivery.build_conversation(command.pop("annonce").handler()),
        # /deplacer_evenement: the event (picked, or its number typed), then the date.
        event_organisers.build_move_conversation(command.pop("deplacer_evenement").handler()),
        # Keyed by member (poll answers have no chat); its entry takes every poll_answer.
        surveys.conversation(command.pop("questionnaire").handler(filters.ChatType.PRIVATE)),
        networking.build_conversation(),  # opened by buttons: a field, a request, a relay
    ]
    proposal = proposals.build_conversation(command.pop("proposer").handler(), dialogues)
    survey_file = "|".join(command["enquete_creer"].names)
    welcome = command.pop("start")
    table: list[BaseHandler[Any, Ctx, Any]] = [
        # A bare /start, the commonest update of all, before the deep links it can never be.
        CommandHandler(welcome.names, welcome.callback, has_args=False),
        # Deep links, /start <kind>-<rest> (t.me/<bot>?start=...); "proposer" opens group 0.
        start.deep_link("lab", catalogue.open_lab),
        start.deep_link("innovation", catalogue.open_innovation),
        start.deep_link("event", events.open_from_link),
        start.deep_link("survey", surveys.open_from_link),
        # Plain commands; /start with a payload no deep link knows gets the welcome too.
        welcome.handler(),
        *(row.handler() for row in command.values()),
        *dialogues,
        # Buttons: the welcome menu (menu:submit opens group 0's dialogue), then each feature.
        button(menu.SEARCH, menu.pressed(search.ask)),
        button(menu.LABS, menu.pressed(catalogue.show_labs)),
        button(menu.INNOVATIONS, menu.pressed(catalogue.show_themes)),
        button(menu.EVENTS, menu.pressed(events.list_events)),
        button(menu.LANGUAGE, menu.pressed(members.ask_language)),
        button(members.LANGUAGE, members.on_language_chosen),
        button(catalogue_keys.LABS, catalogue.on_labs),
        button(catalogue_keys.LAB, catalogue.on_lab),
        button(catalogue_keys.THEMES, catalogue.on_themes),
        button(catalogue_keys.THEME, catalogue.on_theme),
        button(catalogue_keys.DEPARTEMENT, catalogue.on_departement),
        button(catalogue_keys.INNOVATION, catalogue.on_innovation),
        button(catalogue_keys.MAP, catalogue.on_map),
        button(catalogue_keys.NEARBY, nearby.ask_location),
        button(search_keys.WORDS, search.on_words_page),
        button(search_keys.SAVED, search.on_saved_page),
        button(search_keys.FAQ, faq.on_faq),
        button(search_keys.FAQS, faq.on_faqs),
        *(button(key, events.on_rsvp) for key in events_keys.RSVP),
        button(events_keys.ICS, events.on_ics),
        button(events_keys.CARD, events.on_card),
        button(events_keys.LIST, events.on_list),
        button(events_keys.FOLLOW, events.on_follow),
        button(events_keys.NEWS, events.on_news),
        button(events_keys.FEED, events_calendar.on_feed),
        button(events_keys.FEED_RESET, events_calendar.on_feed_reset),
        button(events_keys.FEED_RESET_OK, events_calendar.on_feed_reset_ok),
        button(events_keys.PICK_CANCEL, event_organisers.on_pick_cancel),
        button(events_keys.CANCEL_OK, event_organisers.on_cancel_ok),
        button(proposals_keys.PUBLISH, moderation.on_publish),
        button(proposals_keys.REFUSE, moderation.on_refuse),
        button(proposals_keys.REASON, moderation.on_reason),
        button(proposals_keys.BACK, moderation.on_back),
        button(proposals_keys.FIX, proposal_corrections.on_fix),
        CallbackQueryHandler(proposal_buttons.on_stale, pattern=proposals_keys.DIALOGUE_ANY),
        *(button(key, survey_admin.on_pick) for key in surveys_keys.PICK.values()),
        button(surveys_keys.SCHEDULE, survey_admin.on_schedule_default),
        button(surveys_keys.CLOSE, survey_admin.on_close),
        button(surveys_keys.EXPORT, survey_admin.on_export),
        button(surveys_keys.NEW, survey_admin.on_new),
        *(button(key, quick_polls.on_pick) for key in surveys_keys.QUICK_POLL.values()),
        button(networking_keys.EDIT, networking_profile.on_edit),
        button(rounds_keys.JOIN, networking_rounds.on_join),
        button(rounds_keys.SKIP, networking_rounds.on_skip),
        button(rounds_keys.LEAVE, networking_rounds.on_leave),
        button(rounds_keys.MET, networking_rounds.on_met),
        button(rounds_keys.USEFUL, networking_rounds.on_useful),
        button(rounds_keys.PAUSE, networking_rounds.on_pause),
        button(rounds_keys.RESUME, networking_rounds.on_resume),
        button(rounds_keys.INVITE, networking_rounds.on_invite),
        button(rounds_keys.LATER, networking_rounds.on_later),
        button(networking_keys.FIELD_SCREEN, networking_profile.on_field),
        button(networking_keys.HIDE, networking_profile.on_hide),
        button(networking_keys.CLEAR, networking_profile.on_clear),
        button(networking_keys.VISIBLE, networking_profile.on_visible),
        button(networking_keys.LAB, networking_profile.on_lab),
        button(networking_keys.THEME, networking_profile.on_theme),
        button(networking_keys.LANGUAGE, networking_profile.on_language),
        button(networking_keys.CONTACT, networking_profile.on_contact),
        button(networking_keys.COMMUNE, networking_profile.on_commune),
        button(networking_keys.DONE, networking_profile.on_done),
        button(networking_keys.PAGE, networking_directory.on_page),
        button(networking_keys.CARD, networking_directory.on_card),
        button(networking_keys.ACCEPT, networking_introductions.on_accept),
        button(networking_keys.DECLINE, networking_introductions.on_decline),
        button(networking_keys.BLOCK, networking_introductions.on_block),
        button(networking_keys.REPORT, networking_introductions.on_report),
        button(networking_keys.SHARE, networking_introductions.on_share),
        button(privacy.ERASE, privacy.on_erase),
        button(privacy.KEEP, privacy.on_keep),
        # Organisers' dialogue buttons outside their dialogue: refused to others, else stale.
        button(events_keys.NEW, fallback.organiser_button),
        button(events_keys.THEME, fallback.organiser_button),
        button(events_keys.EDIT, fallback.organiser_button),
        CallbackQueryHandler(fallback.organiser_button, pattern=any_of("delivery")),
        MessageHandler(
            filters.Document.FileExtension("toml")
            & filters.CaptionRegex(rf"^/({survey_file})(@\w+)?\s"),
            survey_admin.create_from_file,
        ),
        MessageHandler(filters.LOCATION & filters.ChatType.PRIVATE, nearby.on_location),
        InlineQueryHandler(inline.on_inline_query),
        # Any other private text is a search or a question.
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, search.on_text),
        # Catch-alls: keep them last.
        MessageHandler(filters.COMMAND, fallback.unknown_command),  # e.g. /passer out of a step
        MessageHandler(filters.TEXT, fallback.plain_text),
        MessageHandler(~filters.StatusUpdate.ALL, fallback.unusable_message),
        CallbackQueryHandler(fallback.stale_button),  # old buttons (cat:, submit:, mod:…) too
    ]
    # A command no handler knows is answered first, not after some seventy handlers and five
    # dialogues have been asked in turn (~45 µs): with plain CommandHandlers only, bench.updates
    # measured unknown commands at 0.65 × a bare PTB bot (median of 3 runs, target ≥ 0.70); with
    # this filter, 0.81 ×. Its names come from the handlers themselves, dialogues' steps included.
    unknown = fallback.unknown_commands(fallback.command_names([proposal, *table]))
    return {
        # A press counts only if the pressed message carries that button (handlers/access.py).
        -2: [CallbackQueryHandler(access.pressed_buttons_only)],
        -1: [TypeHandler(Update, members.remember)],
        0: [proposal],
        1: [unknown, *table],
    }
