"""What the networking services hand out: frozen views, never rows.

``Card`` is a profile as others may see it: hidden fields are already empty, so no renderer can
show them by mistake. ``OwnProfile`` is the whole profile, for its owner's editor only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row

from bot.services.networking.fields import hidden_set, languages_of
from storage.models import Profile


@dataclass(frozen=True)
class Card:
    """A profile's visible fields ("" or () where hidden or empty)."""

    member_id: int
    name: str = ""
    structure: str = ""
    commune: str = ""
    departement: str = ""
    labs: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    offer: str = ""
    seek: str = ""
    languages: tuple[str, ...] = ()
    accepts_introductions: bool = False

    def search_text(self) -> str:
        """Every visible word of the card, for the directory's search."""
        parts = [self.name, self.structure, self.commune, self.offer, self.seek]
        return " ".join([*parts, *self.labs, *self.themes])


@dataclass(frozen=True)
class OwnProfile:
    """A member's whole profile, for their own editor."""

    member_id: int
    exists: bool
    name: str = ""
    structure: str = ""
    commune: str = ""
    departement: str = ""
    lab_ids: tuple[int, ...] = ()
    labs: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    offer: str = ""
    seek: str = ""
    languages: tuple[str, ...] = ()
    contact: str = "relay"
    visible: bool = False
    hidden: frozenset[str] = field(default_factory=frozenset)

    @property
    def card(self) -> Card:
        """The profile as the directory shows it (hidden fields left out)."""
        shown = {
            name: getattr(self, name)
            for name in ("name", "structure", "commune", "labs", "themes", "offer", "seek")
            if name not in self.hidden
        }
        if "commune" in shown:
            shown["departement"] = self.departement
        if "languages" not in self.hidden:
            shown["languages"] = self.languages
        return Card(
            member_id=self.member_id,
            accepts_introductions=self.contact != "closed",
            **shown,
        )


def own_profile(
    profile: Profile | Row[Any] | None,
    member_id: int,
    labs: list[tuple[int, str]],
    themes: list[str],
) -> OwnProfile:
    """The editor's view of a stored profile (an empty one when there is none)."""
    if profile is None:
        return OwnProfile(member_id=member_id, exists=False)
    return OwnProfile(
        member_id=member_id,
        exists=True,
        name=profile.name,
        structure=profile.structure,
        commune=profile.commune,
        departement=profile.departement,
        lab_ids=tuple(lab_id for lab_id, _ in labs),
        labs=tuple(title for _, title in labs),
        themes=tuple(themes),
        offer=profile.offer,
        seek=profile.seek,
        languages=languages_of(profile.languages),
        contact=profile.contact,
        visible=profile.visible,
        hidden=hidden_set(profile.hidden),
    )


@dataclass(frozen=True)
class DirectoryPage:
    """One page of the directory's answer to a search."""

    cards: tuple[Card, ...]
    total: int
    page: int
    pages: int
    words: tuple[str, ...]  # the folded words searched (they ride on the page buttons)
    corrected: str | None = None


@dataclass(frozen=True)
class CommuneChoice:
    """A commune typed that the offline table does not know: the closest ones, numbered."""

    typed: str
    suggestions: tuple[tuple[int, str, str], ...]  # (number, name, département)
