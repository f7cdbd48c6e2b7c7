"""Who meets whom at a « café réseautage » round: maximum-weight matching, then groups.

The rules, strongest first (each tier outweighs everything below it put together, so a weaker
wish never buys a stronger one):

1. **blocks** are never violated: a blocked pair has no edge at all;
2. **two people of one structure** are never grouped while another grouping avoids it;
3. **people who met recently** (within ``memory`` rounds) are not grouped again while another
   grouping avoids it;
4. then, softly: people who never met (older meetings fade round after round), shared themes, a
   common language, close communes for in-person rounds; and those left out last time first.

Pairs come from ``networkx.max_weight_matching`` (integer weights). Blossom matching costs about
n³, so a large round is cut into clusters of ``cluster_size`` people (shuffled with the seed, or
by place for in-person rounds); a cluster whose best matching still breaks rule 2 or 3 is merged
with the next one and matched again, so a rule is only broken when a bigger pool cannot help
either. Tables of 3–4 are built in each cluster from its pairs: the best pairs seed the tables, the
others join the table they fit best (a greedy merge), then swaps between tables improve it. Same
participants, history and seed: same groups.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from bot.services.catalogue.communes import distance_km

Pair = frozenset[int]

SOFT_MAX = 100  # the soft score of a pair is within 0..SOFT_MAX
_NOVELTY, _THEMES, _LANGUAGE, _PROXIMITY = 30, 30, 25, 15
_NEAR_KM = 80.0  # in-person rounds: closer than this counts, linearly
_PRIORITY = 5  # per edge of someone left out last time: enough to break ties


@dataclass(frozen=True)
class Participant:
    """What matching needs of a member who joined the round (nothing they hid)."""

    member_id: int
    structure: str = ""  # normalised organisation name; "" when not given
    themes: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"fr"})
    place: tuple[float, float] | None = None  # latitude, longitude of their commune
    priority: bool = False  # left out of the previous round


@dataclass(frozen=True)
class Rules:
    """How groups are made (all configurable per round)."""

    group_size: int = 2  # 2 by default, 3–4 possible
    in_person: bool = False
    memory: int = 12  # rounds during which a meeting counts as "met recently"
    seed: int = 0
    cluster_size: int = 32


@dataclass(frozen=True)
class Pairing:
    """The outcome: groups (member ids, sorted), and who is left out with why."""

    groups: list[tuple[int, ...]]
    left_out: dict[int, str] = field(default_factory=dict)  # member id -> reason key

    def group_of(self, member_id: int) -> tuple[int, ...] | None:
        """The group of ``member_id``, or None if they were left out."""
        return next((g for g in self.groups if member_id in g), None)


def make_groups(
    participants: Sequence[Participant],
    rules: Rules = Rules(),
    *,
    met: Mapping[Pair, int] | None = None,
    blocks: Iterable[Pair] = (),
) -> Pairing:
    """Groups for ``participants``; ``met`` maps a pair to how many rounds ago they met."""
    if not 2 <= rules.group_size <= 4:
        raise ValueError(f"group size must be 2 to 4, not {rules.group_size}")
    people = {p.member_id: p for p in participants}
    if len(people) < 2:
        return Pairing([], dict.fromkeys(people, "alone"))
    scorer = _Scorer(rules, met or {}, frozenset(blocks), len(people))
    groups = _groups(_pairs(list(people.values()), rules, scorer), rules, scorer)
    grouped = {member for group in groups for member in group}
    left_out = {m: "blocked" for m in people if m not in grouped}
    return Pairing(sorted(tuple(sorted(g)) for g in groups), left_out)


class _Scorer:
    """Integer weights of pairs, tiered as the module's docstring says."""

    def __init__(
        self, rules: Rules, met: Mapping[Pair, int], blocks: frozenset[Pair], people: int
    ) -> None:
        self.rules, self.met, self.blocks = rules, met, blocks
        # Tiers for the whole round, so every pool and every group compares on one scale: a
        # tier is worth more than all the weaker wishes of every pair of the round together.
        pairs = people // 2 + 1
        self.repeat_tier = pairs * SOFT_MAX + 1
        self.structure_tier = pairs * (SOFT_MAX + self.repeat_tier) + 1
        # Swaps ask for the same pairs again and again: each weight is computed once.
        self._weights: dict[tuple[int, int], int] = {}

    def allowed(self, a: Participant, b: Participant) -> bool:
        return frozenset((a.member_id, b.member_id)) not in self.blocks

    def same_structure(self, a: Participant, b: Participant) -> bool:
        return bool(a.structure) and a.structure == b.structure

    def recently_met(self, a: Participant, b: Participant) -> bool:
        ago = self.met.get(frozenset((a.member_id, b.member_id)))
        return ago is not None and ago <= self.rules.memory

    def soft(self, a: Participant, b: Participant) -> int:
        """0..SOFT_MAX: novelty, shared themes, common language, proximity, priority."""
        ago = self.met.get(frozenset((a.member_id, b.member_id)))
        if ago is None:
            novelty = _NOVELTY
        elif ago <= self.rules.memory:
            novelty = 0
        else:  # an old meeting fades: half the way back to "never met" each round
            novelty = round(_NOVELTY * (1 - 0.5 ** (ago - self.rules.memory)))
        score = novelty + min(2, len(a.themes & b.themes)) * _THEMES // 2
        if a.languages & b.languages:
            score += _LANGUAGE
        if self.rules.in_person and a.place is not None and b.place is not None:
            km = distance_km(*a.place, *b.place)
            score += round(_PROXIMITY * max(0.0, 1 - km / _NEAR_KM))
        score += _PRIORITY * (a.priority + b.priority)
        return min(SOFT_MAX, score)

    def weight(self, a: Participant, b: Participant) -> int:
        """The pair's integer weight (at least 1: every allowed pair is an edge)."""
        key = (
            (a.member_id, b.member_id) if a.member_id < b.member_id else (b.member_id, a.member_id)
        )
        weight = self._weights.get(key)
        if weight is None:
            weight = 1 + self.soft(a, b)
            if not self.recently_met(a, b):
                weight += self.repeat_tier
            if not self.same_structure(a, b):
                weight += self.structure_tier
            self._weights[key] = weight
        return weight

    def breaks_a_rule(self, a: Participant, b: Participant) -> bool:
        return self.same_structure(a, b) or self.recently_met(a, b)

    def group_score(self, group: Sequence[Participant]) -> int:
        """A group's worth: the weights of all its pairs."""
        return sum(self.weight(a, b) for a, b in combinations(group, 2))


