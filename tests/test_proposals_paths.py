"""Every way a proposal dialogue can go: resume, restart, old buttons, duplicates, limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, update

from bot.console.bot_api import FakeTelegram
from bot.context import Deps
from storage.models import Proposal, utcnow
from tests.conftest import ADMIN_ID, MEMBER_ID
from tests.support.driver import MemberChat
from tests.support.proposals import send_proposal

ChatWith = Callable[..., MemberChat]


async def rows(deps: Deps) -> list[Proposal]:
    async with deps.sessions() as session:
        return list(await session.scalars(select(Proposal).order_by(Proposal.id)))


async def test_welcome_button_starts_the_dialogue(chat_with: ChatWith) -> None:
    chat = chat_with()
    await chat.say("/start")
    await chat.press("✍️ Proposer une initiative")
    assert "1/8" in chat.last_text()


async def test_leaving_for_another_command_keeps_the_draft_and_offers_to_resume(
    chat_with: ChatWith, deps: Deps
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Jardin partagé de Kervénanec")
    await chat.say("/aide")  # another feature: the draft stays
    await chat.say("/proposer")
    assert "« Jardin partagé de Kervénanec »" in chat.last_text()
    await chat.press("▶️ Reprendre")
    assert "2/8" in chat.last_text()
    [row] = await rows(deps)
    assert (row.status, row.name) == ("draft", "Jardin partagé de Kervénanec")
    # Starting again is an explicit choice.
    await chat.say("/proposer")
    await chat.press("🆕 Recommencer à zéro")
    assert "1/8" in chat.last_text()
    [row] = await rows(deps)
    assert row.name == ""


async def test_draft_untouched_for_48_hours_is_offered_again(
    chat_with: ChatWith, deps: Deps
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Jardin partagé de Kervénanec")
    async with deps.sessions.begin() as session:
        await session.execute(update(Proposal).values(updated_at=utcnow() - timedelta(days=3)))
    await chat.say("Des parcelles cultivées ensemble au pied des immeubles.")
    assert "Tu as une proposition en cours" in chat.last_text()
    [row] = await rows(deps)
    assert (row.status, row.description) == ("draft", "")  # kept, nothing taken as an answer
    await chat.press("▶️ Reprendre")
    assert "2/8" in chat.last_text()
    await chat.say("Des parcelles cultivées ensemble au pied des immeubles.")
    assert "3/8" in chat.last_text()


async def test_old_buttons_say_the_step_is_over(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Jardin partagé")
    await chat.say("Des parcelles cultivées ensemble au pied des immeubles.")
    theme_question = chat.newest_with_buttons()["message_id"]
    await chat.press("Culture")
    await chat.press("Mobilité", message_id=theme_question)  # the theme step is over
    assert fake.callback_answers[-1]["text"] == "Cette étape est terminée."
    [row] = await rows(deps)
    assert (row.theme, row.step) == ("Culture", "submit.place")


async def test_limits_required_steps_and_checks(chat_with: ChatWith, deps: Deps) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("/retour")  # nothing before the first question
    assert "1/8" in chat.last_text()
    await chat.say("/passer")
    assert "nécessaire" in chat.texts()[-2]
    await chat.say("N" * 121)
    assert "121 caractères, pour 120 au maximum" in chat.texts()[-2]
    await chat.say("<b>Café</b> & co")  # markup stays text
    await chat.say("Court")
    await chat.say("D" * 1001)
    assert "1 001 caractères, pour 1 000" in chat.texts()[-2]
    await chat.say("Un café associatif où chacun paie ce qu'il peut.")
    await chat.press("Autre")
    await chat.say("Landernau")  # misspelt: « did you mean »
    assert "Tu voulais dire" in chat.last_text()
    await chat.press("Landerneau")
    await chat.say("Collectif du café")
    await chat.say("pas un lien")
    assert "ne ressemble pas à un lien" in chat.texts()[-2]
    await chat.say("https://cafe.bzh")
    await chat.say("12")
    assert "ni un téléphone ni un e-mail" in chat.texts()[-2]
    await chat.say("+33 6 12 34 56 78")
    await chat.press("🌍 Peut être affiché publiquement")
    await chat.say("Voici du texte")
    assert "J'attends une photo" in chat.texts()[-2]
    [row] = await rows(deps)
    assert row.name == "<b>Café</b> & co"
    assert (row.commune, row.departement) == ("Landerneau", "29")
    assert (row.contact, row.contact_public) == ("+33 6 12 34 56 78", True)
    assert row.step == "submit.photo"


async def test_unknown_place_can_be_kept_as_typed(chat_with: ChatWith, deps: Deps) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Tiers-lieu des Monts")
    await chat.say("Un tiers-lieu rural avec atelier partagé et épicerie.")
    await chat.press("Ruralité")
    await chat.say("Qwzqx Pkr")
    assert "Je ne trouve pas « Qwzqx Pkr »" in chat.last_text()
    await chat.press("Garder « Qwzqx Pkr »")
    assert "5/8" in chat.last_text()
    [row] = await rows(deps)
    assert (row.commune, row.latitude) == ("Qwzqx Pkr", None)


async def test_look_alike_innovation_is_shown_before_sending(
    chat_with: ChatWith, deps: Deps
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Marrainage de femmes migrantes")
    await chat.say("Des marraines accompagnent des femmes arrivées récemment à Rennes.")
    await chat.press("Autre")
    await chat.say("Rennes")
    await chat.say("Maison internationale de Rennes")
    await chat.say("/passer")
    await chat.say("/passer")
    await chat.say("/passer")
    await chat.press("📨 Envoyer")
    assert "« Marrainage des femmes migrantes » (Rennes)" in chat.last_text()
    assert "C'est la même ?" in chat.last_text()
    await chat.press("Non, envoyer quand même")
    assert "est envoyée" in chat.last_text()
    [row] = await rows(deps)
    assert row.status == "pending"


async def test_same_as_existing_sends_nothing(chat_with: ChatWith, deps: Deps) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Marrainage des femmes migrantes")
    await chat.say("Des marraines accompagnent des femmes arrivées récemment à Rennes.")
    await chat.press("Autre")
    await chat.say("Rennes")
    await chat.say("Maison internationale de Rennes")
    for _ in range(3):
        await chat.say("/passer")
    await chat.press("📨 Envoyer")
    await chat.press("Oui, c'est la même (ne rien envoyer)")
    assert "déjà dans le catalogue" in chat.last_text()
    assert await rows(deps) == []


async def test_english_member_gets_english_questions(chat_with: ChatWith) -> None:
    chat = chat_with(language_code="en")
    await chat.say("/submit")
    assert "What is the initiative's" in chat.last_text()
    await chat.say("/cancel")
    assert "Cancelled" in chat.last_text()


async def test_editing_the_contact_asks_its_visibility_then_returns_to_summary(
    chat_with: ChatWith, deps: Deps
) -> None:
    chat = chat_with()
    await send_proposal(chat, send_label="✏️ Modifier un champ")
    await chat.press("Contact")
    assert "7/8" in chat.last_text()
    await chat.say("06 98 76 54 32")
    assert "affiché publiquement" in chat.last_text()
    await chat.press("🌍 Peut être affiché publiquement")
    assert "06 98 76 54 32 (public)" in chat.last_text()
    await chat.press("✏️ Modifier un champ")
    await chat.press("Photo")
    await chat.say("/retour")  # leaves the field unchanged
    assert "Tout est bon ?" in chat.last_text()
    [row] = await rows(deps)
    assert (row.contact, row.contact_public, row.step) == (
        "06 98 76 54 32",
        True,
        "submit.summary",
    )


async def test_other_commands_are_handed_over(chat_with: ChatWith, deps: Deps) -> None:
    chat = chat_with(ADMIN_ID)
    await chat.say("/proposer")
    await chat.say("Jardin partagé de Kervénanec")
    await chat.say("/aide")  # a plain command: answered, the proposal goes on
    assert "/stats" in chat.last_text()  # the organisers' help
    await chat.say("Des parcelles cultivées ensemble au pied des immeubles.")
    assert "3/8" in chat.last_text()
    await chat.say("/nouvel_evenement")  # another dialogue: the proposal pauses
    assert "reste en brouillon" in chat.texts()[-2]
    await chat.say("Rencontre des jardins partagés")  # the event's title, not a theme
    [row] = await rows(deps)
    assert (row.status, row.step, row.theme) == ("draft", "submit.theme", "")
    await chat.say("/annuler")  # cancels the event dialogue, not the proposal
    assert (await rows(deps))[0].status == "draft"


async def test_an_edited_earlier_message_is_not_an_answer(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Jardin partagé")
    edited = fake.send_text(MEMBER_ID, "Jardin partagé de Kervénanec")
    edited["edited_message"] = {**edited.pop("message"), "edit_date": 1}
    await chat.deliver(edited)
    [row] = await rows(deps)
    assert (row.name, row.description, row.step) == ("Jardin partagé", "", "submit.description")
