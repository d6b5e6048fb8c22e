"""How good a base is on the demo's probe: the measure a rebuilt base is held to.

A recipe that reproduces its base must reproduce its *quality*, not its bytes: CPU kernels
differ between machines, so the same recipe can end a few ULPs away and sample other tokens.
`measure` probes a base exactly as the demo's `probe-base` stage does (same suite, difficulties,
samples, sampling seed); `same_quality` says whether two such measures agree within the bounds
below, which are set by the probe's own sampling noise (a cell's 95% CI half-width is about
0.1, the overall mean's about 0.02), not by what one rerun happened to give.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reasonscope.report.claims_section import cells_in_range as in_range

QUALITY_NAME = "base-quality.json"
OVERALL_TOLERANCE = 0.04
"""Two bases of the same quality: overall accuracy within this (about twice its CI half-width)."""
IN_RANGE_TOLERANCE = 2
"""... and the count of cells in the useful range within this many cells."""
CELL_MEAN_ABS_TOLERANCE = 0.06
"""... and cell accuracies within this on average (absolute difference, mean over cells)."""


def measure(model_dir: Path, work: Path) -> dict[str, Any]:
    """Probe `model_dir` with the demo's probe (samples stored in `work`, resumable) and return
    {"suite", "samples", "overall", "in_range", "cells": {cell: accuracy}}."""
    from reasonscope.engine.runner import run_items
    from reasonscope.engine.store import read_samples
    from reasonscope.organism.demo import DemoConfig
    from reasonscope.organism.study import probe_task
    from reasonscope.results.fold import cell_stats, mean_item_accuracy

    cfg = DemoConfig()
    task = probe_task(cfg)
    run_items(model_dir, task.items(), task.generation, work, suite_name=task.suite_name,
              suite_hash=task.suite_hash, suite_path=task.suite_path, step=0, device="cpu",
              batch_size=cfg.probe_batch, progress=False)
    samples = read_samples(work)
    cells = {f"{c.behavior}/{c.domain}": round(c.accuracy, 4) for c in cell_stats(samples)}
    return {"suite": task.suite_name, "samples": task.generation.samples,
            "overall": round(mean_item_accuracy(samples), 4),
            "in_range": in_range(cells), "cells": cells}


def same_quality(recorded: Mapping[str, Any], rebuilt: Mapping[str, Any]) -> list[str]:
    """Why `rebuilt` is not of `recorded`'s quality (empty: it is)."""
    problems = []
    if recorded.get("suite") != rebuilt.get("suite"):
        problems.append(f"measured on {rebuilt.get('suite')}, recorded on {recorded.get('suite')}")
    gap = abs(float(recorded["overall"]) - float(rebuilt["overall"]))
    if gap > OVERALL_TOLERANCE:
        problems.append(f"overall {rebuilt['overall']:.3f} vs recorded {recorded['overall']:.3f}"
                        f" (tolerance {OVERALL_TOLERANCE})")
    if abs(int(recorded["in_range"]) - int(rebuilt["in_range"])) > IN_RANGE_TOLERANCE:
        problems.append(f"{rebuilt['in_range']} cells in range vs recorded "
                        f"{recorded['in_range']} (tolerance {IN_RANGE_TOLERANCE})")
    shared = sorted(set(recorded["cells"]) & set(rebuilt["cells"]))
    if len(shared) != len(recorded["cells"]):
        problems.append(f"cells measured: {len(shared)} of {len(recorded['cells'])}")
    elif shared:
        mad = sum(abs(recorded["cells"][c] - rebuilt["cells"][c]) for c in shared) / len(shared)
        if mad > CELL_MEAN_ABS_TOLERANCE:
            problems.append(f"cell accuracies differ by {mad:.3f} on average (tolerance "
                            f"{CELL_MEAN_ABS_TOLERANCE})")
    return problems


def read_quality(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data
