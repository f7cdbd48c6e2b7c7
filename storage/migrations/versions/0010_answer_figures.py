"""answer figures: a figure can be « plus de » its value; FAQ entries learn new ways of asking

``event_figures.more_than``: « Plus de 300 participants » was shown « 300 personnes ». The
seeded participants figure of the 2013 day is corrected where it is still as seeded (same key,
same value); a figure an organiser changed is left alone. Seeded items are never re-imported
(storage/seeding.py), so the phrasings added to the seeded FAQ entries (English, spoken forms)
are written here, only where an entry's phrasings are still exactly as seeded; the search
index follows by its triggers. New FAQ entries come in with the seed, as any new item.

Revision ID: 0010_answer_figures
Revises: 0009_intake
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_answer_figures"
down_revision: str | Sequence[str] | None = "0009_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# FAQ entry slug: (its phrasings as seeded before, as seeded now), one per line as stored.
PHRASINGS = {
    "ptce": (
        [
            "C'est quoi un PTCE ?",
            "Pôle territorial de coopération économique",
            "PTCE kesako",
        ],
        [
            "C'est quoi un PTCE ?",
            "Pôle territorial de coopération économique",
            "PTCE kesako",
            "What is a PTCE?",
            "Territorial hub for economic cooperation",
        ],
    ),
    "scop": (
        [
            "C'est quoi une SCOP ?",
            "Société coopérative et participative",
            "Reprise d'entreprise par les salariés en coopérative",
        ],
        [
            "C'est quoi une SCOP ?",
            "Société coopérative et participative",
            "Reprise d'entreprise par les salariés en coopérative",
            "What is a SCOP?",
            "Worker cooperative",
            "Employees taking over their company",
        ],
    ),
    "iae": (
        [
            "C'est quoi l'IAE ?",
            "Insertion par l'activité économique",
            "Structures d'insertion, chantiers d'insertion",
        ],
        [
            "C'est quoi l'IAE ?",
            "Insertion par l'activité économique",
            "Structures d'insertion, chantiers d'insertion",
            "What is the IAE?",
            "Work integration through economic activity",
        ],
    ),
    "ess": (
        [
            "C'est quoi l'ESS ?",
            "Économie sociale et solidaire, définition",
        ],
        [
            "C'est quoi l'ESS ?",
            "Économie sociale et solidaire, définition",
            "What is the ESS?",
            "Social and solidarity economy",
        ],
    ),
    "innov-deizh": (
        [
            "C'est quoi Innov'Deizh ?",
            "Journée de l'innovation sociale en Bretagne",
        ],
        [
            "C'est quoi Innov'Deizh ?",
            "Journée de l'innovation sociale en Bretagne",
            "C'est quoi ce bot ?",
            "À quoi sert ce bot ?",
            "Qui êtes-vous ?",
            "What is Innov'Deizh?",
            "What is this bot for?",
        ],
    ),
    "bonjour": (
        [
            "Salut",
            "Coucou",
            "Bonsoir",
            "Hello",
            "Merci",
            "Merci beaucoup",
        ],
        [
            "Salut",
            "Coucou",
            "Bonsoir",
            "Hello",
            "Merci",
            "Merci beaucoup",
            "Hi",
            "Good morning",
            "Thanks",
            "Thank you",
        ],
    ),
    "prochaine-rencontre": (
        [
            "Quand a lieu la prochaine réunion ?",
            "Prochain rendez-vous",
            "Prochaine journée",
            "Prochain événement",
            "Date de la prochaine rencontre",
        ],
        [
            "Quand a lieu la prochaine réunion ?",
            "Prochain rendez-vous",
            "Prochaine journée",
            "Prochain événement",
            "Date de la prochaine rencontre",
            "Y a-t-il un événement bientôt ?",
            "Un événement près de chez moi ?",
            "Un événement à Rennes, Brest, Quimper, Vannes, Lorient, Saint-Brieuc ou Saint-Malo ?",
            "Les rencontres à venir",
            "L'agenda des rencontres",
            "When is the next meeting?",
            "Next event",
            "Upcoming events",
            "Is there an event near me?",
        ],
    ),
    "participants-2013": (
        [
            "Combien de participants en 2013 ?",
            "Nombre de participants",
            "Combien de personnes sont venues ?",
            "Bilan et chiffres de la journée 2013",
            "Taux de satisfaction",
        ],
        [
            "Combien de participants en 2013 ?",
            "Nombre de participants",
            "Combien de personnes sont venues ?",
            "Combien de monde à la journée ?",
            "Bilan et chiffres de la journée 2013",
            "Taux de satisfaction",
            "Les gens étaient-ils satisfaits ?",
            "How many people came?",
            "How many participants in 2013?",
            "Figures of the 2013 day",
            "Satisfaction rate",
        ],
    ),
}


def upgrade() -> None:
    """Add ``more_than`` and set it on the seeded « plus de 300 participants »."""
    with op.batch_alter_table("event_figures") as batch:
        batch.add_column(
            sa.Column("more_than", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    figures = sa.table(
        "event_figures",
        sa.column("event_id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("value", sa.Float),
        sa.column("more_than", sa.Boolean),
    )
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("slug", sa.String))
    of_2013 = sa.select(events.c.id).where(events.c.slug == "innov-deizh-2013")
    op.execute(
        figures.update()
        .where(
            figures.c.key == "participants",
            figures.c.value == 300,
            figures.c.event_id.in_(of_2013.scalar_subquery()),
        )
        .values(more_than=True)
    )
    faq = sa.table("faq_entries", sa.column("slug", sa.String), sa.column("phrasings", sa.Text))
    for slug, (before, after) in PHRASINGS.items():
        op.execute(
            faq.update()
            .where(faq.c.slug == slug, faq.c.phrasings == "\n".join(before))
            .values(phrasings="\n".join(after))
        )


def downgrade() -> None:
    """Drop ``more_than`` (the figure reads « 300 » again); phrasings stay (they only help)."""
    with op.batch_alter_table("event_figures") as batch:
        batch.drop_column("more_than")
