"""Synthetic café réseautage participants, for the matching tests and bench/pairing.py."""

from __future__ import annotations

import random

from bot.services.networking.matching import Participant

THEMES = ("Mobilité", "Énergie", "Culture", "Jeunesse", "Numérique", "Ruralité", "Savoirs")
# Breton communes (latitude, longitude): Rennes, Brest, Quimper, Vannes, Saint-Brieuc, Lannion.
PLACES = (
    (48.11, -1.68),
    (48.39, -4.49),
    (47.99, -4.10),
    (47.66, -2.76),
    (48.51, -2.76),
    (48.73, -3.46),
)


def attendees(count: int = 300, structures: int = 40, seed: int = 7) -> list[Participant]:
    rnd = random.Random(seed)
    people = []
    for n in range(count):
        languages = {"fr"} | ({"br"} if rnd.random() < 0.2 else set())
        people.append(
            Participant(
                member_id=10_000 + n,
                structure=f"structure-{n % structures}",
                themes=frozenset(rnd.sample(THEMES, 2)),
                languages=frozenset(languages),
                place=rnd.choice(PLACES),
            )
        )
    return people
