"""Profiles: each member edits their own, hides any field, and turns it visible or not.

Nothing of a profile is shown to anyone until its owner turns « visible dans l'annuaire » on;
then only its visible fields, and never to someone either of them blocked. Every view others get
is a :class:`Card` built here, hidden fields already left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.catalogue.communes import CommuneDirectory
from bot.services.networking.directory import rank
from bot.services.networking.fields import (
    CONTACTS,
    HIDEABLE,
    LANGUAGES,
    LIMITS,
    TEXT_FIELDS,
    hidden_set,
    languages_of,
    one_line,
    structure_key,
)
from bot.services.networking.views import CommuneChoice, DirectoryPage, OwnProfile, own_profile
from storage.db import Sessions
from storage.models import Profile
from storage.repositories.catalogue import CatalogueRepository
from storage.repositories.networking import ProfileRepository
from storage.repositories.networking_introductions import BlockRepository

PER_PAGE = 5


class ProfileService:
    """A member's own profile, and the directory of visible ones."""

    def __init__(self, sessions: Sessions, communes: CommuneDirectory) -> None:
        self._sessions = sessions
        self._communes = communes

    async def own(self, member_id: int) -> OwnProfile:
        """The member's whole profile (an empty one if they have none yet)."""
        async with self._sessions() as session:
            return await own_in(session, member_id)

    async def set_text(self, member_id: int, field: str, text: str) -> OwnProfile | CommuneChoice:
        """Save a typed field; an unknown commune gets the closest names to choose from."""
        if field not in TEXT_FIELDS:
            raise ValueError(f"{field!r} is not a text field")
        value = one_line(text, LIMITS[field])
        if field == "commune" and value:
            commune = self._communes.find(value)
            if commune is None:
                found = self._communes.suggest(value)
                return CommuneChoice(
                    value,
                    tuple((self._communes.number(c), c.name, c.departement) for c in found),
                )
            return await self.set_commune(member_id, self._communes.number(commune))
        async with self._sessions.begin() as session:
            profile = await ProfileRepository(session).get_or_add(member_id)
            if field == "commune":
                profile.commune, profile.departement = "", ""
            else:
                setattr(profile, field, value)
            if field == "structure":
                profile.structure_key = structure_key(value)
            return await own_in(session, member_id)

    async def set_commune(self, member_id: int, number: int) -> OwnProfile:
        """The commune of the offline table numbered ``number``; its département with it."""
        commune = self._communes.at(number)
        async with self._sessions.begin() as session:
            profile = await ProfileRepository(session).get_or_add(member_id)
            if commune is not None:
                profile.commune, profile.departement = commune.name, commune.departement
            return await own_in(session, member_id)

    async def toggle_lab(self, member_id: int, lab_id: int) -> OwnProfile:
        async with self._sessions.begin() as session:
            repo = ProfileRepository(session)
            await repo.get_or_add(member_id)
            if await CatalogueRepository(session).lab(lab_id) is not None:
                await repo.toggle_lab(member_id, lab_id)
            return await own_in(session, member_id)

    async def toggle_theme(self, member_id: int, index: int) -> OwnProfile:
        """Add or remove the catalogue's theme number ``index`` (as :meth:`themes` lists them)."""
        async with self._sessions.begin() as session:
            repo = ProfileRepository(session)
            await repo.get_or_add(member_id)
            themes = await CatalogueRepository(session).themes()
            if 0 <= index < len(themes):
                await repo.toggle_theme(member_id, themes[index])
            return await own_in(session, member_id)

    async def toggle_language(self, member_id: int, code: str) -> OwnProfile:
        async with self._sessions.begin() as session:
            profile = await ProfileRepository(session).get_or_add(member_id)
            chosen = set(languages_of(profile.languages)) ^ ({code} & set(LANGUAGES))
            profile.languages = " ".join(c for c in LANGUAGES if c in chosen)
            return await own_in(session, member_id)

    async def set_contact(self, member_id: int, contact: str) -> OwnProfile:
        async with self._sessions.begin() as session:
            profile = await ProfileRepository(session).get_or_add(member_id)
            if contact in CONTACTS:
                profile.contact = contact
            return await own_in(session, member_id)

    async def toggle_hidden(self, member_id: int, field: str) -> OwnProfile:
        async with self._sessions.begin() as session:
            profile = await ProfileRepository(session).get_or_add(member_id)
            hidden = set(hidden_set(profile.hidden)) ^ ({field} & HIDEABLE)
            profile.hidden = " ".join(sorted(hidden))
            return await own_in(session, member_id)

    async def set_visible(self, member_id: int, visible: bool) -> OwnProfile:
        """Turn « visible dans l'annuaire » on or off."""
        async with self._sessions.begin() as session:
            profile = await ProfileRepository(session).get_or_add(member_id)
            profile.visible = visible
            return await own_in(session, member_id)

    async def labs(self) -> list[tuple[int, str]]:
        """(id, title) of every lab of the catalogue, for the editor's choices."""
        async with self._sessions() as session:
            rows, _ = await CatalogueRepository(session).labs(0, 100)
            return [(lab_id, title) for lab_id, title in rows]

    async def themes(self) -> list[str]:
        """The catalogue's themes, alphabetical (the editor's choices, numbered in this order)."""
        async with self._sessions() as session:
            return await CatalogueRepository(session).themes()

    async def card(self, viewer_id: int, member_id: int) -> OwnProfile | None:
        """A profile as ``viewer_id`` may see it: None unless visible and no block between."""
        async with self._sessions() as session:
            own = await own_in(session, member_id)
            if not own.exists or not own.visible:
                return None
            if await BlockRepository(session).either_way(viewer_id, member_id):
                return None
            return own

    async def search(self, viewer_id: int, query: str, page: int = 0) -> DirectoryPage:
        """Visible profiles matching the words (all of them, typos forgiven), by pages."""
        async with self._sessions() as session:
            around = await BlockRepository(session).around(viewer_id)
            cards = [own.card for own in await _visible(session) if own.member_id not in around]
        found, searched, corrected = rank(cards, query)
        pages = max(1, -(-len(found) // PER_PAGE))
        page = min(max(page, 0), pages - 1)
        return DirectoryPage(
            cards=tuple(found[page * PER_PAGE : (page + 1) * PER_PAGE]),
            total=len(found),
            page=page,
            pages=pages,
            words=tuple(searched),
            corrected=corrected,
        )

    async def cards_for(self, member_ids: Sequence[int]) -> list[OwnProfile]:
        """The profiles of these members that exist (visible or not), for rounds and
        introductions; show others only their ``.card``."""
        async with self._sessions() as session:
            return await many_in(session, member_ids)


async def own_in(session: AsyncSession, member_id: int) -> OwnProfile:
    """The member's whole profile, inside the caller's transaction."""
    found = await many_in(session, [member_id])
    return found[0] if found else own_profile(None, member_id, [], [])


async def many_in(session: AsyncSession, member_ids: Sequence[int]) -> list[OwnProfile]:
    """The stored profiles of these members, inside the caller's transaction."""
    profiles = await ProfileRepository(session).many(member_ids)
    return await _with_labs_and_themes(session, profiles, [p.member_id for p in profiles])


async def _with_labs_and_themes(
    session: AsyncSession, profiles: Sequence[Profile | Row[Any]], ids: list[int] | None
) -> list[OwnProfile]:
    repo = ProfileRepository(session)
    labs, themes = await repo.labs_of(ids), await repo.themes_of(ids)
    return [
        own_profile(p, p.member_id, labs.get(p.member_id, []), themes.get(p.member_id, []))
        for p in profiles
    ]


async def _visible(session: AsyncSession) -> list[OwnProfile]:
    # Every visible profile, labs and themes read by a subquery (no list of ids to bind).
    return await _with_labs_and_themes(session, await ProfileRepository(session).visible(), None)
