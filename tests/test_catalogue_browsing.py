"""Browsing through the real Application and the Bot API double: labs, innovations, events."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, deps_of
from handlers.catalogue import keys
from storage.models import Innovation, Lab
from tests.support.driver import MemberChat


async def test_labs_paginate_and_cards_edit_in_place(
    chat_with: Callable[..., MemberChat], fake: FakeTelegram
) -> None:
    chat = chat_with()
    await chat.say("/labs")
    listing = chat.last_message()
    assert "Les labos d'innovation sociale" in chat.last_text()
    assert "Page 1/3" in chat.last_text()
    labels = chat.button_labels()
    assert len([label for label in labels if "Suivant" not in label]) == 8
    await chat.press("Suivant ▶️")
    assert chat.last_message()["message_id"] == listing["message_id"]
    assert "Page 2/3" in chat.last_text()
    await chat.press("◀️ Précédent")
    await chat.press_data(keys.LABS.data(0))  # the same page again: nothing to edit, no error
    assert "Oups" not in chat.last_text()
    await chat.press("Suivant ▶️")
    await chat.press("Économie circulaire : le réemploi créateur de richesses")
    assert len(fake.bot_messages(chat.chat_id)) == 1
    card = chat.last_text()
    assert "Économie circulaire : le réemploi créateur de richesses" in card
    assert "réemploi" in card
    assert "Thème : Économie circulaire" in card
    assert "Journée Innov'Deizh du 24 octobre 2013" in card
    assert {"◀️ Précédent", "Suivant ▶️", "⬅️ Retour", "📤 Partager"} <= set(chat.button_labels())
    await chat.press("Suivant ▶️")
    assert "Innovation sociale : les femmes au pouvoir" in chat.last_text()
    assert "Marrainage des femmes migrantes" in "".join(chat.button_labels())
    await chat.press("💡 Marrainage des femmes migrantes")
    text = chat.last_text()
    assert "Maison internationale de Rennes" in text
    assert "Rennes (Ille-et-Vilaine)" in text
    assert "📍 Voir sur la carte" in chat.button_labels()
    await chat.press("📍 Voir sur la carte")
    assert chat.last_message()["location"]["latitude"] == 48.1173
    assert len(fake.bot_messages(chat.chat_id)) == 2


async def test_innovations_by_theme_and_departement(chat_with: Callable[..., MemberChat]) -> None:
    chat = chat_with()
    await chat.say("/innovations")
    labels = chat.button_labels()
    assert "Égalité femmes-hommes" in labels
    assert {
        "Côtes-d'Armor",
        "Finistère",
        "Ille-et-Vilaine",
        "Morbihan",
        "Loire-Atlantique",
    } <= set(labels)
    await chat.press("Ille-et-Vilaine")
    assert "Ille-et-Vilaine" in chat.last_text()
    assert "Marrainage des femmes migrantes" in chat.button_labels()
    await chat.press("⬅️ Retour")
    await chat.press("Finistère")
    assert "Pas encore d'innovation ici" in chat.last_text()  # tests/test_catalogue_empty_pages.py
    await chat.press("⬅️ Retour")
    await chat.press("Égalité femmes-hommes")
    assert "Marrainage des femmes migrantes" in chat.button_labels()


async def test_event_card_in_paris_time_with_figures(chat_with: Callable[..., MemberChat]) -> None:
    chat = chat_with()
    await chat.say("/start event-innov-deizh-2013")
    text = chat.last_text()
    assert "jeudi 24 octobre 2013 à 9 h" in text  # the one date style of event cards
    assert "Rennes" in text
    assert "Disco Soupe" in text
    assert "Participants : plus de 300 personnes" in text  # as the source states it
    await chat.press("⬅️ Retour")
    assert "Pas de rencontre prévue pour l'instant" in chat.last_text()
    await chat.say("/rencontres")
    labels = chat.button_labels()
    assert labels.index("🗂 Réunion de débriefing de la journée Innov'Deizh") < labels.index(
        "🗂 Journée Innov'Deizh du 24 octobre 2013"
    )


async def test_deep_links_open_each_card_kind(chat_with: Callable[..., MemberChat]) -> None:
    chat = chat_with()
    await chat.say("/start lab-vers-une-mobilite-durable")
    assert "Vers une mobilité durable" in chat.last_text()
    share = next(
        b["url"]
        for row in chat.fake.buttons(chat.last_message())
        for b in row
        if b["text"] == "📤 Partager"
    )
    assert "start%3Dlab-vers-une-mobilite-durable" in share
    await chat.say("/start innovation-1")
    assert "Marrainage des femmes migrantes" in chat.last_text()
    await chat.say("/start event-1")
    assert "Journée Innov'Deizh du 24 octobre 2013" in chat.last_text()
    await chat.say("/start lab-nexistepas")
    assert "Innov'Deizh" in chat.last_text()  # the welcome


async def test_callback_data_stays_under_64_bytes_with_long_accented_titles(
    chat_with: Callable[..., MemberChat], app: BotApp
) -> None:
    sessions = deps_of(app).sessions
    async with sessions.begin() as session:
        for n in range(12):
            session.add(
                Lab(
                    slug=f"labo-tres-long-{n}",
                    title="Économie sociale et solidaire à Plœmeur-Lès-Évêché " * 5,
                    theme="Éducation populaire",
                    position=100 + n,
                )
            )
    chat = chat_with()
    await chat.say("/labs")
    await chat.press("Suivant ▶️")
    await chat.press("Suivant ▶️")
    for row in chat.fake.buttons(chat.last_message()):
        for b in row:
            assert len(b.get("callback_data", "").encode()) <= 64
    async with sessions() as session:
        lab_id = await session.scalar(select(Lab.id).where(Lab.slug == "labo-tres-long-3"))
    await chat.say(f"/start lab-{lab_id}")
    assert "Plœmeur" in chat.last_text()
    async with sessions.begin() as session:
        session.add(
            Innovation(
                title="Épicerie coopérative « Ça déménage » à Plœmeur-Lès-Évêché " * 4,
                theme="Économie sociale, solidaire et écologique à l'échelle régionale " * 2,
                commune="Plœmeur",
                departement="56",
                lab_id=lab_id,
            )
        )
    await chat.say("/innovations")
    labels = chat.button_labels()
    await chat.press(next(label for label in labels if label.startswith("Économie sociale")))
    await chat.press(next(label for label in chat.button_labels() if "Épicerie" in label))
    assert "Plœmeur (Morbihan)" in chat.last_text()
    await chat.say("épicerie coopérative déménage")
    for message in chat.fake.bot_messages(chat.chat_id):
        for row in chat.fake.buttons(message):
            for b in row:
                assert len(b.get("callback_data", "").encode()) <= 64


async def test_welcome_menu_opens_search_labs_and_innovations(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    await chat.say("/start")
    await chat.press("🧪 Les labos")
    assert "Les labos d'innovation sociale" in chat.last_text()
    await chat.say("/start")
    await chat.press("💡 Innovations")
    assert "Choisis un thème ou un département" in chat.last_text()
    await chat.say("/start")
    await chat.press("🔎 Chercher")
    assert "Écris-moi ce que tu cherches" in chat.last_text()
    await chat.say("recycl")
    assert "Économie circulaire : le réemploi créateur de richesses" in chat.last_text()
