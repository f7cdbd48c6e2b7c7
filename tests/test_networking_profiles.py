"""/profil and /annuaire through the Bot API double: create, edit, hide, show; the directory
finds visible profiles only, and only their visible fields."""

from __future__ import annotations

from bot.console.bot_api import FakeTelegram
from bot.context import BotApp, Deps
from handlers.networking import keys
from tests.support.driver import plain
from tests.support.networking import make_profile, member, type_field


async def test_a_new_profile_is_private_until_made_visible(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne = member(app, fake, 501, "Anne")
    await anne.say("/profil")
    assert "Personne ne le voit" in anne.last_text()
    # The text names the button to press, as it is labelled.
    assert "Appuie sur « Rendre visible dans l'annuaire »" in anne.last_text()
    assert "🌐 Rendre visible dans l'annuaire" in anne.button_labels()
    await anne.press("Nom affiché")
    await anne.press("✏️ Modifier")
    assert anne.last_text().startswith(
        "Écris « Nom affiché » en une ligne (60 caractères au plus)."
    )
    await anne.say("Anne Le Goff")
    await type_field(anne, "Structure", "SCOP Les Champs")
    await type_field(anne, "Commune", "quimper")
    editor = anne.last_text()
    assert "Anne Le Goff" in editor
    assert "SCOP Les Champs" in editor
    assert "Quimper (Finistère)" in editor  # the département derived from the communes table
    own = await deps.networking.profiles.own(501)
    assert (own.commune, own.departement, own.visible) == ("Quimper", "29", False)

    yann = member(app, fake, 502, "Yann")
    await yann.say("/annuaire Anne")
    assert "Aucun profil visible" in yann.last_text()

    await anne.press("🌐 Rendre visible dans l'annuaire")
    assert "Visible dans l'annuaire" in anne.last_text()
    await yann.say("/annuaire scop champs")
    assert "1 profil" in yann.last_text()
    await yann.press("Anne Le Goff · SCOP Les Champs")
    card = yann.last_text()
    assert "SCOP Les Champs" in card
    assert "Quimper" in card
    assert "🤝 Proposer une mise en relation" in yann.button_labels()


async def test_labs_themes_languages_and_contact_by_buttons(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne = member(app, fake, 511, "Anne")
    await make_profile(anne, name="Anne")
    await anne.press("Thèmes")
    theme = (await deps.networking.profiles.themes())[0]
    await anne.press(theme)
    assert f"✅ {theme}" in anne.button_labels()
    await anne.press("« Retour")
    await anne.press("Langues")
    await anne.press("breton")
    await anne.press("« Retour")
    await anne.press("Labos")  # French: « labos », as in /labs
    lab_id, lab_title = (await deps.networking.profiles.labs())[0]
    await anne.press_data(keys.LAB.data(lab_id), anne.newest_with_buttons()["message_id"])
    await anne.press("« Retour")
    await anne.press("Contact")
    assert "✅ Seulement par le bot" in anne.button_labels()  # the default
    await anne.press("Donner mon @pseudo Telegram")
    own = await deps.networking.profiles.own(511)
    assert own.themes == (theme,)
    assert own.languages == ("br",)
    assert own.labs == (lab_title,)
    assert own.contact == "username"
    await anne.press("« Retour")
    assert "breton" in anne.last_text()
    assert theme in plain(anne.last_text())


async def test_a_hidden_field_is_shown_to_nobody_and_not_searched(
    app: BotApp, fake: FakeTelegram
) -> None:
    anne = member(app, fake, 521, "Anne")
    await make_profile(anne, name="Anne", structure="Recyclerie Ker Avel", seek="un local")
    await anne.press("Structure")
    await anne.press("🙈 Masquer ce champ")
    await anne.press("« Retour")
    preview = anne.last_text()
    assert "Recyclerie" not in preview  # the preview is what the directory shows
    assert "Masqués : Structure" in preview

    yann = member(app, fake, 522, "Yann")
    await yann.say("/annuaire recyclerie")
    assert "Aucun profil visible" in yann.last_text()
    await yann.say("/annuaire local")
    await yann.press("Anne")
    assert "Recyclerie" not in yann.last_text()
    assert "un local" in yann.last_text()

    # Shown again, and the owner can turn the whole profile off at any time.
    await anne.say("/profil")
    await anne.press("🙈 Structure")
    await anne.press("👁 Afficher ce champ")
    await yann.say("/annuaire recyclerie")
    assert "1 profil" in yann.last_text()
    await anne.say("/profil")
    await anne.press("🔒 Retirer de l'annuaire")
    await yann.say("/annuaire recyclerie")
    assert "Aucun profil visible" in yann.last_text()


async def test_a_card_pressed_after_its_owner_hid_it_is_gone(
    app: BotApp, fake: FakeTelegram
) -> None:
    anne = member(app, fake, 531, "Anne")
    await make_profile(anne, name="Anne Kervella")
    yann = member(app, fake, 532, "Yann")
    await yann.say("/annuaire")
    await yann.press("📇 Tout l'annuaire")
    await anne.say("/profil")
    await anne.press("🔒 Retirer de l'annuaire")
    await yann.press("Anne Kervella")
    assert yann.last_text() == "Ce profil n'est plus dans l'annuaire."
    # A forged press on any member id says the same, whether a profile exists or not.
    await yann.press_data(keys.CARD.data(999999))
    assert yann.last_text() == "Ce profil n'est plus dans l'annuaire."


async def test_the_directory_forgives_typos_and_pages_with_buttons(
    app: BotApp, fake: FakeTelegram
) -> None:
    for n in range(7):
        chat = member(app, fake, 540 + n, f"M{n}")
        await make_profile(chat, name=f"Membre {n}", offer="ateliers de réparation de vélos")
    yann = member(app, fake, 560, "Yann")
    await yann.say("/annuaire reparation velo")
    first = yann.last_text()
    assert "7 profils" in first
    assert "Suivant »" in yann.button_labels()
    assert len([b for b in yann.button_labels() if b.startswith("Membre")]) == 5
    await yann.press("Suivant »")
    assert len([b for b in yann.button_labels() if b.startswith("Membre")]) == 2
    assert "« Précédent" in yann.button_labels()
    await yann.say("/annuaire reparatoin")  # a typo
    assert "7 profils" in yann.last_text()
    assert "j'ai cherché « reparation »" in yann.last_text()


async def test_an_unknown_commune_gets_suggestions_and_a_way_out(
    app: BotApp, fake: FakeTelegram, deps: Deps
) -> None:
    anne = member(app, fake, 571, "Anne")
    await anne.say("/profil")
    await anne.press("Commune")
    await anne.press("✏️ Modifier")
    await anne.say("Landernau")
    assert "Tu voulais dire" in anne.last_text()
    await anne.press("Landerneau (29)")
    assert (await deps.networking.profiles.own(571)).commune == "Landerneau"
    await anne.press("Nom affiché")
    await anne.press("✏️ Modifier")
    await anne.say("/annuler")
    assert anne.last_text() == "D'accord, rien n'est envoyé."
    await anne.say("Bonjour")  # no longer a name: a search, as any private text
    assert (await deps.networking.profiles.own(571)).name == ""


async def test_profile_and_directory_are_private_chat_only(
    app: BotApp, fake: FakeTelegram
) -> None:
    fake.add_group(-100777, "Groupe")
    anne = member(app, fake, 581, "Anne")
    anne.chat_id = -100777
    await anne.say("/profil")
    assert "écris-moi en privé" in anne.last_text()
    await anne.say("/annuaire")
    assert "écris-moi en privé" in anne.last_text()
