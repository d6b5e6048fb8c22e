"""`study.json`: the demo's numbers per method and seed, its claims, its timings.

Built from one comparison of the base with every probed checkpoint, the trainers' summaries
and the low-level analyses; the terminal summary and the report's claims section read this
dict and nothing else, so they always show the same numbers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reasonscope.organism.claims import decide_claims
from reasonscope.organism.study import METHODS, FineTune
from reasonscope.report.export import cell_key
from reasonscope.results.profiles import Comparison, ModelProfile, Paired
from reasonscope.results.stats import Difference, Estimate
from reasonscope.taxonomy import DOMAINS, Domain


def interval(e: Estimate | Difference) -> dict[str, float | None]:
    d = e.to_dict()
    return {"value": d["value"], "lo": d["lo"], "hi": d["hi"]}


def _by_finetune(comp: Comparison, plan: Sequence[FineTune]
                 ) -> dict[str, list[tuple[int, ModelProfile, Paired]]]:
    """ft.name -> [(step, profile, paired)] sorted by step, matched by run directory."""
    names = {ft.name for ft in plan}
    paired = {p.label: p for p in comp.paired}
    out: dict[str, list[tuple[int, ModelProfile, Paired]]] = {n: [] for n in names}
    for prof in comp.profiles[1:]:
        owner = prof.run.path.parent.name
        if owner in out and prof.run.step is not None:
            out[owner].append((prof.run.step, prof, paired[prof.label]))
    for rows in out.values():
        rows.sort(key=lambda r: r[0])
    return out


def _seed_block(rows: list[tuple[int, ModelProfile, Paired]]) -> dict[str, Any]:
    step, prof, pair = rows[-1]
    math = pair.domains[Domain.MATH]
    return {
        "final_step": step,
        "math_delta": interval(math),
        "overall_delta": interval(pair.overall),
        "domain_delta": {d.value: interval(pair.domains[d]) for d in DOMAINS},
        "profile": {"drift": interval(pair.drift.drift),
                    "spike_share": interval(pair.drift.spike_share),
                    "gain_unevenness": interval(pair.drift.unevenness),
                    "balance": interval(prof.shape.balance),
                    "collapsed": [b.value for b in pair.collapsed]},
        "transfer_index": {d.value: (interval(pair.transfer_index[d])
                                     if pair.transfer_index[d].value == pair.transfer_index[d].value
                                     else None)
                           for d in DOMAINS if d is not Domain.MATH},
        "trajectory": [{"step": s, "math": p.domains[Domain.MATH].value,
                        "overall": p.overall.value} for s, _, p in rows],
    }


def _signal_share(summary: Mapping[str, Any]) -> float | None:
    zero = summary.get("mean_frac_reward_zero_std")
    return None if zero is None else 1.0 - float(zero)


def build_study(comp: Comparison, seeds: Sequence[int], plan: Sequence[FineTune],
                train_summaries: Mapping[str, Mapping[str, Any]],
                lowlevel: Mapping[str, Mapping[str, Any]],
                timings: Mapping[str, float]) -> dict[str, Any]:
    """The study dict; `lowlevel[ft.name]` holds that fine-tune's analysis numbers
    (`params`: the changed fractions; `lowlevel`: the statistics claim 5 ranks)."""
    grouped = _by_finetune(comp, plan)
    methods: dict[str, Any] = {}
    for method in METHODS:
        fts = [ft for ft in plan if ft.method == method and grouped.get(ft.name)]
        if not fts:
            continue
        blocks = [_seed_block(grouped[ft.name]) for ft in fts]
        entry: dict[str, Any] = {"seeds": [ft.seed for ft in fts]}
        for key in blocks[0]:
            entry[key] = [b[key] for b in blocks]
        entry["domain_delta"] = {d.value: [b["domain_delta"][d.value] for b in blocks]
                                 for d in DOMAINS}
        entry["transfer_index"] = {d: [b["transfer_index"][d] for b in blocks]
                                   for d in blocks[0]["transfer_index"]}
        lows = [lowlevel.get(ft.name) for ft in fts]
        if all(low is not None for low in lows):
            entry["params"] = [dict(low["params"]) for low in lows if low is not None]
            entry["lowlevel"] = [dict(low["lowlevel"]) for low in lows if low is not None]
        if method == "grpo":
            shares = [_signal_share(train_summaries.get(ft.name, {})) for ft in fts]
            known = [s for s in shares if s is not None]
            entry["signal_share"] = sum(known) / len(known) if known else None
            entry["signal_share_per_seed"] = shares
            entry["mean_reward_per_seed"] = [train_summaries.get(ft.name, {}).get("mean_reward")
                                             for ft in fts]
        else:
            entry["last_loss_per_seed"] = [train_summaries.get(ft.name, {}).get("last_loss")
                                           for ft in fts]
        methods[method] = entry
    base = comp.profiles[0]
    study = {
        "seeds": list(seeds),
        "base": {"cells": {cell_key(c): e.to_dict()["value"]
                           for c, e in base.accuracy.cells.items()}},
        "methods": methods,
        "claims": [c.to_dict() for c in decide_claims(methods)],
        "timings": {**dict(timings), "total": round(sum(timings.values()), 1)},
    }
    return study


def final_labels(comp: Comparison, plan: Sequence[FineTune]) -> list[str]:
    grouped = _by_finetune(comp, plan)
    return [grouped[ft.name][-1][1].label for ft in plan if grouped.get(ft.name)]


def restrict(comp: Comparison, labels: Sequence[str]) -> Comparison:
    """The same comparison with only the base and the runs named (numbers unchanged: every
    paired result depends on its run and the base alone); trajectories keep the runs kept."""
    keep = set(labels)
    idx = [0] + [i for i, p in enumerate(comp.profiles) if i and p.label in keep]
    new_index = {old: new for new, old in enumerate(idx)}
    trajectories = {k: [(s, new_index[i]) for s, i in pts if i in new_index]
                    for k, pts in comp.trajectories.items()}
    return replace(comp, profiles=[comp.profiles[i] for i in idx],
                   paired=[p for p in comp.paired if p.label in keep],
                   items_per_run=[comp.items_per_run[i] for i in idx],
                   trajectories={k: v for k, v in trajectories.items() if v})


def write_study(path: Path, study: Mapping[str, Any]) -> Path:
    from reasonscope.fsutil import atomic_write_text

    return atomic_write_text(Path(path), json.dumps(study, indent=2, sort_keys=False) + "\n")
