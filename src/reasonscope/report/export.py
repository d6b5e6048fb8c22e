"""A comparison as plain JSON data: every number with its CI, keyed by the on-disk names
(`calculation/math`, `fact_retrieval`), so scripts can read it without knowing the Python types."""

from __future__ import annotations

from typing import Any

from reasonscope.results import stats
from reasonscope.results.profiles import Comparison, Drift, GridScores, ModelProfile, Paired, Shape
from reasonscope.results.runs import Cell


def cell_key(cell: Cell) -> str:
    return f"{cell[0].value}/{cell[1].value}"


def _grid(g: GridScores) -> dict[str, Any]:
    return {
        "cells": {cell_key(c): e.to_dict() for c, e in g.cells.items()},
        "behaviors": {b.value: e.to_dict() for b, e in g.behaviors.items()},
        "domains": {d.value: e.to_dict() for d, e in g.domains.items()},
        "overall": g.overall.to_dict(),
    }


def _shape(s: Shape) -> dict[str, Any]:
    return {"spread": s.spread.to_dict(), "cv": s.cv.to_dict(), "balance": s.balance.to_dict()}


def _drift(d: Drift) -> dict[str, Any]:
    return {"drift": d.drift.to_dict(), "gain_unevenness": d.unevenness.to_dict(),
            "spike_share": d.spike_share.to_dict()}


def _rate(x: float) -> float | None:
    return x if x == x else None


def _profile(p: ModelProfile) -> dict[str, Any]:
    return {
        "accuracy": _grid(p.accuracy),
        "pass_at_k": {str(k): _grid(g) for k, g in sorted(p.pass_at_k.items())},
        "shape": _shape(p.shape),
        "domain_shape": {d.value: _shape(s) for d, s in p.domain_shape.items()},
        "rates": {cell_key(c): {"samples": n, "parse_rate": _rate(ok), "truncation_rate": _rate(tr)}
                  for c, (n, ok, tr) in p.rates.items()},
    }


def _paired(p: Paired) -> dict[str, Any]:
    return {
        "cells": {cell_key(c): d.to_dict() for c, d in p.cells.items()},
        "behaviors": {b.value: d.to_dict() for b, d in p.behaviors.items()},
        "domains": {d.value: x.to_dict() for d, x in p.domains.items()},
        "overall": p.overall.to_dict(),
        "profile": _drift(p.drift),
        "domain_profile": {d.value: _drift(x) for d, x in p.domain_drift.items()},
        "collapsed": [b.value for b in p.collapsed],
        "transfer": {"di": {d.value: e.to_dict() for d, e in p.transfer_di.items()},
                     "ti": {d.value: e.to_dict() for d, e in p.transfer_index.items()}},
    }


def comparison_to_dict(comp: Comparison) -> dict[str, Any]:
    base = comp.profiles[0]
    paired_by_label = {p.label: p for p in comp.paired}
    runs = []
    for prof, n_items in zip(comp.profiles, comp.items_per_run, strict=True):
        m = prof.run.manifest
        lo, hi = prof.run.samples_per_item
        runs.append({"label": prof.label, "path": str(prof.run.path), "run_id": m.run_id,
                     "model": m.model, "fingerprint": m.fingerprint, "step": m.step,
                     "gen_config_hash": m.gen_config_hash, "suite": m.suite,
                     "suite_hash": m.suite_hash, "items": n_items,
                     "samples_per_item": {"min": lo, "max": hi}})
    trajectories: dict[str, list[dict[str, Any]]] = {}
    for series, points in comp.trajectories.items():
        rows = []
        for step, idx in points:
            prof = comp.profiles[idx]
            pair = paired_by_label.get(prof.label)
            rows.append({"step": step, "run": prof.label,
                         "behaviors": {b.value: e.to_dict()
                                       for b, e in prof.accuracy.behaviors.items()},
                         "overall": prof.accuracy.overall.to_dict(),
                         "drift": pair.drift.drift.to_dict() if pair else None})
        trajectories[series] = rows
    return {
        "base": base.label,
        "seed": comp.seed,
        "replicates": comp.replicates,
        "flips": comp.flips,
        "alpha": stats.ALPHA,
        "fdr_q": stats.FDR_Q,
        "k": list(comp.ks),
        "items": {"common": comp.n_items,
                  "per_run": {p.label: n for p, n in zip(comp.profiles, comp.items_per_run,
                                                          strict=True)}},
        "warnings": list(comp.warnings),
        "runs": runs,
        "profiles": {p.label: _profile(p) for p in comp.profiles},
        "comparisons": {p.label: _paired(p) for p in comp.paired},
        "trajectories": trajectories,
    }
