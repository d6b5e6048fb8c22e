"""evaluate(): rows, resume, refusal, reproducibility, rescoring (in-process, tiny model)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reasonscope.backends import sample_seed
from reasonscope.engine.runner import rescore
from reasonscope.engine.runner import run_items as evaluate
from reasonscope.engine.schema import PARSE_STATUSES, SAMPLE_COLUMNS
from reasonscope.engine.store import RunMismatchError, read_manifest, read_samples, rewrite_shards
from reasonscope.genconfig import GenerationConfig
from reasonscope.items import Item
from reasonscope.results.fold import cell_stats

CFG = GenerationConfig(max_new_tokens=10, samples=2, seed=3)


def _eval(model: Path, items: list[Item], out: Path, config: GenerationConfig = CFG,
          **kw: object) -> object:
    return evaluate(model, items, config, out, suite_name="tiny", suite_hash="h",
                    progress=False, **kw)  # type: ignore[arg-type]


def test_one_row_per_item_and_sample(tiny_model_dir: Path, tiny_items: list[Item],
                                     tmp_path: Path) -> None:
    items = tiny_items[:5]
    summary = _eval(tiny_model_dir, items, tmp_path / "run", batch_size=4, step=7)
    table = read_samples(tmp_path / "run")
    assert tuple(table.column_names) == SAMPLE_COLUMNS
    rows = table.to_pylist()
    keys = {(r["item_id"], r["sample_index"]) for r in rows}
    assert keys == {(i.id, s) for i in items for s in range(2)} and len(rows) == 10
    manifest = read_manifest(tmp_path / "run")
    by_id = {i.id: i for i in items}
    for r in rows:
        item = by_id[r["item_id"]]
        assert r["run_id"] == manifest.run_id and r["step"] == 7
        assert r["fingerprint"] == manifest.fingerprint
        assert r["gen_config_hash"] == CFG.hash()
        assert (r["behavior"], r["domain"], r["difficulty"]) == (
            item.behavior.value, item.domain.value, item.difficulty)
        assert r["seed"] == sample_seed(3, item.id, r["sample_index"])
        assert r["prompt"].startswith("<|im_start|>user\n" + item.prompt)
        assert r["prompt"].endswith("<|im_start|>assistant\n")
        assert r["parse_status"] in PARSE_STATUSES
        assert r["finish_reason"] in ("stop", "length")
        assert 1 <= r["completion_tokens"] <= 10 and r["prompt_tokens"] > 5
        assert r["latency_s"] > 0 and isinstance(r["correct"], bool)
        if r["finish_reason"] == "length" and r["extracted"] is None:
            assert r["parse_status"] == "truncated"
    assert summary.n_rows == 10 and summary.n_new == 10  # type: ignore[attr-defined]
    assert manifest.gen_config["samples"] == 2 and manifest.versions["torch"]
    stats = cell_stats(table)
    assert sum(s.samples for s in stats) == 10
    assert all(0 <= s.truncation_rate <= 1 and not math.isnan(s.accuracy) for s in stats)


def test_resume_reproduces_an_uninterrupted_run(tiny_model_dir: Path, tiny_items: list[Item],
                                                tmp_path: Path) -> None:
    full = tmp_path / "full"
    _eval(tiny_model_dir, tiny_items, full, batch_size=4)
    crashed = Path(shutil.copytree(full, tmp_path / "crashed"))
    shards = sorted(crashed.glob("samples-*.parquet"))
    assert len(shards) == 6  # 12 items x 2 samples, 2 items per batch of 4 sequences
    for p in shards[1::2]:
        p.unlink()  # as if the process died before writing these batches
    resumed = _eval(tiny_model_dir, tiny_items, crashed)  # batch size comes from the manifest
    assert resumed.n_new == 12  # type: ignore[attr-defined]
    assert _eval(tiny_model_dir, tiny_items, crashed).n_new == 0  # type: ignore[attr-defined]

    def by_key(run: Path) -> dict[tuple[str, int], tuple[str, int, str]]:
        return {(r["item_id"], r["sample_index"]): (r["completion"], r["seed"], r["prompt"])
                for r in read_samples(run).to_pylist()}

    assert by_key(full) == by_key(crashed)
    n_rows = sum(pq.read_metadata(p).num_rows for p in crashed.glob("samples-*.parquet"))
    assert n_rows == 2 * len(tiny_items)  # nothing written twice


def test_growing_the_item_set_only_adds_rows(tiny_model_dir: Path, tiny_items: list[Item],
                                             tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert _eval(tiny_model_dir, tiny_items[:4], run).n_new == 8  # type: ignore[attr-defined]
    grown = _eval(tiny_model_dir, tiny_items[:7], run)
    assert grown.n_new == 6 and grown.n_rows == 14  # type: ignore[attr-defined]


def test_other_model_or_config_is_refused(tiny_model_dir: Path, tiny_model_dir_b: Path,
                                          tiny_items: list[Item], tmp_path: Path) -> None:
    run = tmp_path / "run"
    _eval(tiny_model_dir, tiny_items[:2], run)
    with pytest.raises(RunMismatchError, match="model weights differ"):
        _eval(tiny_model_dir_b, tiny_items[:2], run)
    with pytest.raises(RunMismatchError, match="max_new_tokens"):
        _eval(tiny_model_dir, tiny_items[:2], run, CFG.model_copy(update={"max_new_tokens": 9}))
    assert read_samples(run).num_rows == 4


def test_thinking_switch_and_stop_strings(tiny_model_dir: Path, tiny_items: list[Item],
                                          tmp_path: Path) -> None:
    off = CFG.model_copy(update={"thinking": "off", "samples": 1})
    _eval(tiny_model_dir, tiny_items[:2], tmp_path / "off", off)
    assert all(r["prompt"].endswith("<think>\n\n</think>\n\n")
               for r in read_samples(tmp_path / "off").to_pylist())
    plain = CFG.model_copy(update={"chat_template": False, "samples": 1})
    _eval(tiny_model_dir, tiny_items[:2], tmp_path / "plain", plain)
    assert {r["prompt"] for r in read_samples(tmp_path / "plain").to_pylist()} == {
        f"{i.prompt}\n\n{CFG.instruction}" for i in tiny_items[:2]}
    free = CFG.model_copy(update={"samples": 1, "max_new_tokens": 24})
    _eval(tiny_model_dir, tiny_items[:4], tmp_path / "free", free)
    texts = [r["completion"] for r in read_samples(tmp_path / "free").to_pylist()]
    stop = next(t[4:6] for t in texts if len(t) >= 8 and t[4:6].strip())
    stopped = free.model_copy(update={"stop": (stop,)})
    _eval(tiny_model_dir, tiny_items[:4], tmp_path / "stop", stopped)
    rows = {r["item_id"]: r for r in read_samples(tmp_path / "stop").to_pylist()}
    for r in read_samples(tmp_path / "free").to_pylist():
        cut = r["completion"].find(stop)
        if cut >= 0:
            got = rows[r["item_id"]]
            assert got["completion"] == r["completion"][:cut]
            assert got["finish_reason"] == "stop"


def test_rescore_rewrites_scores_in_place(tiny_model_dir: Path, tiny_items: list[Item],
                                          tmp_path: Path) -> None:
    run = tmp_path / "run"
    items = tiny_items[:3]
    _eval(tiny_model_dir, items, run)
    gold = {i.id: i.answer for i in items}

    def tamper(table: pa.Table) -> pa.Table:
        """Stored rows as an old scorer might have left them: sample 0 answered correctly but
        scored wrong, sample 1 scored right without an answer."""
        rows = table.to_pylist()
        for r in rows:
            if r["sample_index"] == 0:
                r.update(completion=f"so \\boxed{{{gold[r['item_id']]}}}", correct=False,
                         parse_status="no_answer", extracted=None, finish_reason="stop")
            else:
                r.update(correct=True, parse_status="ok")
        return pa.Table.from_pylist(rows, schema=table.schema)

    rewrite_shards(run, tamper)
    shards = sorted(p.name for p in run.glob("samples-*.parquet"))
    summary = rescore(run, tiny_items)
    assert summary.n_rows == 6 and summary.n_changed == 6 and summary.generation == 1
    for r in read_samples(run).to_pylist():
        if r["sample_index"] == 0:
            assert r["correct"] and r["parse_status"] == "ok"
            assert r["extracted"] == gold[r["item_id"]]
        else:
            assert not r["correct"] and r["parse_status"] != "ok"
    assert sorted(p.name for p in run.glob("samples-*.parquet")) == shards
    assert read_manifest(run).model_extra["score_generation"] == 1  # type: ignore[index]
    assert rescore(run, tiny_items).n_changed == 0
    with pytest.raises(ValueError, match="not in the given items"):
        rescore(run, tiny_items[3:])
