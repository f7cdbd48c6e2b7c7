"""The console chat: every visible button, polls, places, photos, two people, background sends.

The console runs the real Application on a seeded SQLite file; each test types a script and reads
what the console printed, as a person at the terminal would.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import Config, parse_config
from bot.console.bot_api import FakeTelegram
from bot.console.chat import MEMBER, ORGANISER, ConsoleChat, run_console
from bot.context import BotApp, Deps
from storage.db import Sessions, create_engine, create_sessions
from storage.models import SurveyAnswer
from tests.support.surveys import add_event

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def console_config(seeded_sqlite_url: str) -> Config:
    """The configuration `make run` has without a token: no admins but the console's own."""
    return parse_config({"database": {"url": seeded_sqlite_url}})


@pytest.fixture
async def console_sessions(console_config: Config) -> AsyncIterator[Sessions]:
    engine = create_engine(console_config.database.url)
    yield create_sessions(engine)
    await engine.dispose()


async def type_script(config: Config, script: str) -> str:
    """What the console prints for ``script`` (one line per input), as with a pipe."""
    out = io.StringIO()
    await run_console(config, stdin=io.StringIO(script), out=out)
    return unbreak(out.getvalue())


def unbreak(text: str) -> str:
    """French typography's no-break spaces as plain ones, to compare with typed expectations."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


async def add_upcoming_event(sessions: Sessions, title: str = "Café réseautage") -> int:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return await add_event(
        sessions,
        "cafe-reseautage",
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


async def test_a_button_of_an_older_message_can_be_pressed_and_its_edit_and_toast_are_shown(
    console_config: Config, console_sessions: Sessions
) -> None:
    await add_upcoming_event(console_sessions)
    # /evenements: a header, the upcoming card (with RSVP), then the past events' list (newest).
    printed = await type_script(console_config, "/evenements\n2.1\n/quit\n")
    card_buttons = [line for line in printed.splitlines() if line.lstrip().startswith("[2.1]")]
    assert card_buttons, printed
    # Split after the card as first shown (the edited card's row now reads « ✅ Je viens »).
    after_press = printed.split(card_buttons[0], 1)[1]
    assert "\n💬 " in after_press, printed  # the toast of the RSVP
    assert "🤖 (modifié) 📅 Café réseautage" in after_press, printed  # the card, edited in place
    # The list of past events is untouched and still pressable.
    assert "[1.1] 🗂" in printed


async def test_bare_number_presses_the_newest_buttons_and_a_number_pointing_nowhere_is_text(
    console_config: Config,
) -> None:
    printed = await type_script(console_config, "/labs\n1\n/aide\n2.2\n9.9\n/quit\n")
    labs, after_first, after_help = (
        printed.split("🤖 ", 1)[1],
        *printed.split("Ce que je sais faire"),
    )
    first_lab = labs.split("[1.1] ", 1)[1].split("\n", 1)[0]
    # « 1 » pressed the first lab of the list, which became that lab's card, edited in place.
    assert f"🤖 (modifié) 🧪 {first_lab}" in after_first, printed
    # Once /aide's message came, the lab card is the 2nd from the bottom: 2.2 is its « Retour ».
    assert "🤖 (modifié) 🧪 Les labos d'innovation sociale" in after_help, printed
    # 9.9 points at no message: it is sent as text, and the bot answers it as a search.
    assert "« 9.9 »" in after_help, printed


async def test_a_survey_poll_is_answered_by_number(
    console_config: Config, console_sessions: Sessions
) -> None:
    script = "\n".join(
        [
            "/organisateur",
            "/enquete_creer innov-deizh-2013",
            "/enquete_ouvrir 1",
            "/membre",
            "/start survey-1",
            "1",  # « Répondre »
            "1.2",  # « Plutôt satisfait·e »
            "/quit",
        ]
    )
    printed = await type_script(console_config, script + "\n")
    assert "(1.2) Plutôt satisfait·e" in printed, printed
    assert "🗳 Tu as voté : Plutôt satisfait·e" in printed, printed
    assert "[sondage] 2/8" in printed, printed
    async with console_sessions() as session:
        answers = await session.scalar(select(func.count()).select_from(SurveyAnswer))
    assert answers == 1


async def test_a_place_is_shared_by_coordinates_or_commune_and_nonsense_gets_the_usage(
    console_config: Config,
) -> None:
    script = "\n".join(
        [
            "/autour",
            "k1",
            "/position Lannion",
            "/position 48.11 -1.68",
            "/position nan 3",
            "/position Atlantide",
            "/quit",
            "",
        ]
    )
    printed = await type_script(console_config, script)
    assert "⌨️  [k1] 📍" in printed, printed  # the custom keyboard /autour shows
    usage = "Pour partager un lieu : /position"
    assert printed.count(usage) == 3, printed  # k1 (asks for a place), nan, Atlantide
    assert (
        printed.count("🤖 📍 L'innovation la plus proche")
        + printed.count("🤖 📍 Les innovations les plus proches")
        == 2
    ), printed


async def test_member_and_organiser_switch_and_roles_are_the_server_s(
    console_config: Config,
) -> None:
    printed = await type_script(console_config, "/stats\n/organisateur\n/stats\n/membre\n/quit\n")
    as_member, as_organiser, back = printed.split("👤 Tu es ")[1:4]
    assert as_member.startswith(f"Maëlle, membre du réseau (id {MEMBER.telegram_id})")
    assert "Innov'Deizh en chiffres" not in as_member
    assert as_organiser.startswith(
        f"Yann, organisateur·rice et modérateur·rice (id {ORGANISER.telegram_id})"
    )
    assert "Innov'Deizh en chiffres" in as_organiser
    assert back.startswith("Maëlle")


async def test_inline_mode_lists_its_results(console_config: Config) -> None:
    printed = await type_script(console_config, "@bot mobilité\n@bot zzzzqqq\n/quit\n")
    assert "   🔎 1. " in printed, printed
    assert "Aucun résultat en mode inline." in printed, printed


async def test_a_photo_is_sent_and_answered(console_config: Config) -> None:
    printed = await type_script(console_config, "/photo\n/quit\n")
    after = printed.split("👤 Tu es Maëlle", 1)[1]
    assert "🤖 " in after, printed
    assert "Oups" not in after, printed


async def test_messages_sent_in_the_background_appear_without_typing(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    for person in (MEMBER, ORGANISER):
        fake.add_user(person.telegram_id, person.first_name, language_code="fr")
    out = io.StringIO()
    chat = ConsoleChat(app, fake, out, deps.texts, "fr")
    watcher = asyncio.ensure_future(chat.watch())
    try:
        await app.bot.send_message(
            MEMBER.telegram_id, "⏰ Rappel : le café réseautage, c'est demain"
        )
        await app.bot.send_message(ORGANISER.telegram_id, "📣 Envoi terminé")
        for _ in range(50):
            if "Envoi terminé" in out.getvalue():
                break
            await asyncio.sleep(0.02)
    finally:
        watcher.cancel()
    printed = unbreak(out.getvalue())
    assert "🤖 ⏰ Rappel : le café réseautage, c'est demain" in printed
    # Another person's chat is named, so nothing is mistaken for one's own.
    assert "🤖 → Yann : 📣 Envoi terminé" in printed


def _readme_scripts() -> list[str]:
    """The console scripts the README gives (printf '…' | make run)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    return [
        line.split("'", 2)[1].replace("\\n", "\n")
        for line in lines
        if line.startswith("printf '") and "| make run" in line
    ]


