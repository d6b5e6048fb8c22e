"""How much work a suite's items need: the generators' own work counts and the length of their
own worked solutions, per cell and difficulty.

The difficulty scale is claimed, not measured, until something counts the work; each family's
solver records `meta.work` (in its `work_unit`) and a worked solution (`meta.steps`), and this
module summarizes both so a suite's documentation and its generation budget rest on numbers.
Token counts are an estimate made without a model's tokenizer: every digit is one token (as in
Qwen3's tokenizer, which splits numbers into digits) and other text is ~3.5 characters a token.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reasonscope.items import Item
from reasonscope.taxonomy import CELLS, Cell

CHARS_PER_TOKEN = 3.5


def estimate_tokens(text: str) -> int:
    digits = sum(ch.isdigit() for ch in text)
    return round(digits + (len(text) - digits) / CHARS_PER_TOKEN)


def worked_solution(item: Item) -> str:
    steps = item.meta.get("steps") or []
    return "\n".join(str(s) for s in steps)


@dataclass(frozen=True)
class LevelMeasure:
    cell: Cell
    difficulty: int
    items: int
    median_work: float | None
    work_units: tuple[str, ...]
    median_solution_chars: float | None
    median_solution_tokens: float | None
    max_solution_tokens: int | None


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def measure(items: Iterable[Item]) -> list[LevelMeasure]:
    """One row per (cell, difficulty) present, in grid order."""
    groups: dict[tuple[Cell, int], list[Item]] = {}
    for item in items:
        groups.setdefault((item.cell, item.difficulty), []).append(item)
    out = []
    for cell in CELLS:
        for level in range(1, 6):
            group = groups.get((cell, level), [])
            if not group:
                continue
            works = [float(i.meta["work"]) for i in group if isinstance(i.meta.get("work"), int)]
            sols = [worked_solution(i) for i in group]
            sols = [s for s in sols if s]
            toks = [estimate_tokens(s) for s in sols]
            out.append(LevelMeasure(
                cell=cell, difficulty=level, items=len(group), median_work=_median(works),
                work_units=tuple(sorted({str(i.meta.get("work_unit")) for i in group
                                         if i.meta.get("work_unit")})),
                median_solution_chars=_median([float(len(s)) for s in sols]),
                median_solution_tokens=_median([float(t) for t in toks]),
                max_solution_tokens=max(toks) if toks else None))
    return out


def solution_budget(measures: Sequence[LevelMeasure]) -> int | None:
    """The longest worked solution of the suite, in estimated tokens (None without any)."""
    tops = [m.max_solution_tokens for m in measures if m.max_solution_tokens is not None]
    return max(tops) if tops else None


__all__ = ["LevelMeasure", "estimate_tokens", "measure", "solution_budget", "worked_solution"]
