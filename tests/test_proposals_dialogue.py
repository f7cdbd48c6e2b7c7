"""The guided proposal, driven through the Bot API double like a member on their phone."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from storage.models import Proposal
from tests.conftest import MEMBER_ID, MODERATORS_CHAT_ID
from tests.support.driver import MemberChat

ChatWith = Callable[..., MemberChat]


async def proposals(deps: Deps) -> list[Proposal]:
    async with deps.sessions() as session:
        return list(await session.scalars(select(Proposal).order_by(Proposal.id)))


async def test_whole_dialogue_with_photo_location_skip_back_and_edit(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    assert "nom ≤ 120" in chat.texts()[-2]
    assert "1/8" in chat.last_text()
    await chat.say("Ressourcerie du Trégor")
    assert "2/8" in chat.last_text()
    await chat.say("On répare et revend des objets donnés, avec des salariés en insertion.")
    assert "3/8" in chat.last_text()
    assert "Autre" in chat.button_labels()
    await chat.press("Économie circulaire")
    assert "4/8" in chat.last_text()
    await chat.deliver(fake.send_location(MEMBER_ID, 48.7326, -3.4566))  # Lannion
    assert "5/8" in chat.last_text()
    await chat.say("/retour")  # back to the place, the answer is kept
    assert "4/8" in chat.last_text()
    await chat.say("Lannion")
    await chat.say("Association Ti Récup")
    assert "6/8" in chat.last_text()
    await chat.say("/passer")
    assert "7/8" in chat.last_text()
    await chat.say("contact@ti-recup.bzh")
    await chat.press("🔒 Seulement pour les organisateurs")
    assert "8/8" in chat.last_text()
    await chat.deliver(fake.send_photo(MEMBER_ID))
    summary = chat.last_text()
    assert "Ressourcerie du Trégor" in summary
    assert "Lannion (22)" in summary
    assert "organisateurs seulement" in summary
    assert "📷 oui" in summary
    # Change the name from the summary, then come back to it.
    await chat.press("✏️ Modifier un champ")
    await chat.press("Nom")
    assert "1/8" in chat.last_text()
    await chat.say("Ressourcerie Ti Récup")
    assert "<b>Nom\u00a0:</b>" in chat.last_message()["html"]
    assert "Ressourcerie Ti Récup" in chat.last_text()
    await chat.press("📨 Envoyer")
    assert "est envoyée" in chat.last_text()

    [row] = await proposals(deps)
    assert row.status == "pending"
    assert row.name == "Ressourcerie Ti Récup"
    assert row.theme == "Économie circulaire"
    assert (row.commune, row.departement) == ("Lannion", "22")
    assert row.website == ""
    assert (row.contact, row.contact_public) == ("contact@ti-recup.bzh", False)
    assert row.photo_file_id
    card = fake.last_bot_message(MODERATORS_CHAT_ID)  # the photo, replying to the card
    assert "photo" in card
    assert any("Ressourcerie Ti Récup" in t for t in fake.bot_texts(MODERATORS_CHAT_ID))


async def test_cancel_drops_the_draft(chat_with: ChatWith, deps: Deps) -> None:
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Jardin partagé de Kervénanec")
    await chat.say("/annuler")
    assert "annulé" in chat.last_text()
    assert await proposals(deps) == []
    await chat.say("Encore du texte")  # no longer in the dialogue
    assert "annulé" not in chat.last_text()


async def test_garbage_at_every_step_still_completes(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    chat = chat_with()

    async def garbage() -> None:
        await chat.deliver(fake.send_sticker(MEMBER_ID))
        await chat.say("x" * 5000)
        await chat.press_data("proposals:nope:1:1", old)  # a button of a step that is over
        await chat.press_data("forged-data")  # on the newest message, which has no such button

    old = chat.earlier_button("proposals:nope:1:1")
    await chat.say("/proposer")
    answers: list[str | tuple[str, ...]] = [
        "Café solidaire",
        "Un café associatif où chacun paie ce qu'il peut, au cœur du bourg.",
        ("press", "Autre"),
        "Quimperlé",
        "Collectif du café",
        "cafe-solidaire.bzh",
        "06 12 34 56 78",
        ("press", "🌍 Peut être affiché publiquement"),
        ("photo",),
    ]
    for answer in answers:
        await garbage()
        if isinstance(answer, str):
            await chat.say(answer)
        elif answer[0] == "press":
            await chat.press(str(answer[1]))
        else:
            await chat.deliver(fake.send_photo(MEMBER_ID))
    await garbage()
    await chat.press("📨 Envoyer")
    assert "est envoyée" in chat.last_text()
    [row] = await proposals(deps)
    assert row.status == "pending"
    assert row.website == "https://cafe-solidaire.bzh"
    assert row.theme == "autre"
    # The name's limit (120) and the description's (1 000), figures written the French way.
    said = "\n".join(chat.texts())
    assert "C'est un peu long : 5 000 caractères, pour 120 au maximum." in said
    assert "C'est un peu long : 5 000 caractères, pour 1 000 au maximum." in said
    assert "ce genre de message" in "\n".join(chat.texts())
    answered = [a for a in fake.callback_answers if a.get("text") == "Cette étape est terminée."]
    assert answered


async def test_app_restart_mid_dialogue_keeps_step_and_answers(
    deps: Deps, fake: FakeTelegram
) -> None:
    from bot.app import build_application
    from bot.console.bot_api import InProcessBotApi

    fake.add_user(MEMBER_ID, "Anne")
    first = build_application(deps, request=InProcessBotApi(fake))
    async with first:
        chat = MemberChat(first, fake, MEMBER_ID, MEMBER_ID)
        await chat.say("/proposer")
        await chat.say("Épicerie solidaire de Lorient")
        await chat.say("Une épicerie où les produits coûtent 10 à 30 % du prix habituel.")
        assert "3/8" in chat.last_text()
    second: BotApp = build_application(deps, request=InProcessBotApi(fake))
    async with second:
        chat = MemberChat(second, fake, MEMBER_ID, MEMBER_ID)
        await chat.press("Culture")  # the theme question asked before the restart
        assert "4/8" in chat.last_text()
        await chat.say("Lorient")
        assert "5/8" in chat.last_text()
    [row] = await proposals(deps)
    assert row.name == "Épicerie solidaire de Lorient"
    assert row.theme == "Culture"
    assert row.commune == "Lorient"
    assert row.step == "submit.organisation"


async def test_group_command_points_to_private_chat(
    chat_with: ChatWith, fake: FakeTelegram, deps: Deps
) -> None:
    group = chat_with(chat_id=-4242)
    await group.say("/proposer")
    button = fake.buttons(group.last_message())[0][0]
    assert button["url"].endswith("?start=proposer")
    async with deps.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Proposal)) == 0
    chat = chat_with()
    await chat.say("/start proposer")
    assert "1/8" in chat.last_text()
    await chat.say("Repair café de Lannion")  # the deep link really opened the dialogue
    assert "2/8" in chat.last_text()


async def test_lost_dialogue_state_still_finds_the_draft(deps: Deps, fake: FakeTelegram) -> None:
    """A hard crash can lose the last second of states; the answers are in the draft anyway."""
    from sqlalchemy import delete

    from bot.app import build_application
    from bot.console.bot_api import InProcessBotApi
    from storage.models import ConversationState

    fake.add_user(MEMBER_ID, "Anne")
    first = build_application(deps, request=InProcessBotApi(fake))
    async with first:
        chat = MemberChat(first, fake, MEMBER_ID, MEMBER_ID)
        await chat.say("/proposer")
        await chat.say("Épicerie solidaire de Lorient")
    async with deps.sessions.begin() as session:
        await session.execute(delete(ConversationState))
    second = build_application(deps, request=InProcessBotApi(fake))
    async with second:
        chat = MemberChat(second, fake, MEMBER_ID, MEMBER_ID)
        await chat.say("/proposer")
        assert "« Épicerie solidaire de Lorient »" in chat.last_text()
        await chat.press("▶️ Reprendre")
        assert "2/8" in chat.last_text()
        await chat.say("Une épicerie où les produits coûtent 10 à 30 % du prix habituel.")
        assert "3/8" in chat.last_text()


async def test_an_answer_typed_again_asks_the_current_question_again(
    chat_with: ChatWith, deps: Deps
) -> None:
    """The next question lost in a crash (the update handled again after the restart, or the
    member typing it again, seeing nothing): the same answer is not filed as the next one."""
    chat = chat_with()
    await chat.say("/proposer")
    await chat.say("Ressourcerie du Trégor")
    await chat.say("Ressourcerie du Trégor ")
    assert "2/8" in chat.last_text()
    description = "On répare et revend des objets donnés, avec des salariés en insertion."
    await chat.say(description)
    assert "3/8" in chat.last_text()
    await chat.say(description)  # at the theme: typed again, not filed as a theme
    assert "3/8" in chat.last_text()
    [draft] = await proposals(deps)
    assert (draft.name, draft.description, draft.theme) == (
        "Ressourcerie du Trégor",
        description,
        "",
    )
    await chat.press("Économie circulaire")
    assert "4/8" in chat.last_text()
