"""Simulated run directories for the statistics and report tests: real manifests and Parquet
shards written through the store, with correctness drawn from known per-cell accuracies."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from reasonscope.engine import store
from reasonscope.taxonomy import CELLS, Behavior, Domain

CellP = Callable[[Behavior, Domain], float]


def item_ids(n_per_cell: int) -> list[tuple[str, Behavior, Domain]]:
    return [(f"{b.value}-{d.value}-{i:03d}", b, d) for b, d in CELLS for i in range(n_per_cell)]


def _item_offset(item_id: str) -> float:
    """A per-item difficulty shared by every model, so paired differences are correlated."""
    seed = int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:4], "little")
    return float(np.random.default_rng(seed).normal(0.0, 0.15))


def simulate_run(root: Path, name: str, *, model: str, cell_p: CellP | float = 0.5,
                 n_per_cell: int = 12, samples: int = 4, seed: int = 0, step: int | None = None,
                 gen_hash: str = "gen0", temperature: float = 0.6, skip_items: Iterable[str] = (),
                 skip_cells: Iterable[tuple[Behavior, Domain]] = (), shards: int = 2,
                 completion: str = "Reasoning <b>&amp;</b> so \\boxed{{{answer}}}") -> Path:
    run_dir = root / name
    fingerprint = hashlib.sha256(model.encode()).hexdigest()[:16]
    store.write_manifest(run_dir, store.RunManifest(
        run_id=f"{name}-{fingerprint[:6]}", model=model, fingerprint=fingerprint, step=step,
        gen_config={"temperature": temperature, "samples": samples}, gen_config_hash=gen_hash,
        suite="rs-sim", suite_hash="suitehash", seed=seed))
    rng = np.random.default_rng(seed)
    skip, skipc = set(skip_items), set(skip_cells)
    rows = []
    for item_id, b, d in item_ids(n_per_cell):
        if item_id in skip or (b, d) in skipc:
            continue
        base_p = cell_p(b, d) if callable(cell_p) else cell_p
        p = float(np.clip(base_p + _item_offset(item_id), 0.02, 0.98))
        for s in range(samples):
            correct = bool(rng.random() < p)
            status = "ok" if correct or rng.random() < 0.7 else str(
                rng.choice(["no_answer", "truncated", "unparseable"]))
            answer = "42" if correct else "41"
            rows.append({
                "run_id": f"{name}-{fingerprint[:6]}", "model": model, "fingerprint": fingerprint,
                "step": step, "gen_config_hash": gen_hash, "item_id": item_id,
                "behavior": b.value, "domain": d.value, "difficulty": 1 + s % 5,
                "sample_index": s, "seed": seed + s, "prompt": f"Question {item_id}: 6 x 7 = ?",
                "completion": completion.format(answer=answer),
                "extracted": answer if status == "ok" else None, "parse_status": status,
                "correct": correct, "finish_reason": "length" if status == "truncated" else "stop",
                "prompt_tokens": 12, "completion_tokens": 30, "latency_s": 0.01,
            })
    per = max(1, -(-len(rows) // shards))
    for start in range(0, len(rows), per):
        store.write_shard(run_dir, rows[start:start + per])
    return run_dir


def shifted(base: float, shifts: dict[tuple[Behavior | None, Domain | None], float]) -> CellP:
    """Accuracy `base` plus `shifts` keyed by (behavior or None, domain or None) wildcards."""
    def p(b: Behavior, d: Domain) -> float:
        total = base
        for (sb, sd), delta in shifts.items():
            if (sb is None or sb == b) and (sd is None or sd == d):
                total += delta
        return total
    return p
