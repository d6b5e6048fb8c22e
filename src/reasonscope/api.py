"""The Python API: the main job as functions, composed from the layers below.

`import reasonscope as rs` exposes these; the CLI is a thin shell over the same calls, so
anything a command does, a script can do with the same arguments and get the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonscope.engine.task import EvalTask

if TYPE_CHECKING:
    from reasonscope.backends.base import Backend
    from reasonscope.results.fold import CellStats
    from reasonscope.results.profiles import Comparison
    from reasonscope.train.probe import ProbeOutcome


@dataclass(frozen=True)
class RunSummary:
    """One `evaluate` call: where the run is, what this call added, and its scores."""

    run_dir: Path
    n_rows: int
    """Sample rows on disk for the task's items (all samples, whoever wrote them)."""
    n_new: int
    """Rows this call generated (0 when the run was already complete)."""
    accuracy: float
    """Mean item accuracy over the task's items (NaN when none)."""
    cells: tuple[CellStats, ...]
    elapsed_s: float
    tokens_per_s: float


def evaluate(task: EvalTask, model: str | Path, out: str | Path, *,
             backend: str | Backend = "hf", step: int | None = None,
             device: str | None = None, dtype: str | None = None,
             batch_size: int | None = None, progress: bool = True,
             **backend_options: Any) -> RunSummary:
    """Generate and score the task's items into run directory `out` (resumed when it holds
    the same run; refused when it holds another one).

    `backend` is a name ("hf", "openai", "vllm", "sglang"; server options such as base_url go
    in `backend_options`) or a Backend object of your own."""
    from reasonscope.engine.runner import run_items
    from reasonscope.results.fold import cell_stats, mean_item_accuracy

    items = task.items()
    if not items:
        raise ValueError(f"the task selects no item of {task.suite} "
                         f"({task.selection.model_dump(exclude_none=True)})")
    outcome = run_items(model, items, task.generation, Path(out), suite_name=task.suite_name,
                        suite_hash=task.suite_hash, suite_path=task.suite_path,
                        backend=backend, step=step, device=device, dtype=dtype,
                        batch_size=batch_size, progress=progress, **backend_options)
    return RunSummary(run_dir=outcome.run_dir, n_rows=outcome.n_rows, n_new=outcome.n_new,
                      accuracy=mean_item_accuracy(outcome.rows),
                      cells=tuple(cell_stats(outcome.rows)), elapsed_s=outcome.elapsed_s,
                      tokens_per_s=outcome.tokens_per_s)


def probe(train_dir: str | Path, task: EvalTask, out: str | Path, *, backend: str = "hf",
          device: str | None = None, dtype: str | None = None, batch_size: int | None = None,
          include_base: bool = True, progress: bool = True) -> list[ProbeOutcome]:
    """Evaluate the base model and every checkpoint of a training directory on `task`, one
    run directory per step (`out/step-NNNNNNN`); checkpoints already evaluated are skipped."""
    from reasonscope.train.probe import ProbeSpec, probe_training_dir

    spec = ProbeSpec(task, backend=backend, device=device, dtype=dtype, batch_size=batch_size,
                     progress=progress)
    return probe_training_dir(Path(train_dir), spec, Path(out), include_base=include_base)


def compare(runs: Sequence[str | Path], base: str | Path, *, seed: int = 0,
            ks: Sequence[int] = (1,), replicates: int = 2000,
            flips: int = 10_000) -> Comparison:
    """Profiles with 95% CIs and paired tests of each run against `base` (DESIGN section 5)."""
    from reasonscope.results.comparison import compare as _compare

    return _compare([Path(r) for r in runs], Path(base), seed=seed, ks=ks,
                    replicates=replicates, flips=flips)


def write_report(comparison: Comparison, path: str | Path, *, examples: int = 2,
                 analysis_dir: str | Path | None = None) -> Path:
    """The self-contained HTML report of a comparison (and of analyses, when given)."""
    from reasonscope.report.html import write_report as _write

    kwargs: dict[str, Any] = {"examples": examples}
    if analysis_dir is not None:
        kwargs["analysis_dir"] = Path(analysis_dir)
    return _write(comparison, Path(path), **kwargs)


__all__ = ["EvalTask", "RunSummary", "compare", "evaluate", "probe", "write_report"]
