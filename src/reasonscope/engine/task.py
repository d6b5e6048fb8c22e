"""What to evaluate: a suite, a selection of its items, and how to sample them.

`EvalTask.items()` is the only item selector in reasonscope: `eval`, `probe`, the demo and the
benchmarks all select through it, so "the first 8 items per cell at difficulty 1" means the same
items everywhere. The selection is applied in one fixed order, each step optional:
cells, then difficulties, then the first `per_cell` items of each cell (in suite order), then at
most `limit` items taken round-robin across cells (so a small limit still covers every cell).

Two hashes travel with a run and mean one thing each: `suite_hash` is the hash of the whole
suite file as loaded (built-in suites: the frozen file's SHA-256), `items_hash` the hash of the
selected items (`reasonscope.items.items_hash`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reasonscope.bench.suites import DEFAULT_SUITE, Suite, load_suite
from reasonscope.genconfig import GenerationConfig
from reasonscope.items import Item, items_hash
from reasonscope.taxonomy import Cell, parse_cell


class Selection(BaseModel):
    """Which items of a suite to evaluate; every field narrows, None keeps everything."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cells: tuple[str, ...] | None = Field(
        default=None, description="behavior/domain cells, e.g. calculation/math")
    difficulties: tuple[int, ...] | None = Field(default=None, description="difficulty levels 1-5")
    per_cell: int | None = Field(default=None, ge=1,
                                 description="the first N items of each cell, in suite order")
    limit: int | None = Field(default=None, ge=1,
                              description="at most N items, round-robin across cells")

    @field_validator("cells")
    @classmethod
    def _cells_known(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if v is None:
            return None
        for cell in v:
            parse_cell(cell)
        return tuple(v)

    @field_validator("difficulties")
    @classmethod
    def _levels(cls, v: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if v is not None and any(d not in range(1, 6) for d in v):
            raise ValueError("difficulties must be in 1..5")
        return v

    def apply(self, items: Sequence[Item]) -> list[Item]:
        picked = list(items)
        if self.cells is not None:
            wanted = {parse_cell(c) for c in self.cells}
            picked = [i for i in picked if i.cell in wanted]
        if self.difficulties is not None:
            levels = set(self.difficulties)
            picked = [i for i in picked if i.difficulty in levels]
        if self.per_cell is not None:
            picked = _first_per_cell(picked, self.per_cell)
        if self.limit is not None and self.limit < len(picked):
            picked = _round_robin(picked, self.limit)
        return picked


def _first_per_cell(items: Sequence[Item], n: int) -> list[Item]:
    taken: dict[Cell, int] = {}
    kept = []
    for item in items:
        if taken.get(item.cell, 0) < n:
            taken[item.cell] = taken.get(item.cell, 0) + 1
            kept.append(item)
    return kept


def _round_robin(items: Sequence[Item], limit: int) -> list[Item]:
    by_cell: dict[Cell, list[Item]] = {}
    for item in items:
        by_cell.setdefault(item.cell, []).append(item)
    queues = list(by_cell.values())
    picked: list[Item] = []
    depth = 0
    while len(picked) < limit:
        picked += [q[depth] for q in queues if depth < len(q)][: limit - len(picked)]
        depth += 1
    return picked


class EvalTask(BaseModel):
    """A suite (built-in name or JSONL path), a selection of it, and the generation settings."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    suite: str = Field(default=DEFAULT_SUITE, description="built-in suite name or JSONL file")
    selection: Selection = Field(default_factory=Selection)
    generation: GenerationConfig = Field(default_factory=GenerationConfig)

    @classmethod
    def create(cls, suite: str | Path = DEFAULT_SUITE, *, cells: Sequence[str] | None = None,
               difficulties: Sequence[int] | None = None, per_cell: int | None = None,
               limit: int | None = None, generation: GenerationConfig | None = None,
               ) -> EvalTask:
        """Flat keyword form: `EvalTask.create("rs-synth-mini-v1", per_cell=1)`."""
        sel = Selection(cells=tuple(cells) if cells is not None else None,
                        difficulties=tuple(difficulties) if difficulties is not None else None,
                        per_cell=per_cell, limit=limit)
        return cls(suite=str(suite), selection=sel, generation=generation or GenerationConfig())

    @cached_property
    def loaded(self) -> Suite:
        """The whole suite (read once per task object)."""
        return load_suite(self.suite)

    def items(self) -> list[Item]:
        """The selected items, in suite order (round-robin order under `limit`)."""
        return self.selection.apply(self.loaded.items)

    @property
    def suite_name(self) -> str:
        return self.loaded.name

    @property
    def suite_hash(self) -> str:
        return self.loaded.hash

    @property
    def suite_path(self) -> str | None:
        return str(self.loaded.path) if self.loaded.path else None

    def items_hash(self) -> str:
        return items_hash(self.items())

    def with_generation(self, **changes: object) -> EvalTask:
        return self.model_copy(update={"generation": self.generation.model_copy(update=changes)})


__all__ = ["EvalTask", "Selection"]
