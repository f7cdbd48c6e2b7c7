"""Search, questions, inline mode, near me and QR codes through the real Application."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, deps_of
from handlers.search import keys
from storage.models import Event, Innovation, SavedSearch
from tests.conftest import ADMIN_ID, MEMBER_ID
from tests.support.driver import MemberChat


async def add_innovations(app: BotApp, count: int, **values: object) -> None:
    sessions = deps_of(app).sessions
    async with sessions.begin() as session:
        for n in range(count):
            session.add(Innovation(title=f"Atelier vélo solidaire n° {n}", **values))


async def test_search_command_and_plain_text(chat_with: Callable[..., MemberChat]) -> None:
    chat = chat_with()
    await chat.say("/chercher economie circulaire")
    assert "Économie circulaire : le réemploi créateur de richesses" in chat.last_text()
    await chat.say("monaie locale")
    assert "J'ai cherché « monnaie locale »" in chat.last_text()
    assert "Redonner du sens à la monnaie" in chat.last_text()
    await chat.press(next(label for label in chat.button_labels() if "monnaie" in label))
    assert "La monnaie locale" in chat.last_text()


async def test_five_results_a_page_with_more(
    chat_with: Callable[..., MemberChat], app: BotApp
) -> None:
    await add_innovations(app, 12, summary="Réparer ensemble", commune="Brest")
    chat = chat_with()
    await chat.say("/search atelier velo")
    first = chat.last_message()
    assert "12 résultats pour « atelier velo »" in chat.last_text()
    assert len([label for label in chat.button_labels() if "Atelier" in label]) == 5
    await chat.press("Plus ▶️")
    assert chat.last_message()["message_id"] == first["message_id"]
    assert chat.last_text().count("Atelier vélo solidaire") == 5
    assert "6. " in chat.last_text()
    assert keys.WORDS.data("atelier.velo", 2) in str(chat.fake.buttons(chat.last_message()))
    await chat.say("atelier velo solidaire reparer ensemble brest")  # too long for the button
    await chat.press("Plus ▶️")
    assert "6. " in chat.last_text()
    async with deps_of(app).sessions() as session:
        saved = await session.scalar(select(func.count()).select_from(SavedSearch))
    assert saved == 1


async def test_someone_elses_more_button_is_refused(
    chat_with: Callable[..., MemberChat], app: BotApp, fake: FakeTelegram
) -> None:
    await add_innovations(app, 7, summary="Réparer ensemble", commune="Brest")
    owner = chat_with()
    await owner.say("atelier velo solidaire reparer ensemble brest")
    other = chat_with(MEMBER_ID + 1, chat_id=MEMBER_ID + 1)
    await other.say("/labs")
    await other.press_data(keys.SAVED.data(1, 1))
    assert fake.callback_answers[-1]["text"] == "Ce bouton n'est plus actif."


async def test_nothing_found_suggests(chat_with: Callable[..., MemberChat]) -> None:
    chat = chat_with()
    await chat.say("xylophone quantique")
    assert "Je n'ai rien trouvé pour « xylophone quantique »" in chat.last_text()
    await chat.say("mobylettes")
    assert "Tu pensais peut-être" in chat.last_text()
    await chat.press("🔎 Mobilité")
    assert "Vers une mobilité durable" in chat.last_text()


async def test_hostile_inputs_get_results_or_nothing_found(
    chat_with: Callable[..., MemberChat], fake: FakeTelegram
) -> None:
    chat = chat_with()
    hostile = [
        '"monnaie" OR 1=1 --',
        "NEAR(a b)",
        "*",
        "-(",
        "'; DROP TABLE labs; --",
        "<b>monnaie</b> & co",
        "🌱🚲",
        "x" * 4000,
        "اقتصاد اجتماعي",
        "\u202emonnaie",
    ]
    for text in hostile:
        before = len(fake.bot_messages(chat.chat_id))
        await chat.say(text)
        assert len(fake.bot_messages(chat.chat_id)) == before + 1, text
        assert "Oups" not in chat.last_text(), text
    await chat.say("/chercher")
    assert "Écris-moi ce que tu cherches" in chat.last_text()


async def test_everyday_questions(chat_with: Callable[..., MemberChat], app: BotApp) -> None:
    chat = chat_with()
    await chat.say("Bonjour")
    assert "Pose-moi une question" in chat.last_text()
    await chat.say("c'est quoi un PTCE ?")
    assert "pôle territorial de coopération économique" in chat.last_text()
    await chat.say("une SCOP ?")
    assert "société coopérative et participative" in chat.last_text()
    await chat.say("l'IAE ?")
    assert "insertion par l'activité économique" in chat.last_text()
    await chat.say("combien de participants en 2013 ?")
    assert "Participants : plus de 300 personnes" in chat.last_text()  # as the source says
    await chat.say("quand a lieu la prochaine réunion ?")
    assert "Pas de rencontre prévue pour l'instant" in chat.last_text()
    async with deps_of(app).sessions.begin() as session:
        for slug, days in (("plus-tard", 60), ("bientot", 10)):
            session.add(
                Event(
                    slug=slug,
                    title=f"Rencontre {slug}",
                    place="Le Diapason",
                    commune="Rennes",
                    starts_at=datetime.now(UTC) + timedelta(days=days),
                )
            )
    await chat.say("quand a lieu la prochaine réunion ?")
    assert "Rencontre bientot" in chat.last_text()
    assert "Le Diapason, Rennes" in chat.last_text()


async def test_inline_mode_pages_of_twenty(app: BotApp, fake: FakeTelegram) -> None:
    await add_innovations(app, 30, status="approved")
    fake.add_user(MEMBER_ID, "Anne", language_code="fr")

    async def ask(query: str, offset: str = "") -> dict[str, object]:
        from telegram import Update

        update = fake.inline_query(MEMBER_ID, query, offset)
        await app.process_update(Update.de_json(update, app.bot))
        return fake.inline_answers[-1]

    first = await ask("atelier velo")
    assert len(first["results"]) == 20  # type: ignore[arg-type]
    assert first["next_offset"] == "1"
    second = await ask("atelier velo", "1")
    assert len(second["results"]) == 10  # type: ignore[arg-type]
    assert not second.get("next_offset")
    mobility = await ask("mobilité")
    result = mobility["results"][0]  # type: ignore[index]
    assert result["title"] == "Vers une mobilité durable"
    url = result["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert url.startswith("https://t.me/innovdeizh_bot?start=lab-")


async def test_near_me_gives_five_nearest_with_distances(
    chat_with: Callable[..., MemberChat], app: BotApp
) -> None:
    sessions = deps_of(app).sessions
    async with sessions.begin() as session:
        for name, commune in [
            ("Quimper A", "Quimper"),
            ("Brest B", "Brest"),
            ("Nantes C", "Nantes"),
        ]:
            session.add(Innovation(title=name, commune=commune))
        for n, km in enumerate([1, 2, 3, 50]):
            session.add(
                Innovation(title=f"Lorient {n}", latitude=47.75 + km / 111, longitude=-3.37)
            )
    chat = chat_with()
    await chat.say("/autour")
    asked = next(c for c in reversed(chat.fake.calls) if c.method == "sendMessage")
    markup = asked.params["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    assert markup["keyboard"][0][0]["request_location"] is True
    await chat.deliver(chat.fake.send_location(MEMBER_ID, 47.75, -3.37))
    text = chat.last_text()
    assert "Les 5 innovations les plus proches" in text
    assert text.index("Lorient 0") < text.index("Lorient 1") < text.index("Quimper A")
    assert "1,0 km" in text
    assert "Brest B" not in text
    assert "Nantes C" not in text


async def test_qr_code_for_admins_only(chat_with: Callable[..., MemberChat]) -> None:
    member = chat_with()
    await member.say("/qr lab-vers-une-mobilite-durable")
    assert "réservée aux organisateurs" in member.last_text()
    admin = chat_with(ADMIN_ID, chat_id=ADMIN_ID)
    await admin.say("/qr lab-vers-une-mobilite-durable")
    sent = admin.last_message()
    assert sent["document"]["file_name"] == "qr-lab-vers-une-mobilite-durable.png"
    assert "start=lab-vers-une-mobilite-durable" in sent["caption"]
    await admin.say("/qr nimportequoi")
    assert "Donne-moi la cible" in admin.last_text()


async def test_many_matches_say_there_are_more(
    chat_with: Callable[..., MemberChat], app: BotApp
) -> None:
    await add_innovations(app, 70)
    chat = chat_with()
    await chat.say("atelier")
    assert "Plus de 60 résultats" in chat.last_text()
    assert "70" not in chat.last_text().splitlines()[0]
