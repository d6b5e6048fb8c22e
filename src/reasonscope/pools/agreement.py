"""Label quality: how often a proposed cell is the cell a person chose.

The same numbers serve two uses: a held-out set of hand-labelled pool rows (to compare
labelling methods) and a review's decisions (to report how good the proposals were, per cell,
for the suite that came out of them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reasonscope.taxonomy import CELLS, Behavior, Domain

Cell = tuple[Behavior, Domain]


@dataclass(frozen=True)
class JudgedRow:
    """A person's judgment of a pool row: its cell, or None when no cell fits it at all."""

    source_id: str
    cell: Cell | None
    fit: str = "clean"
    note: str = ""


def load_judgments(path: Path | str) -> list[JudgedRow]:
    rows: list[JudgedRow] = []
    for lineno, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
            cell = None
            if obj.get("behavior") is not None:
                cell = (Behavior(obj["behavior"]), Domain(obj["domain"]))
            rows.append(JudgedRow(obj["source_id"], cell, obj.get("fit", "clean"),
                                  obj.get("note", "")))
        except (KeyError, ValueError, TypeError) as exc:
            raise ValueError(f"{path}:{lineno}: {exc}") from None
    return rows


@dataclass(frozen=True)
class CellAgreement:
    n: int
    agree: int

    @property
    def rate(self) -> float:
        return self.agree / self.n if self.n else float("nan")


@dataclass
class Agreement:
    """Agreement of proposals with a person's cells (rows the person gave no cell excluded)."""

    n: int = 0
    cell: int = 0
    behavior: int = 0
    domain: int = 0
    per_cell: dict[Cell, CellAgreement] = field(default_factory=dict)

    def rate(self, what: str = "cell") -> float:
        value = {"cell": self.cell, "behavior": self.behavior, "domain": self.domain}[what]
        return value / self.n if self.n else float("nan")


def agreement(pairs: Iterable[tuple[Cell | None, Cell]]) -> Agreement:
    """pairs of (the person's cell, the proposed cell); per_cell is keyed by the person's cell."""
    out = Agreement()
    counts: dict[Cell, list[int]] = {}
    for truth, proposed in pairs:
        if truth is None:
            continue
        out.n += 1
        out.cell += truth == proposed
        out.behavior += truth[0] == proposed[0]
        out.domain += truth[1] == proposed[1]
        entry = counts.setdefault(truth, [0, 0])
        entry[0] += 1
        entry[1] += truth == proposed
    out.per_cell = {c: CellAgreement(*counts[c]) for c in CELLS if c in counts}
    return out
