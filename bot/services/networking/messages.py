"""Networking texts in a member's language: the profile card, and what introductions send.

Telegram-free, like the event card: the same card is shown by the handlers and put into the
outbox (an introduction request carries the requester's card). Only a :class:`Card` is ever
rendered for someone else, so a hidden field cannot reach a text.
"""

from __future__ import annotations

from html import escape

from bot.services.catalogue.communes import DEPARTEMENTS
from bot.services.networking.views import Card
from bot.texts import Texts

Rows = list[list[dict[str, str]]]


def button(text: str, action: str, *values: int) -> dict[str, str]:
    """A button of an outbox payload (handlers/networking/keys.py reads the same data)."""
    return {"text": text, "data": ":".join(["networking", action, *map(str, values)])}


def propose_data(member_id: int) -> str:
    """The data of « Proposer une mise en relation » with a member (an innovation's card)."""
    return button("", "propose", member_id)["data"]


class NetworkingMessages:
    def __init__(self, texts: Texts) -> None:
        self.texts = texts

    def propose_label(self, language: str) -> str:
        """« Proposer une mise en relation », for a card of another feature (an innovation)."""
        return self.texts.get(language, "networking.button.propose")

    def name(self, card: Card, language: str) -> str:
        """The card's name as shown (plain text), or « un membre » when hidden."""
        return card.name or self.texts.get(language, "networking.card.someone")

    def card_text(self, card: Card, language: str) -> str:
        """The card's visible fields, one per line (HTML)."""
        t = self.texts.get
        lines = [t(language, "networking.card.name", name=self.name(card, language))]
        if card.structure:
            lines.append(t(language, "networking.card.structure", structure=card.structure))
        if card.commune:
            where = DEPARTEMENTS.get(card.departement, card.departement)
            lines.append(t(language, "networking.card.place", commune=card.commune, where=where))
        if card.labs:
            lines.append(t(language, "networking.card.labs", labs=", ".join(card.labs)))
        if card.themes:
            lines.append(t(language, "networking.card.themes", themes=", ".join(card.themes)))
        if card.offer:
            lines.append(t(language, "networking.card.offer", offer=card.offer))
        if card.seek:
            lines.append(t(language, "networking.card.seek", seek=card.seek))
        if card.languages:
            names = ", ".join(t(language, f"networking.language.{c}") for c in card.languages)
            lines.append(t(language, "networking.card.languages", languages=names))
        return "\n".join(lines)

    def request(
        self, card: Card, note: str, language: str, introduction_id: int
    ) -> dict[str, object]:
        """The request the target receives: the requester's card, their note, four buttons."""
        t = self.texts.get
        parts = [
            t(language, "networking.intro.request", name=self.name(card, language)),
            self.card_text(card, language),
        ]
        if note:
            parts.append(t(language, "networking.intro.note", note=note))
        parts.append(t(language, "networking.intro.question"))
        rows: Rows = [
            [
                button(t(language, "networking.button.accept"), "accept", introduction_id),
                button(t(language, "networking.button.decline"), "decline", introduction_id),
            ],
            self.safety_row(language, introduction_id),
        ]
        return {"kind": "text", "text": "\n\n".join(parts), "buttons": rows}

    def safety_row(self, language: str, introduction_id: int) -> list[dict[str, str]]:
        t = self.texts.get
        return [
            button(t(language, "networking.button.block"), "block", introduction_id),
            button(t(language, "networking.button.report"), "report", introduction_id),
        ]

    def connected(
        self, other: Card, username: str, language: str, introduction_id: int
    ) -> dict[str, object]:
        """« Vous êtes en relation »: the other's @username, or the relay's button."""
        t = self.texts.get
        name = self.name(other, language)
        parts = [t(language, "networking.intro.connected", name=name)]
        rows: Rows = []
        if username:
            parts.append(t(language, "networking.intro.contact_username", username=username))
        else:
            parts.append(t(language, "networking.intro.contact_relay", name=name))
            rows.append(
                [
                    button(
                        t(language, "networking.button.write", name=name), "write", introduction_id
                    )
                ]
            )
        rows.append(self.safety_row(language, introduction_id))
        return {"kind": "text", "text": "\n\n".join(parts), "buttons": rows}

    def relayed(
        self, sender: Card, text: str, language: str, introduction_id: int
    ) -> dict[str, object]:
        """A message relayed from ``sender``, with « Répondre » and « Partager mon contact »."""
        t = self.texts.get
        head = t(language, "networking.relay.from", name=self.name(sender, language))
        rows: Rows = [
            [
                button(t(language, "networking.button.reply"), "write", introduction_id),
                button(t(language, "networking.button.share"), "share", introduction_id),
            ],
            self.safety_row(language, introduction_id),
        ]
        return {"kind": "text", "text": f"{head}\n\n{escape(text)}", "buttons": rows}

    def text(self, language: str, key: str, **params: object) -> dict[str, object]:
        return {"kind": "text", "text": self.texts.get(language, key, **params)}
