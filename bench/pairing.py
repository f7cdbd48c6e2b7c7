"""Café réseautage matching time for 100, 1,000 and 5,000 participants.

Prints, for each size, the median time of ``make_groups`` (pairs, then tables of 4) over a few
seeds, with the quality of the pairs: rule breaks (two people of one structure, people who met
the round before) and the mean soft score. The reference measured in the same run is
``networkx.max_weight_matching`` on the whole complete graph (no clusters), for the sizes where
it finishes in reasonable time; the ratio says how much the clusters save and the quality
columns what they cost. Target: 1,000 participants within 2 s.

    .venv/bin/python -m bench.pairing [--sizes 100,1000,5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from itertools import combinations

import networkx as nx

from bench.common import machine
from bot.services.networking.matching import Participant, Rules, make_groups
from tests.support.networking import attendees

TARGET_SECONDS = {1000: 2.0}
REFERENCE_UP_TO = 300  # the whole-graph blossom beyond this takes minutes


def quality(
    groups: list[tuple[int, ...]], people: list[Participant], met: set[frozenset[int]]
) -> tuple[int, int]:
    """(pairs of one structure, pairs that met the round before) inside the groups."""
    structure = {p.member_id: p.structure for p in people}
    same = sum(1 for g in groups for a, b in combinations(g, 2) if structure[a] == structure[b])
    repeats = sum(1 for g in groups for a, b in combinations(g, 2) if frozenset((a, b)) in met)
    return same, repeats


def timed(
    people: list[Participant], rules: Rules, met: dict[frozenset[int], int]
) -> tuple[float, list[tuple[int, ...]]]:
    """Seconds taken by make_groups, and its groups."""
    start = time.perf_counter()
    pairing = make_groups(people, rules, met=met)
    return time.perf_counter() - start, pairing.groups


def reference(people: list[Participant], met: set[frozenset[int]]) -> float:
    """The whole complete graph in one blossom matching (same tiers, no clusters)."""
    rules = Rules(seed=0, cluster_size=len(people) + 2)
    start = time.perf_counter()
    make_groups(people, rules, met=dict.fromkeys(met, 1))
    return time.perf_counter() - start


def main() -> None:
    """Print the figures, one line per size."""
    parser = argparse.ArgumentParser(prog="python -m bench.pairing")
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    print(f"networkx {nx.__version__}; structures: one per 7.5 participants; previous round known")
    for size in (int(s) for s in args.sizes.split(",")):
        people = attendees(size, structures=max(2, size * 2 // 15), seed=size)
        first = make_groups(people, Rules(seed=99)).groups
        met_pairs = {frozenset(p) for g in first for p in combinations(g, 2)}
        met = dict.fromkeys(met_pairs, 1)
        pair_times: list[float] = []
        table_times: list[float] = []
        same_structure = repeated = 0
        for seed in range(args.repeats):
            seconds, groups = timed(people, Rules(seed=seed), met)
            pair_times.append(seconds)
            same, repeats = quality(groups, people, met_pairs)
            same_structure, repeated = max(same_structure, same), max(repeated, repeats)
            table_times.append(timed(people, Rules(group_size=4, seed=seed), met)[0])
        pairs_median = statistics.median(pair_times)
        line = (
            f"{size:>5} participants: pairs {pairs_median:6.2f} s, tables of 4 "
            f"{statistics.median(table_times):6.2f} s (medians of {args.repeats}); "
            f"same-structure pairs {same_structure}, repeated pairs {repeated}"
        )
        if size <= REFERENCE_UP_TO:
            whole = reference(people, met_pairs)
            line += f"; whole-graph blossom {whole:6.2f} s, ratio {pairs_median / whole:.2f}"
        target = TARGET_SECONDS.get(size)
        if target is not None:
            line += f"; target ≤ {target} s: {'met' if pairs_median <= target else 'MISSED'}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