Found = tuple[list[tuple[Participant, Participant]], list[Participant]]


def _pairs(people: list[Participant], rules: Rules, scorer: _Scorer) -> list[Found]:
    """Maximum-weight pairs, cluster by cluster: each cluster's pairs and unmatched people."""
    clusters = _clusters(people, rules)
    found: list[Found] = []
    index = 0
    while index < len(clusters):
        pool = clusters[index]
        pairs, unmatched = _match(pool, scorer)
        # A rule broken in a cluster may be avoidable with more people: try with the next one.
        if index + 1 < len(clusters) and any(scorer.breaks_a_rule(a, b) for a, b in pairs):
            clusters[index + 1] = pool + clusters[index + 1]
        else:
            found.append((pairs, unmatched))
        index += 1
    return found


def _match(
    pool: Sequence[Participant], scorer: _Scorer
) -> tuple[list[tuple[Participant, Participant]], list[Participant]]:
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(range(len(pool)))
    for i, j in combinations(range(len(pool)), 2):
        if scorer.allowed(pool[i], pool[j]):
            graph.add_edge(i, j, weight=scorer.weight(pool[i], pool[j]))
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    pairs = sorted((min(i, j), max(i, j)) for i, j in matching)
    matched = {i for pair in pairs for i in pair}
    unmatched = [pool[i] for i in range(len(pool)) if i not in matched]
    return [(pool[i], pool[j]) for i, j in pairs], unmatched


def _clusters(people: list[Participant], rules: Rules) -> list[list[Participant]]:
    """Pools of about ``cluster_size``: by place in person, else shuffled."""
    ordered = sorted(people, key=lambda p: p.member_id)
    random.Random(rules.seed).shuffle(ordered)
    if rules.in_person:
        located = [p for p in ordered if p.place is not None]
        unknown = [p for p in ordered if p.place is None]
        ordered = _by_place(located) + unknown
    # Whole tables per cluster (a multiple of 2 and of the table size), so only the last
    # cluster has a remainder and at most one table per round is off its size.
    unit = math.lcm(2, rules.group_size)
    count = max(1, math.ceil(len(ordered) / max(unit, rules.cluster_size)))
    per = math.ceil(len(ordered) / count)
    per += -per % unit
    chunks = [ordered[i : i + per] for i in range(0, len(ordered), per)]
    return [chunk for chunk in chunks if chunk]


