"""Synthetic French innovations for the search benchmark (seeded, so every run is the same)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from bot.services.catalogue.communes import CommuneDirectory

THEMES = (
    "Économie circulaire",
    "Mobilité",
    "Monnaie locale",
    "Insertion par l'activité économique",
    "Énergie",
    "Culture",
    "Jeunesse",
    "Vieillissement",
    "Ruralité",
    "Alimentation",
    "Habitat",
    "Numérique",
)
_NOUNS = """
recyclerie ressourcerie atelier épicerie coopérative jardin café garage vélo-école crèche
habitat tiers-lieu monnaie covoiturage chantier friperie conciergerie recueil plateforme réseau
laboratoire fabrique brasserie boulangerie cantine marché ferme maison école université
association collectif pôle halle bibliothèque ludothèque repair-café cuisine potager verger
"""
NOUNS = _NOUNS.split()
_ADJECTIVES = """
solidaire participatif participative partagé partagée citoyen citoyenne local locale itinérant
itinérante associatif associative coopératif coopérative numérique rural rurale
intergénérationnel inclusive durable collaboratif collaborative éphémère mobile social sociale
"""
ADJECTIVES = _ADJECTIVES.split()
_FILLER = """
accompagne les habitants du territoire pour créer des emplois et du lien social avec les
entreprises les collectivités et les associations autour de projets de réemploi de mobilité
douce d'alimentation de proximité de formation et d'insertion professionnelle des jeunes et des
personnes âgées en milieu rural comme en ville grâce à des bénévoles et des salariés engagés
dans une démarche de coopération de partage des savoirs et d'innovation sociale
"""
FILLER = _FILLER.split()


def innovations(count: int, seed: int = 2013) -> list[tuple[object, ...]]:
    """Rows (title, summary, theme, commune, departement, latitude, longitude, organisation)."""
    rng = random.Random(seed)
    communes = CommuneDirectory.load()
    places = [communes.find(name) for name in _commune_names()]
    known = [c for c in places if c is not None]
    rows: list[tuple[object, ...]] = []
    for _ in range(count):
        place = rng.choice(known)
        title = f"{rng.choice(NOUNS).capitalize()} {rng.choice(ADJECTIVES)} de {place.name}"
        summary = " ".join(rng.choices(FILLER, k=rng.randint(18, 30))).capitalize() + "."
        organisation = f"Association {rng.choice(NOUNS)} {rng.choice(ADJECTIVES)}"
        rows.append(
            (
                title,
                summary,
                rng.choice(THEMES),
                place.name,
                place.departement,
                place.latitude,
                place.longitude,
                organisation,
            )
        )
    return rows


def _commune_names() -> list[str]:
    return [
        "Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Brieuc", "Saint-Malo",
        "Nantes", "Saint-Nazaire", "Lannion", "Morlaix", "Fougères", "Vitré", "Redon",
        "Pontivy", "Concarneau", "Douarnenez", "Guingamp", "Dinan", "Ploërmel", "Carhaix-Plouguer",
        "Landerneau", "Quimperlé", "Auray", "Châteaubriant", "Ancenis", "Clisson", "Guérande",
    ]  # fmt: skip


def insert(database: Path, rows: list[tuple[object, ...]]) -> None:
    """Bulk insert through plain sqlite3 (the index triggers fire for every row)."""
    connection = sqlite3.connect(database)
    try:
        with connection:
            connection.executemany(
                "INSERT INTO innovations (title, summary, theme, commune, departement, latitude, "
                "longitude, organisation, website, status, created_at, updated_at) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, '', 'approved', '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00')",
                rows,
            )
    finally:
        connection.close()


def two_word_queries(count: int, seed: int = 29) -> list[str]:
    """Searches a member might type: two words of the data, some accentless, some partial."""
    rng = random.Random(seed)
    pool = [w for w in NOUNS + ADJECTIVES + [t.split()[0] for t in THEMES] if len(w) > 3]
    queries = []
    for i in range(count):
        first, second = rng.sample(pool, 2)
        if i % 3 == 0:
            first = first.replace("é", "e").replace("è", "e")
        if i % 5 == 0:
            second = second[: max(4, len(second) - 2)]
        queries.append(f"{first} {second}")
    return queries
