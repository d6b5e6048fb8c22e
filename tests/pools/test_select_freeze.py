"""`bench select` (per-cell top-k, near-duplicates, MMR, contamination), `bench show` on the
candidates, `bench freeze` into a suite, and `reasonscope eval --suite` running that suite."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from rs_pools import pool_row, small_pool_rows, write_jsonl
from typer.testing import CliRunner

from reasonscope.bench.suites import load_suite
from reasonscope.cli.bench import register as register_bench_group
from reasonscope.items import read_items
from reasonscope.pools.candidates import PROPOSAL_FIELDS, read_candidates
from reasonscope.pools.embed import HashingEmbedder
from reasonscope.pools.freeze import FreezeError, freeze
from reasonscope.pools.label import Labeller, collect
from reasonscope.pools.review.store import DecisionStore, decisions_path
from reasonscope.pools.select import SelectConfig, mmr_pick, select_candidates
from reasonscope.taxonomy import AnswerType


def _unit(rows: list[list[float]]) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_mmr_drops_duplicates_and_prefers_diversity() -> None:
    vectors = _unit([[1, 0, 0], [1, 0.01, 0], [0.9, 0.44, 0], [0, 1, 0], [0.7, 0.7, 0]])
    relevance = np.array([0.9, 0.89, 0.85, 0.5, 0.6], dtype=np.float32)
    picked, dropped = mmr_pick(relevance, vectors, 3, 0.5, 0.95)
    assert picked[0] == 0 and 1 not in picked and dropped == 1
    assert 3 in picked, "the far-away row beats the near-copies of the first"
    picked_rel, _ = mmr_pick(relevance, vectors, 3, 1.0, 1.01)
    assert picked_rel == [0, 1, 2], "lambda 1 is plain top-k"
    taken = vectors[3:4]
    picked_taken, dropped_taken = mmr_pick(relevance, vectors, 5, 0.7, 0.95, taken)
    assert 3 not in picked_taken and dropped_taken >= 2


def _cli() -> typer.Typer:
    app = typer.Typer()
    register_bench_group(app)
    return app


def test_select_cli_counts_contamination_and_show(tmp_path: Path) -> None:
    rows = [*small_pool_rows(),
            pool_row("mini/17", "Compute 17 * 23.", "391"),                   # exact duplicate
            pool_row("mini/18", "Compute 19 * 21 and report the product.", "399")]
    pool = write_jsonl(tmp_path / "mini.jsonl", rows)
    train = write_jsonl(tmp_path / "train.jsonl",
                        [{"prompt": "What is 2^10 - 1?", "completion": "1023"}])
    out = tmp_path / "cands.jsonl"
    res = CliRunner().invoke(_cli(), [
        "bench", "select", str(pool), "--per-cell", "3", "--out", str(out), "--embedder",
        "hashing", "--no-cache", "--train", str(train), "--method", "nearest-seed"])
    assert res.exit_code == 0, res.output
    cands = read_candidates(out)
    ids = [c.item.source for c in cands]
    assert "mini/2" not in ids, "contaminated by the training file"
    assert not {"mini/1", "mini/17"} <= set(ids), "one of two identical rows"
    assert "1 contaminated rows" in res.stdout and "near-duplicates" in res.stdout
    per_cell = Counter(f"{c.item.behavior.value}/{c.item.domain.value}" for c in cands)
    assert max(per_cell.values()) <= 3
    for cell, n in per_cell.items():
        assert f"{cell} " in res.stdout and n >= 1
    raw = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert {"source_id", "proposed_behavior", "proposed_domain", "similarity", "margin",
            "nearest_seeds", "neighbours"} <= set(raw) <= set(PROPOSAL_FIELDS) | set(
                cands[0].item.model_dump())
    assert len(raw["nearest_seeds"]) == 3 and len(raw["neighbours"]) == 3
    first = cands[0].item
    show = CliRunner().invoke(_cli(), ["bench", "show", str(out), "--cell",
                                       f"{first.behavior.value}/{first.domain.value}"])
    assert show.exit_code == 0, show.output
    assert first.id in show.stdout


def _decide(cands_path: Path) -> dict[str, Any]:
    cands = read_candidates(cands_path)
    store = DecisionStore(decisions_path(cands_path))
    integer = next(c for c in cands if c.item.answer_type.value == "integer")
    others = [c for c in cands if c.id != integer.id]
    store.record(integer.id, "edit", answer="4242")
    store.record(integer.id, "accept")
    store.record(others[0].id, "relabel", behavior="diagnostic", domain="general")
    store.record(others[1].id, "accept")
    store.record(others[2].id, "reject")
    return {"edited": integer, "relabelled": others[0], "kept": others[1],
            "rejected": others[2], "all": cands}


def test_freeze_builds_a_loadable_suite_with_label_quality(candidates_file: Path,
                                                            tmp_path: Path) -> None:
    with pytest.raises(FreezeError, match="no decisions file"):
        freeze(candidates_file, tmp_path / "s.jsonl", "s")
    picked = _decide(candidates_file)
    out = tmp_path / "my-suite.jsonl"
    result = freeze(candidates_file, out, "my-suite")
    items = read_items(out)
    suite = load_suite(out)
    assert len(items) == len(suite.items) == 3 and suite.hash == result.sha256
    by_source = {i.source: i for i in items}
    edited = by_source[picked["edited"].item.source]
    assert edited.answer == "4242" and edited.meta["review"]["original_answer"] == (
        picked["edited"].item.answer)
    moved = by_source[picked["relabelled"].item.source]
    assert (moved.behavior.value, moved.domain.value) == ("diagnostic", "general")
    assert moved.meta["suite"] == "my-suite" and moved.meta["pool_id"] == moved.source
    assert picked["rejected"].item.source not in by_source
    manifest = json.loads((tmp_path / "my-suite.manifest.json").read_text(encoding="utf-8"))
    assert manifest["items"] == 3 and manifest["sha256"] == result.sha256
    assert result.undecided == len(picked["all"]) - 4
    quality = {q.cell: q for q in result.quality}
    moved_from = f"{picked['relabelled'].item.behavior.value}/" \
                 f"{picked['relabelled'].item.domain.value}"
    relabelled_flag = picked["relabelled"].item.cell != (moved.behavior, moved.domain)
    assert quality[moved_from].relabelled == int(relabelled_flag)
    assert sum(q.rejected for q in quality.values()) == 1
    assert sum(q.accepted_as_proposed for q in quality.values()) == 3 - int(relabelled_flag)


@pytest.mark.slow
def test_frozen_suite_runs_through_eval(candidates_file: Path, tmp_path: Path,
                                        tiny_model_dir: Path) -> None:
    from reasonscope.cli import app
    from reasonscope.engine.store import read_samples

    _decide(candidates_file)
    suite = tmp_path / "frozen.jsonl"
    runner = CliRunner()
    res = runner.invoke(app, ["bench", "freeze", str(candidates_file), "--name", "frozen",
                              "--out", str(suite)])
    assert res.exit_code == 0, res.output
    assert "label quality" in res.stdout and "wrote 3 items" in res.stdout
    run = tmp_path / "run"
    res = runner.invoke(app, ["eval", "--model", str(tiny_model_dir), "--suite", str(suite),
                              "--samples", "1", "--max-new-tokens", "4", "--quiet",
                              "--out", str(run)])
    assert res.exit_code == 0, res.output
    rows = read_samples(run).to_pylist()
    assert sorted(r["item_id"] for r in rows) == sorted(i.id for i in read_items(suite))


@pytest.mark.slow
def test_select_on_real_pools_with_minilm(pools_dir: Path, minilm: Any, minilm_cache: Any,
                                          minilm_reference: Any, tmp_path: Path) -> None:
    """A slice of five real pools: per-cell counts add up, each cell holds at most k."""
    sources = []
    for name in ("gsm8k_test", "bbh", "cruxeval", "big_bench_mistake", "arc_challenge_test"):
        lines = (pools_dir / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        sources.append(write_jsonl(tmp_path / f"{name}.jsonl", lines[::100]))
    labeller = Labeller(minilm_reference)
    got = collect(sources, labeller, minilm, minilm_cache, skip_bad=True)
    cands, report = select_candidates(got.rows, got.vectors, got.proposals, labeller,
                                      SelectConfig(per_cell=5))
    assert sum(report.proposed.values()) == len(got.rows)
    assert sum(report.selected.values()) == len(cands)
    assert all(n <= 5 for n in report.selected.values())
    cells = {c.item.cell for c in cands}
    assert len(cells) >= 5
    mistakes = [c for c in cands if c.item.source.startswith("big_bench_mistake")]
    assert all(c.item.answer_type.value == "line" for c in mistakes)
    diagnostic = [c for c in mistakes if c.item.behavior.value == "diagnostic"]
    assert len(diagnostic) >= 0.8 * len(mistakes) > 0


def test_hashing_pipeline_needs_no_model(tmp_path: Path, hashing_reference: Any) -> None:
    pool = write_jsonl(tmp_path / "mini.jsonl", small_pool_rows())
    labeller = Labeller(hashing_reference, "prototype")
    got = collect([pool], labeller, HashingEmbedder(), None)
    assert got.vectors.shape == (16, 512)
    assert [p.method for p in got.proposals] == ["prototype"] * 16
    config = SelectConfig(per_cell=5, exclude_types=(AnswerType.CODE_TESTS,))
    cands, report = select_candidates(got.rows, got.vectors, got.proposals, labeller, config)
    assert report.excluded == 1 and "mini/15" not in {c.item.source for c in cands}
    assert all(c.proposal["cell_seed_similarity"] >= -1 for c in cands)
