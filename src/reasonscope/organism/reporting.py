"""The demo's outputs: compare.json (every probed checkpoint vs the base), study.json (per
method and seed, claims, timings), report.html (the final checkpoints, plus the claims
section) and the terminal summary."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonscope.organism.study import FineTune, probe_runs

if TYPE_CHECKING:
    from rich.console import Console

STUDY_NAME = "study.json"


def _train_summaries(out: Path, plan: Sequence[FineTune]) -> dict[str, dict[str, Any]]:
    from reasonscope.train.config import SUMMARY_NAME

    found: dict[str, dict[str, Any]] = {}
    for ft in plan:
        path = ft.train_dir(out) / SUMMARY_NAME
        if path.exists():
            found[ft.name] = json.loads(path.read_text(encoding="utf-8"))
    return found


def write_outputs(out: Path, seeds: Sequence[int], plan: Sequence[FineTune],
                  timings: Mapping[str, float], console: Console) -> dict[str, Any]:
    from reasonscope.fsutil import atomic_write_text
    from reasonscope.organism.analysis_stage import ANALYSIS_DIR, read_lowlevel
    from reasonscope.organism.summary import build_study, final_labels, restrict, write_study
    from reasonscope.organism.terminal import print_summary
    from reasonscope.report.claims_section import claims_section
    from reasonscope.report.export import comparison_to_dict
    from reasonscope.report.html import write_report
    from reasonscope.results.comparison import compare

    out = Path(out)
    run_dirs = [r for ft in plan for r in probe_runs(ft, out)]
    comp = compare(run_dirs, out / "runs" / "base", seed=0)
    atomic_write_text(out / "compare.json",
                      json.dumps(comparison_to_dict(comp), indent=2) + "\n")
    study = build_study(comp, seeds, plan, _train_summaries(out, plan),
                        read_lowlevel(out, plan), timings)
    write_study(out / STUDY_NAME, study)
    finals = restrict(comp, final_labels(comp, plan))
    analysis_dir = out / ANALYSIS_DIR
    write_report(finals, out / "report.html", sections=[claims_section(study)],
                 analysis_dir=analysis_dir if analysis_dir.is_dir() else None)
    print_summary(study, console)
    return study
