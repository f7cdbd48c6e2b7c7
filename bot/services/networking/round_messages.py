"""What a café réseautage round sends (outbox payloads) and shows, in a member's language.

The group's lines are built from each member's :class:`Card` only (their visible fields), so a
hidden field never reaches the other members of the group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.formatting import format_day, format_when
from bot.services.networking.messages import NetworkingMessages, Rows, button
from bot.services.networking.views import OwnProfile
from bot.texts import Texts


@dataclass(frozen=True)
class RoundView:
    """A round as organisers and members see it."""

    id: int
    pool: str
    pool_ref: str
    starts_at: datetime
    ends_at: datetime
    group_size: int
    in_person: bool
    status: str
    joined: int = 0


# The answers to « Vous êtes-vous rencontrés ? », as their button values.
MET_ANSWERS = {1: "yes", 2: "not_yet", 3: "no"}


class RoundMessages:
    def __init__(self, texts: Texts, cards: NetworkingMessages, tz: ZoneInfo) -> None:
        self.texts, self._cards, self._tz = texts, cards, tz

    def when(self, view: RoundView, language: str) -> str:
        return format_when(view.starts_at, self._tz, language)

    def pool(self, pool: str, ref: str, language: str) -> str:
        return self.texts.get(language, f"networking.round.pool.{pool}", ref=ref)

    def invitation(self, view: RoundView, language: str) -> dict[str, object]:
        t = self.texts.get
        text = t(
            language,
            "networking.round.invitation",
            when=self.when(view, language),
            pool=self.pool(view.pool, view.pool_ref, language),
        )
        round_id = view.id
        rows: Rows = [
            [button(t(language, "networking.round.join"), "rjoin", round_id)],
            [button(t(language, "networking.round.skip"), "rskip", round_id)],
        ]
        return {"kind": "text", "text": text, "buttons": rows}

    def reminder(self, view: RoundView, language: str) -> dict[str, object]:
        t = self.texts.get
        text = t(language, "networking.round.reminder", when=self.when(view, language))
        rows: Rows = [[button(t(language, "networking.round.skip"), "rskip", view.id)]]
        return {"kind": "text", "text": text, "buttons": rows}

    def outcome(
        self, view: RoundView, number: int, others: Sequence[OwnProfile], language: str
    ) -> dict[str, object]:
        """One participant's one message: their group, each other's visible lines, a hint."""
        t = self.texts.get
        until = format_day(view.ends_at.astimezone(self._tz).date(), language)
        hint = (
            t(language, "networking.round.table", number=number)
            if view.in_person
            else t(language, "networking.round.slot", until=until)
        )
        cards = "\n\n".join(self._cards.card_text(other.card, language) for other in others)
        text = self.texts.plural(language, "networking.round.outcome", len(others))
        text += "\n\n" + cards
        text += "\n\n" + hint
        rows: Rows = [
            [
                button(
                    t(
                        language,
                        "networking.round.introduce",
                        name=self._cards.name(o.card, language),
                    ),
                    "propose",
                    o.member_id,
                )
            ]
            for o in others
            if o.card.accepts_introductions
        ]
        return {"kind": "text", "text": text, "buttons": rows}

    def left_out(self, reason: str, language: str) -> dict[str, object]:
        key = (
            "networking.round.left_out_alone" if reason == "alone" else "networking.round.left_out"
        )
        return {"kind": "text", "text": self.texts.get(language, key)}

    def follow_up(self, round_id: int, when: str, language: str) -> dict[str, object]:
        t = self.texts.get
        rows: Rows = [
            [
                button(t(language, f"networking.round.met_{answer}"), "rmet", round_id, code)
                for code, answer in MET_ANSWERS.items()
            ],
            [
                button(t(language, "networking.round.useful_yes"), "ruse", round_id, 1),
                button(t(language, "networking.round.useful_no"), "ruse", round_id, 0),
            ],
        ]
        return {
            "kind": "text",
            "text": t(language, f"networking.round.ask_{when}"),
            "buttons": rows,
        }

    def paused_for_silence(self, language: str) -> dict[str, object]:
        t = self.texts.get
        rows: Rows = [[button(t(language, "networking.round.resume"), "rresume")]]
        return {"kind": "text", "text": t(language, "networking.round.silent"), "buttons": rows}
