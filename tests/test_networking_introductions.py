"""Introductions through the Bot API double: accepted (contact or relay), refused, expired; a
blocked requester cannot ask again; the pending-request limit holds; reports show moderators
who wrote to whom and when, never what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import jobs
from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from handlers.catalogue import keys as catalogue_keys
from handlers.networking import keys
from storage.models import Innovation, OutboxMessage, Proposal
from tests.conftest import MODERATORS_CHAT_ID
from tests.support.driver import MemberChat
from tests.support.networking import deliver, make_profile, member

ANNE, YANN = 601, 602


async def _two_members(app: BotApp, fake: FakeTelegram) -> tuple[MemberChat, MemberChat]:
    """Anne (a @username she agrees to share) is in the directory; Yann (none) has a profile."""
    anne = member(app, fake, ANNE, "Anne", username="anne_lg")
    await make_profile(anne, name="Anne Le Goff", structure="SCOP Les Champs")
    await anne.press("Contact")
    await anne.press("Donner mon @pseudo Telegram")
    yann = member(app, fake, YANN, "Yann")
    await make_profile(yann, name="Yann Kerbrat", seek="un local", visible=False)
    return anne, yann


async def _propose(yann: MemberChat, note: str | None) -> None:
    await yann.say("/annuaire scop")
    await yann.press("Anne Le Goff · SCOP Les Champs")
    await yann.press("🤝 Proposer une mise en relation")
    assert "Ajoute un mot" in yann.last_text()
    if note is None:
        await yann.press("Envoyer sans mot")
    else:
        await yann.say(note)
    assert "C'est envoyé" in yann.last_text()


async def test_accepted_both_get_the_contact_or_the_relay(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann = await _two_members(app, fake)
    await _propose(yann, "Je monte une recyclerie à Brest")
    await deliver(app, deps)
    request = anne.message_containing("aimerait être mis·e en relation")
    assert "Yann Kerbrat" in request["text"]
    assert "un local" in request["text"]  # Yann's card: his visible fields
    assert "Je monte une recyclerie à Brest" in request["text"]
    assert not any("anne_lg" in text for text in yann.texts())  # nothing before she accepts

    await anne.press("✅ Accepter", request["message_id"])
    assert "C'est fait" in anne.last_text()
    await deliver(app, deps)
    assert "@anne_lg" in yann.message_containing("Vous êtes en relation")["text"]
    # Yann has no @username: Anne writes to him through the bot.
    connected = anne.message_containing("Vous êtes en relation")
    assert "passe par moi" in connected["text"]
    await anne.press("✉️ Écrire à Yann Kerbrat", connected["message_id"])
    await anne.say("Avec plaisir, passe à l'atelier jeudi")
    assert anne.last_text() == "✅ Transmis à Yann Kerbrat."
    await deliver(app, deps)
    relayed = yann.message_containing("Message de Anne Le Goff")
    assert "passe à l'atelier jeudi" in relayed["text"]
    await yann.press("↩️ Répondre", relayed["message_id"])
    await yann.say("Merci, à jeudi !")
    await deliver(app, deps)
    assert "Merci, à jeudi" in anne.message_containing("Message de Yann Kerbrat")["text"]
    await yann.press("🤝 Donner mon @pseudo", relayed["message_id"])
    assert "pas de @pseudo" in yann.last_text()


async def test_sharing_a_contact_closes_the_relay(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann = await _two_members(app, fake)
    await anne.say("/profil")
    await anne.press("Contact")
    await anne.press("Seulement par le bot")  # her @username is given only if she says so
    await _propose(yann, None)
    await deliver(app, deps)
    await anne.press("✅ Accepter", anne.message_containing("aimerait")["message_id"])
    await deliver(app, deps)
    assert "anne_lg" not in yann.message_containing("Vous êtes en relation")["text"]
    await yann.press("✉️ Écrire à Anne Le Goff")
    await yann.say("Bonjour Anne")
    await deliver(app, deps)
    relayed = anne.message_containing("Message de Yann Kerbrat")
    await anne.press("🤝 Donner mon @pseudo", relayed["message_id"])
    assert "Yann Kerbrat a maintenant ton @pseudo" in anne.last_text()
    await deliver(app, deps)
    assert "@anne_lg" in yann.message_containing("te donne son contact")["text"]
    await anne.press("↩️ Répondre", relayed["message_id"])
    assert anne.last_text() == "Cette conversation par mon intermédiaire est terminée."


async def test_refused_and_expired_read_the_same_at_the_same_delay(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann = await _two_members(app, fake)
    bob = member(app, fake, 603, "Bob")
    await make_profile(bob, name="Bob", structure="SCOP Les Champs bis")
    await _propose(yann, None)
    await deliver(app, deps)
    await anne.press("Pas maintenant", anne.message_containing("aimerait")["message_id"])
    assert "ça n'a pas abouti" in anne.last_text()
    # Yann is told when an unanswered request would have expired, not at once.
    async with deps.sessions() as session:
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.purpose.endswith(":closed"))
        )
    assert notice is not None
    assert notice.chat_id == YANN
    assert notice.due_at > datetime.now(UTC) + timedelta(days=6, hours=23)

    await yann.say("/annuaire bis")
    await yann.press("Bob · SCOP Les Champs bis")
    await yann.press("🤝 Proposer une mise en relation")
    await yann.press("Envoyer sans mot")
    await deliver(app, deps)  # Bob gets it (and the engine sends the notice due later, too)
    later = datetime.now(UTC) + timedelta(days=7, minutes=1)
    assert await deps.networking.introductions.expire_due(later) == 1  # Bob never answered
    await deliver(app, deps, later)
    notices = [text for text in yann.texts() if "n'a pas abouti" in text]
    assert len(notices) == 2
    assert {t.replace("Anne Le Goff", "X").replace("Bob", "X") for t in notices} == {
        "Ta demande de mise en relation avec X n'a pas abouti cette fois-ci. Chacun a son"
        " rythme ! D'autres profils t'attendent dans /annuaire."
    }
    # Bob's old request can no longer be accepted.
    bob_request = bob.message_containing("aimerait")
    await bob.press("✅ Accepter", bob_request["message_id"])
    assert bob.last_text() == "Cette demande n'est plus d'actualité."
    assert jobs.INTRODUCTIONS in jobs.WAKES


async def test_a_blocked_requester_cannot_ask_again(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann = await _two_members(app, fake)
    await _propose(yann, "Coucou")
    await deliver(app, deps)
    request = anne.message_containing("aimerait")
    await anne.press("🚫 Bloquer", request["message_id"])
    assert "Elle n'en saura rien" in anne.last_text()
    sent_to_anne = len(fake.bot_messages(ANNE))

    await yann.say("/annuaire scop")
    assert "Aucun profil visible" in yann.last_text()  # she is gone from his directory
    old_card = yann.earlier_button(keys.PROPOSE.data(ANNE))  # her card, shown before the block
    await yann.press_data(keys.PROPOSE.data(ANNE), old_card)
    assert "ne peut pas recevoir" in yann.last_text()
    await deliver(app, deps)
    assert len(fake.bot_messages(ANNE)) == sent_to_anne
    await yann.say("/profil")
    await yann.press("🌐 Rendre visible dans l'annuaire")
    await anne.say("/annuaire kerbrat")  # both ways
    assert "Aucun profil visible" in anne.last_text()
    bob = member(app, fake, 603, "Bob")
    await bob.say("/annuaire kerbrat")  # others do see him
    assert "1 profil" in bob.last_text()


async def test_the_pending_request_limit_holds(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    yann = member(app, fake, YANN, "Yann")
    await make_profile(yann, name="Yann", visible=False)
    limit = deps.config.networking.max_pending_requests
    assert limit == 5
    for n in range(limit + 1):
        other = member(app, fake, 700 + n, f"P{n}")
        await make_profile(other, name=f"Personne {n}")
    for n in range(limit):
        card = yann.earlier_button(keys.PROPOSE.data(700 + n))  # each one's directory card
        await yann.press_data(keys.PROPOSE.data(700 + n), card)
        await yann.press("Envoyer sans mot")
        assert "C'est envoyé" in yann.last_text()
    await yann.press_data(
        keys.PROPOSE.data(700 + limit), yann.earlier_button(keys.PROPOSE.data(700 + limit))
    )
    assert "déjà 5 demandes en attente" in yann.last_text()
    await deliver(app, deps)
    assert not any("aimerait" in t for t in MemberChat(app, fake, 705, 705).texts())


async def test_only_the_target_can_answer_a_request(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann = await _two_members(app, fake)
    await _propose(yann, None)
    await deliver(app, deps)
    intro = int(
        keys.ACCEPT.values(
            fake.buttons(anne.message_containing("aimerait"))[0][0]["callback_data"]
        )[0]
    )
    # The requester forging the target's button, pressed on his own message: refused as a
    # button that is not there; and even carried by a message of his, not his to answer.
    await yann.press_data(keys.ACCEPT.data(intro), yann.last_message()["message_id"])
    assert fake.callback_answers[-1]["text"] == "Ce bouton n'est plus actif."
    await yann.press_data(keys.ACCEPT.data(intro), yann.earlier_button(keys.ACCEPT.data(intro)))
    assert yann.last_text() == "Cette demande n'est plus d'actualité."
    await deliver(app, deps)
    assert not any("anne_lg" in text for text in yann.texts())


async def test_a_report_shows_who_wrote_to_whom_never_what(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann = await _two_members(app, fake)
    await _propose(yann, "note très personnelle")
    await deliver(app, deps)
    await anne.press("✅ Accepter", anne.message_containing("aimerait")["message_id"])
    await deliver(app, deps)
    connected = anne.message_containing("Vous êtes en relation")
    await anne.press("✉️ Écrire à Yann Kerbrat", connected["message_id"])
    await anne.say("contenu privé du message")
    await deliver(app, deps)
    relayed = yann.message_containing("Message de Anne Le Goff")
    await yann.press("⚠️ Signaler", relayed["message_id"])
    assert "les modérateurs sont prévenus" in yann.last_text()
    await deliver(app, deps)
    report = fake.bot_texts(MODERATORS_CHAT_ID)[-1]
    assert "Yann (602) signale Anne (601)" in report
    assert "demande de mise en relation de Yann (602) à Anne (601) (acceptée)" in report
    assert "message transmis de Anne (601) à Yann (602)" in report
    assert "contenu privé" not in report
    assert "note très personnelle" not in report
    # The report blocks too: Anne can no longer write through the bot.
    await anne.press("✉️ Écrire à Yann Kerbrat", connected["message_id"])
    assert anne.last_text() == "Cette conversation par mon intermédiaire est terminée."


async def _innovation(deps: Deps, proposer: int, *, contact_public: bool) -> int:
    async with deps.sessions.begin() as session:
        innovation = Innovation(
            title=f"Recyclerie {int(contact_public)}", status="approved", submitted_by=proposer
        )
        session.add(innovation)
        await session.flush()
        session.add(
            Proposal(
                member_id=proposer,
                status="published",
                name=innovation.title,
                contact="anne@example.org",
                contact_public=contact_public,
                innovation_id=innovation.id,
            )
        )
        return innovation.id


async def test_an_innovation_card_offers_its_proposer_when_they_allow_it(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne, yann = await _two_members(app, fake)
    public = await _innovation(deps, ANNE, contact_public=True)
    private = await _innovation(deps, ANNE, contact_public=False)
    # The innovations' cards as search or the catalogue list would offer them.
    await yann.press_data(
        catalogue_keys.INNOVATION.data(private),
        yann.earlier_button(catalogue_keys.INNOVATION.data(private)),
    )
    assert "🤝 Proposer une mise en relation" not in yann.button_labels()  # who proposed it
    await yann.press_data(  # who proposed it stays unsaid
        catalogue_keys.INNOVATION.data(public),
        yann.earlier_button(catalogue_keys.INNOVATION.data(public)),
    )
    assert "🤝 Proposer une mise en relation" in yann.button_labels()
    await anne.press_data(
        catalogue_keys.INNOVATION.data(public),
        anne.earlier_button(catalogue_keys.INNOVATION.data(public)),
    )
    assert "🤝 Proposer une mise en relation" not in anne.button_labels()  # not to herself
    await yann.press("🤝 Proposer une mise en relation")
    await yann.press("Envoyer sans mot")
    assert "C'est envoyé" in yann.last_text()
    await deliver(app, deps)
    assert "Yann Kerbrat" in anne.message_containing("aimerait")["text"]
