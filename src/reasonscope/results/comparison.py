"""Compare run directories with a base run: load, check that they can be compared, profile.

This is what `reasonscope compare`, `reasonscope report`, the demo and the Python API share;
every way the inputs cannot give a comparison is a `ComparisonError` whose message names the
run and the fix, so callers print one line instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reasonscope.engine.store import RunDirError
from reasonscope.results import stats
from reasonscope.results.profiles import Comparison, compare_runs
from reasonscope.results.runs import Run, assign_labels, load_run


class ComparisonError(ValueError):
    """The runs cannot be compared (not a run, unreadable shard, no shared item, bad option)."""


def _load(path: Path | Run, role: str) -> Run:
    if isinstance(path, Run):
        return path
    try:
        return load_run(Path(path))
    except RunDirError as exc:
        raise ComparisonError(f"{role}: {exc}") from None


def compare(runs: Sequence[Path | str | Run], base: Path | str | Run, *, seed: int = 0,
            ks: Sequence[int] = (1,), replicates: int = stats.DEFAULT_REPLICATES,
            flips: int = stats.DEFAULT_FLIPS) -> Comparison:
    """Profiles of `base` and each run on their shared items, each run paired with the base.

    A run given twice, or the base given again among `runs`, is compared once and said in a
    warning; runs that share no item with the base are an error."""
    if seed < 0:
        raise ComparisonError(f"seed must be >= 0, got {seed}")
    if replicates < 1 or flips < 1:
        raise ComparisonError("replicates and flips must be >= 1")
    if not ks or min(ks) < 1:
        raise ComparisonError(f"pass@k values must be >= 1, got {list(ks)}")
    base_run = _load(base if isinstance(base, Run) else Path(base), "base run")
    warnings: list[str] = []
    seen = {base_run.path.resolve()}
    others: list[Run] = []
    for given in runs:
        run = _load(given if isinstance(given, Run) else Path(given), "run")
        where = run.path.resolve()
        if where in seen:
            what = "the base run" if where == base_run.path.resolve() else "a run given twice"
            warnings.append(f"{run.path} is {what}; compared once")
            continue
        seen.add(where)
        others.append(run)
    for run in others:
        shared = set(run.items.item_id.tolist()) & set(base_run.items.item_id.tolist())
        if not shared:
            raise ComparisonError(
                f"{run.path} shares no item with the base run {base_run.path}: they were "
                f"evaluated on different suites or selections ({run.manifest.suite} vs "
                f"{base_run.manifest.suite})")
    if not len(base_run.items):
        raise ComparisonError(f"base run {base_run.path} has no sample rows")
    assign_labels([base_run, *others])
    comp = compare_runs(base_run, others, seed=seed, ks=tuple(ks), replicates=replicates,
                        flips=flips)
    comp.warnings[:0] = warnings
    return comp


__all__ = ["ComparisonError", "compare"]
