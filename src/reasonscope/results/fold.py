"""The one fold from sample rows to items.

Every statistic resamples items, never samples (DESIGN section 5), so samples are folded into
(n_i, c_i) per item once, here: the report, `compare`, the `eval` summary table, the probe's
accuracies and the demo all read items through `item_table`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from reasonscope.engine.store import RunDirError
from reasonscope.results.stats import item_accuracy
from reasonscope.taxonomy import BEHAVIORS, CELLS, DOMAINS, Behavior, Domain

Cell = tuple[Behavior, Domain]


@dataclass(frozen=True)
class ItemTable:
    """One row per item, sorted by item id."""

    item_id: np.ndarray
    behavior: np.ndarray
    domain: np.ndarray
    n: np.ndarray
    c: np.ndarray
    n_ok: np.ndarray
    n_truncated: np.ndarray

    def __len__(self) -> int:
        return int(self.item_id.shape[0])

    @property
    def accuracy(self) -> np.ndarray:
        """a_i = c_i / n_i per item."""
        return item_accuracy(self.c, self.n)

    def mean_accuracy(self) -> float:
        """Mean item accuracy (NaN with no items)."""
        return float(self.accuracy.mean()) if len(self) else float("nan")

    def take(self, ids: Sequence[str] | np.ndarray) -> ItemTable:
        """Rows for `ids`, in that order (every id must be present)."""
        pos = np.searchsorted(self.item_id, ids)
        return ItemTable(*(getattr(self, f)[pos] for f in _FIELDS))

    def cell_mask(self, cell: Cell) -> np.ndarray:
        b, d = cell
        return (self.behavior == b.value) & (self.domain == d.value)


_FIELDS = ("item_id", "behavior", "domain", "n", "c", "n_ok", "n_truncated")


def item_table(samples: pa.Table) -> tuple[ItemTable, int]:
    """Fold samples into items; rows off the behavior x domain grid are counted and dropped."""
    valid_b = pa.array([b.value for b in BEHAVIORS])
    valid_d = pa.array([d.value for d in DOMAINS])
    on_grid = pc.and_(pc.is_in(samples["behavior"], valid_b), pc.is_in(samples["domain"], valid_d))
    on_grid = pc.fill_null(on_grid, False)
    kept = samples.filter(on_grid)
    dropped = samples.num_rows - kept.num_rows
    finish = pc.fill_null(kept["finish_reason"], "")
    status = pc.fill_null(kept["parse_status"], "")
    work = pa.table({
        "item_id": kept["item_id"],
        "behavior": kept["behavior"],
        "domain": kept["domain"],
        "correct": pc.cast(pc.fill_null(kept["correct"], False), pa.int64()),
        "ok": pc.cast(pc.equal(status, "ok"), pa.int64()),
        "truncated": pc.cast(pc.or_(pc.equal(finish, "length"), pc.equal(status, "truncated")),
                             pa.int64()),
    })
    grouped = work.group_by("item_id").aggregate([
        ("behavior", "min"), ("behavior", "max"), ("domain", "min"), ("domain", "max"),
        ("correct", "sum"), ("correct", "count"), ("ok", "sum"), ("truncated", "sum"),
    ]).sort_by("item_id")
    conflict = pc.or_(pc.not_equal(grouped["behavior_min"], grouped["behavior_max"]),
                      pc.not_equal(grouped["domain_min"], grouped["domain_max"]))
    if grouped.num_rows and pc.any(conflict).as_py():
        bad = grouped.filter(conflict)["item_id"][0].as_py()
        raise RunDirError(f"item {bad!r} appears with two different cells in one run")
    table = ItemTable(
        item_id=np.array(grouped["item_id"].to_pylist(), dtype=object),
        behavior=np.array(grouped["behavior_min"].to_pylist(), dtype=object),
        domain=np.array(grouped["domain_min"].to_pylist(), dtype=object),
        n=grouped["correct_count"].to_numpy().astype(np.int64),
        c=grouped["correct_sum"].to_numpy().astype(np.int64),
        n_ok=grouped["ok_sum"].to_numpy().astype(np.int64),
        n_truncated=grouped["truncated_sum"].to_numpy().astype(np.int64),
    )
    return table, dropped




@dataclass(frozen=True)
class CellStats:
    behavior: str
    domain: str
    items: int
    samples: int
    accuracy: float
    parse_rate: float
    truncation_rate: float


def cell_stats(samples: pa.Table) -> list[CellStats]:
    """Per cell of the sample rows: mean item accuracy, share of samples with an answer parsed
    (`ok`), share cut off by the token limit; cells in grid order."""
    items, _ = item_table(samples)
    out = []
    for b, d in CELLS:
        mask = items.cell_mask((b, d))
        if not mask.any():
            continue
        n = int(items.n[mask].sum())
        out.append(CellStats(
            behavior=b.value, domain=d.value, items=int(mask.sum()), samples=n,
            accuracy=float(items.accuracy[mask].mean()),
            parse_rate=float(items.n_ok[mask].sum()) / n,
            truncation_rate=float(items.n_truncated[mask].sum()) / n))
    return out


def mean_item_accuracy(samples: pa.Table) -> float:
    """Mean item accuracy over every on-grid item of the sample rows (NaN when none)."""
    return item_table(samples)[0].mean_accuracy()


__all__ = ["Cell", "CellStats", "ItemTable", "cell_stats", "item_table", "mean_item_accuracy"]
