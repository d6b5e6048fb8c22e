"""What every generator family promises, whatever its behavior: a one-line isolation claim, a
work count from its own solver on every item, and a difficulty scale that the work count
confirms (the median work strictly increases from level 1 to level 5)."""

from __future__ import annotations

import itertools
import statistics

import pytest

from reasonscope.bench.generators import all_generators
from reasonscope.bench.generators.base import Generator

SEEDS = range(24)
GENERATORS = all_generators()


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.name)
def test_family_states_why_it_isolates_its_behavior(gen: Generator) -> None:
    assert len(gen.why) >= 30, f"{gen.name}: `why=` must say why its items need " \
        f"{gen.behavior.value} and what stays trivial"
    assert "\n" not in gen.why


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.name)
def test_median_work_strictly_increases_with_difficulty(gen: Generator) -> None:
    medians = []
    for level in range(1, 6):
        works = []
        for seed in SEEDS:
            item = gen(seed, level)
            work = item.meta.get("work")
            assert isinstance(work, int) and work >= 1, f"{gen.name} d{level} seed {seed}: " \
                "meta.work missing (set Draft.work from the family's own solver)"
            assert item.meta.get("work_unit"), f"{gen.name}: Draft.work_unit is empty"
            works.append(work)
        medians.append(statistics.median(works))
    assert all(a < b for a, b in itertools.pairwise(medians)), \
        f"{gen.name}: median work by difficulty {medians} does not strictly increase"