async def test_the_readme_scripts_do_what_they_say(console_config: Config) -> None:
    scripts = _readme_scripts()
    assert len(scripts) >= 3, "the README shows an RSVP, a poll answer and a location"
    printed = [await type_script(console_config, script) for script in scripts]
    everything = "\n".join(printed)
    assert "Oups" not in everything
    assert "🤖 (modifié) 📅 Café réseautage" in everything  # RSVP
    assert "🗳 Tu as voté" in everything  # poll
    assert (
        "L'innovation la plus proche" in everything
        or "Les innovations les plus proches" in everything
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_a_real_console_within_2_seconds_with_exit_0(
    seeded_sqlite_url: str, tmp_path: Path, signum: signal.Signals
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOVDEIZH_")}
    env["INNOVDEIZH_DATABASE_URL"] = seeded_sqlite_url
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,  # kept open: the console waits for a line, as at a terminal
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # blocks until the console is ready
        assert banner.startswith(b"Console Innov'Deizh"), banner
        process.stdout.readline()  # « Tu es Maëlle… »
        sent = time.monotonic()
        process.send_signal(signum)
        out, err = process.communicate(timeout=10)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    print(f"console stopped {took:.2f} s after {signum.name}")
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err, err.decode()
    assert took <= 2.0
    assert "À bientôt".encode() in out


async def test_a_link_button_prints_its_url_as_telegram_would_open_it(
    console_config: Config,
) -> None:
    # /labs, the second lab, then « Partager » (a URL button): the link is shown unescaped.
    printed = await type_script(console_config, "/labs\n2\n1.4\n/quit\n")
    link = next((line for line in printed.splitlines() if "🔗" in line), printed)
    assert "https://t.me/share/url?url=" in link, printed
    assert "&text=" in link, link
    assert "&amp;" not in link, link


async def test_a_proposal_s_card_reaches_the_organiser_who_moderates_in_the_console(
    console_config: Config,
) -> None:
    script = "\n".join(
        [
            "/proposer",
            "Repair café de Lannion",
            "On répare ensemble des objets cassés.",
            "1.1",  # the first theme
            "Lannion",
            "Association Ti Récup",
            "/passer",
            "/passer",
            "/passer",
            "1.1",  # « Envoyer »
            "/organisateur",
            "1.1",  # « Publier », on the card received in the background
            "/quit",
            "",
        ]
    )
    printed = await type_script(console_config, script)
    assert "🤖 → Yann : 📝 Proposition n° 1 — par Maëlle" in printed, printed
    assert "🤖 → Maëlle : 🎉 Bonne nouvelle : « Repair café de Lannion » est publiée !" in printed


async def test_a_survey_goes_on_in_later_console_runs(console_config: Config) -> None:
    # The database keeps the polls sent in the first run; the second run's must not collide.
    await type_script(
        console_config,
        "/organisateur\n/enquete_creer innov-deizh-2013\n/enquete_ouvrir 1\n/membre\n"
        "/questionnaire\n1.1\n1.2\n/quit\n",
    )
    for _ in range(2):  # each run starts counting again; Telegram's poll ids never repeat
        printed = await type_script(console_config, "/questionnaire\n1.1\n1.1\n/quit\n")
        assert "Oups" not in printed, printed
    assert "6/8" in printed, printed
