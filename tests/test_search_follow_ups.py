"""« Quelles suites ? »: the 2013 follow-up proposals on the debrief card and as their own card,
found by search, reached from the FAQ; the figures as the source states them."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.driver import MemberChat

PROPOSALS = [
    "Une communauté / réseau social « Innov'Deizh » ?",
    "Un recueil en ligne des innovations sociales bretonnes ?",
    "Un système pérenne de collecte, d'observation et de diffusion des innovations sociales "
    "bretonnes ?",
    "Un travail spécifique d'observation sur certaines thématiques (économie circulaire, GPEC "
    "territoriale, les jeunes et les femmes dans l'ESS…) ?",
    "Un réseau régional des recycleries",
]
PLATFORM = [
    "Encourager le décloisonnement des acteurs et les coopérations porteuses d'innovations.",
    "Construire un meilleur financement et accompagnement du processus d'innovation sociale.",
    "Informer, sensibiliser et former pour accélérer le développement de l'IS.",
    "Favoriser les transferts d'expériences et l'essaimage de projets qui ont fait leurs preuves.",
]
HEADING = (
    "Un travail avec nos partenaires au sein de la plate-forme Innovation Sociale animée par "
    "Bretagne Développement Innovation pour :"
)


def assert_all_follow_ups(text: str) -> None:
    for item in [*PROPOSALS, *PLATFORM]:
        assert f"• {item}" in text, item
    assert "Les propositions à débattre" in text
    assert HEADING in text
    assert text.index(PROPOSALS[-1]) < text.index(HEADING) < text.index(PLATFORM[0])


async def test_the_debrief_card_shows_the_proposals_it_debated(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    await chat.say("/rencontres")
    await chat.press("🗂 Réunion de débriefing de la journée Innov'Deizh")
    text = chat.last_text()
    assert text.startswith("📅 Réunion de débriefing de la journée Innov'Deizh")
    assert_all_follow_ups(text)


async def test_quelles_suites_is_its_own_card_with_a_way_to_the_day(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    await chat.say("quelles suites ?")
    text = chat.last_text()
    assert text.startswith("❓ Quelles suites à la journée Innov'Deizh 2013 ?")
    assert "Une réunion de débriefing (avec les organisateurs et animateurs d'ateliers)" in text
    assert_all_follow_ups(text)
    await chat.press("📅 Journée Innov'Deizh du 24 octobre 2013")
    assert chat.last_text().startswith("📅 Journée Innov'Deizh du 24 octobre 2013")


async def test_the_follow_ups_are_found_by_their_words(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    for typed in ("recycleries", "recyclerie", "Bretagne Développement Innovation"):
        await chat.say(typed)
        assert chat.last_text().startswith("❓ Quelles suites"), typed
    await chat.say("What are the follow-up proposals?")
    assert chat.last_text().startswith("❓ Quelles suites")


async def test_reached_from_the_list_of_frequent_questions(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    await chat.say("c'est quoi une SCOP ?")
    await chat.press("❓ Questions fréquentes")
    assert "Questions fréquentes" in chat.last_text()
    labels = chat.button_labels()
    assert "❓ Quelles suites à la journée Innov'Deizh 2013 ?" in labels
    assert "❓ Bonjour !" not in labels  # a greeting is no question
    await chat.press("❓ Quelles suites à la journée Innov'Deizh 2013 ?")
    assert_all_follow_ups(chat.last_text())


async def test_figures_as_the_source_states_them(chat_with: Callable[..., MemberChat]) -> None:
    chat = chat_with()
    await chat.say("Combien de personnes ont répondu au questionnaire ?")
    text = chat.last_text()
    assert text.startswith("❓ Combien de personnes ont répondu au questionnaire de bilan ?")
    assert "questionnaire de bilan auquel ont répondu 47 personnes" in text
    assert "SCOP" not in text
    await chat.press("📊 Tous les chiffres : Journée Innov'Deizh du 24 octobre 2013")
    figures = chat.last_text()
    assert "• Participants : plus de 300 personnes" in figures  # « Plus de 300 participants »
    assert "• Réponses au questionnaire de bilan : 47 personnes" in figures
    assert "• Retours très positifs : 90 %" in figures


async def test_an_event_in_rennes_is_the_events_answer(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    await chat.say("y a-t-il un évènement à Rennes ?")
    assert chat.last_text().startswith("📅 Pas de rencontre prévue pour l'instant")
    assert "🗂 Journée Innov'Deizh du 24 octobre 2013" in chat.button_labels()


async def test_a_question_without_answer_says_so_with_suggestions(
    chat_with: Callable[..., MemberChat],
) -> None:
    chat = chat_with()
    await chat.say("Qui est le président de l'association ?")
    assert chat.last_text().startswith("🤔 Je ne sais pas répondre à")
    assert chat.button_labels()[-1] == "❓ Questions fréquentes"
    english = chat_with(4343, language_code="en")
    await english.say("Can I get a refund for my ticket?")
    assert english.last_text().startswith("🤔 I don't know how to answer")


async def test_the_english_prompt_gives_english_examples_that_work(
    chat_with: Callable[..., MemberChat],
) -> None:
    english = chat_with(4343, language_code="en")
    await english.say("/search")
    assert "(“mobility”)" in english.last_text()
    assert "(“what is a SCOP?”)" in english.last_text()
    await english.say("mobility")  # the example finds something
    assert "Vers une mobilité durable" in english.last_text()
    await english.say("what is a SCOP?")
    assert "SCOP" in english.last_text()
    assert not english.last_text().startswith("🤔")
