"""EvalTask: the one item selector, its fixed order of narrowing, and its two hashes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reasonscope.bench.suites import load_suite
from reasonscope.engine.task import EvalTask, Selection
from reasonscope.items import Item, items_hash


def test_limit_is_round_robin_over_cells(tiny_items: list[Item]) -> None:
    picked = Selection(limit=6).apply(tiny_items)
    assert len(picked) == 6 and len({i.cell for i in picked}) == 6
    assert Selection(cells=("calculation/math",)).apply(tiny_items) == tiny_items[:2]
    assert Selection(limit=100).apply(tiny_items) == tiny_items


def test_narrowing_order_is_cells_difficulty_per_cell_limit() -> None:
    items = list(load_suite("rs-synth-mini-v1").items)
    sel = Selection(cells=("simulation/coding", "calculation/math"), difficulties=(2, 3),
                    per_cell=3, limit=5)
    by_hand = [i for i in items if f"{i.behavior.value}/{i.domain.value}"
               in ("simulation/coding", "calculation/math") and i.difficulty in (2, 3)]
    firsts: list[Item] = []
    for cell in ("calculation/math", "simulation/coding"):
        firsts += [i for i in by_hand if f"{i.behavior.value}/{i.domain.value}" == cell][:3]
    picked = sel.apply(items)
    assert len(picked) == 5 and {i.id for i in picked} <= {i.id for i in firsts}
    assert {i.difficulty for i in picked} <= {2, 3}
    assert sum(1 for i in picked if i.behavior.value == "simulation") in (2, 3)


def test_task_hashes_mean_one_thing_each() -> None:
    whole = EvalTask.create("rs-synth-mini-v1")
    part = EvalTask.create("rs-synth-mini-v1", per_cell=1)
    assert whole.suite_hash == part.suite_hash == load_suite("rs-synth-mini-v1").hash
    assert part.items_hash() == items_hash(part.items()) != whole.items_hash()
    assert len(part.items()) == 20


@pytest.mark.parametrize("bad", [{"cells": ("nope/math",)}, {"difficulties": (0,)},
                                 {"per_cell": 0}, {"limit": -1}])
def test_bad_selection_names_the_field(bad: dict[str, object]) -> None:
    with pytest.raises((ValidationError, ValueError)):
        Selection(**bad)  # type: ignore[arg-type]


def test_generation_rejects_non_finite_values() -> None:
    from reasonscope.genconfig import GenerationConfig

    for value in (float("inf"), float("nan")):
        with pytest.raises(ValidationError):
            GenerationConfig(temperature=value)
