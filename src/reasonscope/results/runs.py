"""Run directories as item-level tables: the unit every statistic resamples is the item, so
samples are folded into (n_i, c_i) per item once, here, and runs are aligned on shared items."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from reasonscope.engine.store import RunDirError, RunManifest, read_manifest, read_samples
from reasonscope.results.fold import Cell, ItemTable, item_table
from reasonscope.taxonomy import CELLS

EXAMPLE_CHARS = 4000
"""Completions shown in a report are cut to this many characters (the store keeps them whole)."""

_CHECKPOINT_RE = re.compile(r"^(checkpoint|step|global_step|ckpt)[-_]?\d+$", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    item_id: str
    prompt: str
    completion: str
    extracted: str | None
    parse_status: str
    correct: bool


@dataclass
class Run:
    path: Path
    manifest: RunManifest
    items: ItemTable
    label: str = ""
    dropped_rows: int = 0
    """Sample rows whose behavior/domain is not on the grid (ignored, reported)."""

    @property
    def step(self) -> int | None:
        return self.manifest.step

    @property
    def samples_per_item(self) -> tuple[int, int]:
        if len(self.items) == 0:
            return 0, 0
        return int(self.items.n.min()), int(self.items.n.max())


def load_run(path: Path) -> Run:
    """Read a run directory; raises RunDirError when `path` is not one."""
    path = Path(path)
    if not path.exists():
        raise RunDirError(f"{path}: no such directory")
    manifest = read_manifest(path)
    items, dropped = item_table(read_samples(path))
    # Completions are not kept: a trajectory may hold many runs, and only a report's examples
    # need the text, which `cell_examples` re-reads one run at a time.
    return Run(path=path, manifest=manifest, items=items, dropped_rows=dropped)


def series_key(manifest: RunManifest) -> str:
    """Which training trajectory a run belongs to: checkpoints of one training directory share
    the model path up to its `checkpoint-N` component (or an explicit `series` manifest field)."""
    extra = manifest.model_extra or {}
    if isinstance(extra.get("series"), str):
        return str(extra["series"])
    parts = Path(manifest.model).parts
    if parts and _CHECKPOINT_RE.match(parts[-1]):
        return str(Path(*parts[:-1])) if len(parts) > 1 else manifest.model
    return manifest.model


def assign_labels(runs: Sequence[Run]) -> None:
    """Short, unique display names: model name, step when present, run id when still ambiguous."""
    def base_label(run: Run) -> str:
        name = Path(series_key(run.manifest)).name or run.manifest.model
        return f"{name}@{run.step}" if run.step is not None else name

    labels = [base_label(r) for r in runs]
    for i, run in enumerate(runs):
        dup = labels.count(labels[i]) > 1
        run.label = f"{labels[i]} [{run.manifest.run_id[:8]}]" if dup else labels[i]
    seen: dict[str, int] = {}
    for run in runs:
        k = seen.get(run.label, 0)
        seen[run.label] = k + 1
        if k:
            run.label = f"{run.label} #{k + 1}"


@dataclass
class Alignment:
    """The shared item set and what each run lost to get there."""

    item_ids: np.ndarray
    per_run: list[int] = field(default_factory=list)
    label_conflicts: int = 0

    @property
    def n(self) -> int:
        return int(self.item_ids.shape[0])


def align(runs: Sequence[Run]) -> tuple[list[ItemTable], Alignment]:
    """Restrict every run to the items all of them have, in one order, with the first run's
    cell labels (a run labelling an item differently is counted, not trusted)."""
    common: set[str] | None = None
    for run in runs:
        ids = set(run.items.item_id.tolist())
        common = ids if common is None else common & ids
    ids_sorted = np.array(sorted(common or set()), dtype=object)
    tables = [run.items.take(ids_sorted) for run in runs]
    conflicts = 0
    if tables:
        ref = tables[0]
        for t in tables[1:]:
            conflicts += int(np.count_nonzero((t.behavior != ref.behavior)
                                              | (t.domain != ref.domain)))
        tables = [ItemTable(t.item_id, ref.behavior, ref.domain, t.n, t.c, t.n_ok, t.n_truncated)
                  for t in tables]
    info = Alignment(item_ids=ids_sorted, per_run=[len(r.items) for r in runs],
                     label_conflicts=conflicts)
    return tables, info


def cell_rates(items: ItemTable) -> dict[Cell, tuple[int, float, float]]:
    """Per cell: (samples, parse-ok share, truncated share) over samples, not items."""
    out: dict[Cell, tuple[int, float, float]] = {}
    for cell in CELLS:
        m = items.cell_mask(cell)
        total = int(items.n[m].sum())
        if total == 0:
            out[cell] = (0, float("nan"), float("nan"))
        else:
            out[cell] = (total, float(items.n_ok[m].sum()) / total,
                         float(items.n_truncated[m].sum()) / total)
    return out


def cell_examples(run: Run, item_ids: np.ndarray, per_kind: int = 2
                  ) -> dict[Cell, dict[str, list[Example]]]:
    """A few correct and wrong completions per cell (shared items, deterministic order)."""
    table = read_samples(run.path)
    if table.num_rows == 0 or item_ids.size == 0:
        return {cell: {"correct": [], "wrong": []} for cell in CELLS}
    table = table.filter(pc.is_in(table["item_id"], pa.array(item_ids.tolist(), pa.string())))
    table = table.sort_by([("item_id", "ascending"), ("sample_index", "ascending")])
    cols = {c: table[c].to_pylist() for c in ("item_id", "behavior", "domain", "prompt",
                                               "completion", "extracted", "parse_status",
                                               "correct")}
    out: dict[Cell, dict[str, list[Example]]] = {cell: {"correct": [], "wrong": []}
                                                 for cell in CELLS}
    lookup = {(b.value, d.value): (b, d) for b, d in CELLS}
    used: set[tuple[str, str]] = set()
    for i in range(table.num_rows):
        cell = lookup.get((cols["behavior"][i], cols["domain"][i]))
        if cell is None:
            continue
        kind = "correct" if cols["correct"][i] else "wrong"
        bucket = out[cell][kind]
        if len(bucket) >= per_kind or (cols["item_id"][i], kind) in used:
            continue
        used.add((cols["item_id"][i], kind))
        completion = cols["completion"][i] or ""
        if len(completion) > EXAMPLE_CHARS:
            cut = len(completion) - EXAMPLE_CHARS
            completion = completion[:EXAMPLE_CHARS] + f"\n[... {cut} more characters]"
        bucket.append(Example(item_id=cols["item_id"][i], prompt=cols["prompt"][i] or "",
                              completion=completion, extracted=cols["extracted"][i],
                              parse_status=cols["parse_status"][i] or "",
                              correct=bool(cols["correct"][i])))
    return out


def input_warnings(runs: Sequence[Run], info: Alignment) -> list[str]:
    """What a reader must know before trusting a comparison of `runs` (the first is the base)."""
    out: list[str] = []
    base = runs[0]
    if any(n != info.n for n in info.per_run):
        counts = ", ".join(f"{r.label}: {n}" for r, n in zip(runs, info.per_run, strict=True))
        out.append(f"runs cover different items; comparing only the {info.n} item(s) all runs "
                   f"share ({counts})")
    elif info.n == 0:
        out.append("no items to compare (the runs hold no samples)")
    if info.label_conflicts:
        out.append(f"{info.label_conflicts} item(s) carry a different behavior/domain in some "
                   f"run; the base run's labels are used")
    differing = [r.label for r in runs[1:] if not same_sampling(r.manifest, base.manifest)]
    if differing:
        out.append(f"generation config differs from the base ({base.label}) for: "
                   f"{', '.join(differing)}; differences mix model and sampling effects")
    for r in runs:
        if r.dropped_rows:
            out.append(f"{r.label}: {r.dropped_rows} sample row(s) outside the behavior x domain "
                       "grid ignored")
    return out


def same_sampling(a: RunManifest, b: RunManifest) -> bool:
    """The same generation settings, the number of samples per item aside: a count changes
    how precise a run's estimate is (its interval shows it), not what it estimates."""
    if a.gen_config_hash == b.gen_config_hash:
        return True
    if not a.gen_config or not b.gen_config:
        return False
    return ({k: v for k, v in a.gen_config.items() if k != "samples"}
            == {k: v for k, v in b.gen_config.items() if k != "samples"})


def group_trajectories(runs: Sequence[Run], warnings: list[str]
                       ) -> dict[str, list[tuple[int, int]]]:
    """Runs that carry a training step, by series (training directory): series -> sorted
    [(step, index into `runs`)]. A second run at the same step of a series is ignored, noted in
    `warnings`."""
    groups: dict[str, dict[int, int]] = {}
    for i, run in enumerate(runs):
        if run.step is None:
            continue
        key = series_key(run.manifest)
        steps = groups.setdefault(key, {})
        if run.step in steps:
            warnings.append(f"series {key}: two runs at step {run.step}; keeping "
                            f"{runs[steps[run.step]].label}, ignoring {run.label}")
            continue
        steps[run.step] = i
    return {key: sorted(steps.items()) for key, steps in groups.items()}
