"""Suite measures: work counts and worked-solution lengths summarized per cell and level."""

from __future__ import annotations

from reasonscope.bench.measures import estimate_tokens, measure, solution_budget
from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior, Domain


def _item(level: int, work: int, steps: list[str]) -> Item:
    return Item.create(behavior=Behavior.CALCULATION, domain=Domain.MATH, difficulty=level,
                       prompt=f"q{level}-{work}", answer="1", answer_type=AnswerType.INTEGER,
                       source="t@1+0", meta={"work": work, "work_unit": "operations",
                                             "steps": steps})


def test_measure_takes_medians_per_level_and_the_longest_solution() -> None:
    items = [_item(1, 2, ["1+1=2"]), _item(1, 4, ["a", "b"]), _item(1, 9, ["x"]),
             _item(2, 10, ["123456 + 1 = 123457"])]
    rows = measure(items)
    assert [(m.difficulty, m.items, m.median_work) for m in rows] == [(1, 3, 4.0), (2, 1, 10.0)]
    assert rows[0].work_units == ("operations",)
    assert solution_budget(rows) == estimate_tokens("123456 + 1 = 123457")


def test_token_estimate_counts_every_digit() -> None:
    assert estimate_tokens("1234567890") == 10
    assert estimate_tokens("abcdefg") == 2
