"""`bench label`: one proposal per pool row with the documented fields, and the measured
agreement of each labelling method with hand labels on pool rows never used for tuning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from rs_pools import DATA, small_pool_rows
from typer.testing import CliRunner

from reasonscope.cli.pools import register_bench
from reasonscope.pools.agreement import agreement, load_judgments
from reasonscope.pools.cache import embed_texts
from reasonscope.pools.classify import METHODS, ReferenceSet, make_scorer, rank_cells
from reasonscope.pools.importer import import_rows
from reasonscope.pools.label import DEFAULT_METHOD, Labeller
from reasonscope.pools.prompting import embedding_text
from reasonscope.taxonomy import CELLS, Behavior, Domain

LABEL_FIELDS = {"source_id", "proposed_behavior", "proposed_domain", "similarity", "margin",
                "runner_up", "nearest_seed", "seed_similarity", "method", "embedder", "pool"}


def _cli() -> typer.Typer:
    app = typer.Typer()
    register_bench(app)
    return app


def test_label_cli_writes_one_row_per_pool_row(small_pool: Path, tmp_path: Path) -> None:
    out = tmp_path / "labels.jsonl"
    res = CliRunner().invoke(_cli(), ["label", str(small_pool), "--out", str(out),
                                      "--embedder", "hashing", "--cache-dir",
                                      str(tmp_path / "cache"), "--method", "nearest-seed"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["source_id"] for r in rows] == [r["id"] for r in small_pool_rows()]
    for r in rows:
        assert set(r) == LABEL_FIELDS
        assert (Behavior(r["proposed_behavior"]), Domain(r["proposed_domain"])) in CELLS
        assert r["margin"] >= 0 and -1 <= r["similarity"] <= 1
        assert r["method"] == "nearest-seed" and r["embedder"] == "hashing:512:v1"
        assert r["nearest_seed"].startswith("seed.")
    assert "0 from cache, 16 encoded" in res.stdout
    again = CliRunner().invoke(_cli(), ["label", str(small_pool), "--out", str(out),
                                        "--embedder", "hashing", "--cache-dir",
                                        str(tmp_path / "cache"), "--method", "nearest-seed"])
    assert "16 from cache, 0 encoded" in again.stdout


def test_rank_cells_margin_and_scorers_on_synthetic_reference() -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(len(CELLS), 16)).astype(np.float32)
    cells = tuple(c for c in CELLS for _ in range(6))
    vecs = np.repeat(centres, 6, axis=0) + 0.05 * rng.normal(size=(len(cells), 16))
    vecs = (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
    is_seed = np.array([i % 6 == 0 for i in range(len(cells))])
    ref = ReferenceSet(vecs, cells, is_seed)
    probe = centres / np.linalg.norm(centres, axis=1, keepdims=True)
    for method in METHODS:
        ranked = rank_cells(make_scorer(method, ref).scores(probe))
        assert list(ranked.best) == list(range(len(CELLS))), method
        assert (ranked.margin > 0).all()


@pytest.mark.slow
def test_minilm_labels_clear_rows(minilm: Any, minilm_cache: Any, minilm_reference: Any,
                                  small_pool: Path) -> None:
    rows = list(import_rows([small_pool]))
    vectors = embed_texts([embedding_text(r) for r in rows], minilm, minilm_cache)
    proposals = {p.source_id: p for p in Labeller(minilm_reference).propose(rows, vectors)}
    assert proposals["mini/8"].cell == (Behavior.FACT_RETRIEVAL, Domain.SCIENCE)
    assert proposals["mini/11"].behavior is Behavior.DIAGNOSTIC
    assert proposals["mini/6"].domain is Domain.CODING
    assert proposals["mini/10"].behavior is Behavior.FACT_RETRIEVAL


def _measure(path: Path, pools_dir: Path, minilm: Any, cache: Any,
             reference: Any) -> dict[str, Any]:
    judged = load_judgments(path)
    wanted = {j.source_id for j in judged}
    pools = sorted({j.source_id.split("/")[0] for j in judged})
    rows = {r.id: r for p in pools for r in import_rows([pools_dir / f"{p}.jsonl"],
                                                        skip_bad=True) if r.id in wanted}
    assert set(rows) == wanted, sorted(wanted - set(rows))
    ordered = [rows[j.source_id] for j in judged]
    vectors = embed_texts([embedding_text(r) for r in ordered], minilm, cache)
    out = {}
    for method in METHODS:
        proposals = Labeller(reference, method).propose(ordered, vectors)
        out[method] = agreement([(j.cell, p.cell) for j, p in zip(judged, proposals,
                                                                   strict=True)])
    return out


@pytest.mark.slow
def test_agreement_with_hand_labels(pools_dir: Path, minilm: Any, minilm_cache: Any,
                                    minilm_reference: Any) -> None:
    """The held-out rows were labelled by hand before any tuning and never used for it; the
    development rows were the ones tuning looked at. The floors sit a few rows below the
    numbers docs/pools.md reports, so a real regression fails here."""
    holdout = DATA / "holdout_labels.jsonl"
    dev = DATA / "dev_labels.jsonl"
    held_ids = {j.source_id for j in load_judgments(holdout)}
    dev_ids = {j.source_id for j in load_judgments(dev)}
    assert not held_ids & dev_ids and len(held_ids) >= 100
    held = _measure(holdout, pools_dir, minilm, minilm_cache, minilm_reference)
    for method, a in held.items():
        print(f"holdout {method:16s} n={a.n} cell {a.rate():.3f} behavior "
              f"{a.rate('behavior'):.3f} domain {a.rate('domain'):.3f}")
    best = held[DEFAULT_METHOD]
    assert best.n >= 120
    assert best.rate() >= 0.40 and best.rate("behavior") >= 0.57 and best.rate("domain") >= 0.70
    assert held["nearest-seed"].rate() >= 0.40
    assert best.rate("behavior") > held["nearest-seed"].rate("behavior")