def _by_place(people: list[Participant]) -> list[Participant]:
    """Strips of latitude, each walked by longitude: neighbours end up in one cluster."""
    people = sorted(people, key=lambda p: p.place[0] if p.place else 0.0)
    strips = max(1, round(math.sqrt(len(people) / 40)))
    per = math.ceil(len(people) / strips)
    ordered: list[Participant] = []
    for i in range(0, len(people), per):
        ordered += sorted(people[i : i + per], key=lambda p: p.place[1] if p.place else 0.0)
    return ordered


def _groups(found: list[Found], rules: Rules, scorer: _Scorer) -> list[tuple[int, ...]]:
    """Tables of ``group_size`` from each cluster's pairs; the odd ones out join a table."""
    groups: list[list[Participant]] = []
    alone: list[Participant] = []
    for pairs, unmatched in found:
        if rules.group_size == 2:
            groups += [list(pair) for pair in pairs]
            alone += unmatched
        else:
            tables, left = _assemble(pairs, unmatched, rules.group_size, scorer)
            groups += _swap(tables, scorer)
            alone += left
    if len(alone) >= 2:
        pairs, alone = _match(alone, scorer)
        groups += [list(pair) for pair in pairs]
    for single in alone:  # the odd one out joins the table they fit best
        _place_single(groups, single, rules.group_size + 1, scorer)
    return [tuple(p.member_id for p in group) for group in groups]


def _assemble(
    pairs: list[tuple[Participant, Participant]],
    unmatched: list[Participant],
    size: int,
    scorer: _Scorer,
) -> tuple[list[list[Participant]], list[Participant]]:
    """Greedy merge: the best pairs seed the tables, everyone else joins where they fit best."""
    people = len(pairs) * 2 + len(unmatched)
    count = max(1, people // size)
    ranked = sorted(pairs, key=lambda pair: scorer.weight(*pair), reverse=True)
    tables = [list(pair) for pair in ranked[:count]]
    joining = [person for pair in ranked[count:] for person in pair] + unmatched
    left: list[Participant] = []
    for person in joining:
        fits = [t for t in tables if all(scorer.allowed(person, m) for m in t)]
        # Fill every table to ``size`` before any gets one more.
        room = [t for t in fits if len(t) < size] or [t for t in fits if len(t) < size + 1]
        if not room:
            left.append(person)
            continue
        best = max(room, key=lambda t: sum(scorer.weight(person, m) for m in t))
        best.append(person)
    return tables, left


def _place_single(
    groups: list[list[Participant]], single: Participant, largest: int, scorer: _Scorer
) -> None:
    fitting = [g for g in groups if len(g) < largest and all(scorer.allowed(single, m) for m in g)]
    if fitting:
        best = max(fitting, key=lambda g: scorer.group_score([*g, single]) - len(g))
        best.append(single)


def _swap(
    groups: list[list[Participant]], scorer: _Scorer, passes: int = 2
) -> list[list[Participant]]:
    """Exchange two people between tables whenever both tables together gain."""
    scores = [scorer.group_score(group) for group in groups]
    for _ in range(passes):
        improved = False
        for gi, gj in combinations(range(len(groups)), 2):
            for a in range(len(groups[gi])):
                for b in range(len(groups[gj])):
                    left, right = list(groups[gi]), list(groups[gj])
                    left[a], right[b] = right[b], left[a]
                    if not (_compatible(left, scorer) and _compatible(right, scorer)):
                        continue
                    after = scorer.group_score(left), scorer.group_score(right)
                    if sum(after) > scores[gi] + scores[gj]:
                        groups[gi], groups[gj] = left, right
                        scores[gi], scores[gj] = after
                        improved = True
        if not improved:
            break
    return groups


def _compatible(group: Sequence[Participant], scorer: _Scorer) -> bool:
    return all(scorer.allowed(a, b) for a, b in combinations(group, 2))
