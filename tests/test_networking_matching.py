"""Café réseautage matching on a realistic round: 300 attendees from 40 structures."""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

import pytest

from bot.services.networking.matching import Pair, Pairing, Participant, Rules, make_groups
from tests.support.networking import PLACES, attendees


def pairs_of(pairing: Pairing) -> set[Pair]:
    return {frozenset(p) for group in pairing.groups for p in combinations(group, 2)}


def check_partition(pairing: Pairing, people: list[Participant], low: int, high: int) -> None:
    seen = Counter(member for group in pairing.groups for member in group)
    assert set(seen) | set(pairing.left_out) == {p.member_id for p in people}
    assert all(count == 1 for count in seen.values())  # each in exactly one group
    sizes = Counter(len(group) for group in pairing.groups)
    assert all(low <= size <= high for size in sizes), sizes


def structures_mixed(pairing: Pairing, people: list[Participant]) -> bool:
    structure = {p.member_id: p.structure for p in people}
    return all(len({structure[m] for m in group}) == len(group) for group in pairing.groups)


def test_300_attendees_in_pairs_one_trio_at_most_and_never_two_of_a_structure() -> None:
    people = attendees()
    pairing = make_groups(people, Rules(seed=1))
    check_partition(pairing, people, 2, 3)
    assert not pairing.left_out
    assert Counter(len(g) for g in pairing.groups) == {2: 150}
    assert structures_mixed(pairing, people)

    odd = people[:-1]
    pairing = make_groups(odd, Rules(seed=1))
    check_partition(pairing, odd, 2, 3)
    assert Counter(len(g) for g in pairing.groups) == {2: 148, 3: 1}  # odd counts: one trio


def test_a_second_round_repeats_no_pair_and_blocks_are_never_broken() -> None:
    people = attendees()
    first = make_groups(people, Rules(seed=1))
    met = dict.fromkeys(pairs_of(first), 1)
    rnd = random.Random(3)
    ids = [p.member_id for p in people]
    blocks = {frozenset(rnd.sample(ids, 2)) for _ in range(200)}
    second = make_groups(people, Rules(seed=2), met=met, blocks=blocks)
    check_partition(second, people, 2, 3)
    assert not pairs_of(second) & set(met)
    assert not pairs_of(second) & blocks
    assert structures_mixed(second, people)
    # A third round with both rounds behind it still finds new people for everyone.
    met |= dict.fromkeys(pairs_of(second), 1)
    third = make_groups(people, Rules(seed=3), met=met, blocks=blocks)
    assert not pairs_of(third) & set(met)


def test_same_seed_same_groups_and_another_seed_other_groups() -> None:
    people = attendees(120)
    assert make_groups(people, Rules(seed=5)) == make_groups(people, Rules(seed=5))
    assert make_groups(people, Rules(seed=5)).groups != make_groups(people, Rules(seed=6)).groups


@pytest.mark.parametrize(("size", "low", "high"), [(3, 3, 4), (4, 3, 5)])
def test_tables_of_three_or_four(size: int, low: int, high: int) -> None:
    people = attendees(101)
    pairing = make_groups(people, Rules(group_size=size, seed=1))
    check_partition(pairing, people, low, high)
    assert not pairing.left_out
    assert structures_mixed(pairing, people)
    counts = Counter(len(g) for g in pairing.groups)
    # Only the remainder makes tables one larger: 101 = 33 × 3 + 2, or 25 × 4 + 1.
    assert len(pairing.groups) - counts[size] <= len(people) % size


def test_someone_everybody_blocked_is_left_out_with_the_reason() -> None:
    people = attendees(10)
    lonely = people[0].member_id
    blocks = {frozenset((lonely, p.member_id)) for p in people[1:]}
    pairing = make_groups(people, Rules(), blocks=blocks)
    assert pairing.left_out == {lonely: "blocked"}
    assert pairing.group_of(lonely) is None
    assert make_groups(people[:1]).left_out == {people[0].member_id: "alone"}


def test_when_a_structure_is_half_the_room_a_mixed_pairing_is_still_preferred() -> None:
    # 6 of one structure, 6 of others: every pair can still mix.
    people = [Participant(n, "big" if n < 6 else f"s{n}") for n in range(12)]
    pairing = make_groups(people, Rules(cluster_size=4))  # small clusters must not spoil it
    assert structures_mixed(pairing, people)


def test_in_person_rounds_prefer_close_communes() -> None:
    rennes, brest = PLACES[0], PLACES[1]
    people = [Participant(n, f"s{n}", place=rennes if n % 2 else brest) for n in range(40)]
    pairing = make_groups(people, Rules(in_person=True, seed=4))
    place = {p.member_id: p.place for p in people}
    assert all(place[a] == place[b] for a, b in pairing.groups)
