"""Weight fingerprints, opening/resuming run directories, claims and shard rewrites."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from reasonscope import fingerprint as fp
from reasonscope.engine.store import (
    Claims,
    KeyIndex,
    RunDirError,
    RunManifest,
    RunMismatchError,
    open_run,
    read_samples,
    rewrite_shards,
    write_shard,
)


def test_fingerprint_tells_checkpoints_apart(tiny_model_dir: Path, tiny_model_dir_b: Path,
                                             tmp_path: Path) -> None:
    a = fp.weight_fingerprint(tiny_model_dir)
    assert a == fp.weight_fingerprint(tiny_model_dir)
    assert a != fp.weight_fingerprint(tiny_model_dir_b)
    copy = shutil.copytree(tiny_model_dir, tmp_path / "same-name")
    assert fp.weight_fingerprint(copy) == a  # location does not matter, content does
    weights = copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 1
    weights.write_bytes(bytes(data))
    assert fp.weight_fingerprint(copy) != a
    with pytest.raises(FileNotFoundError):
        fp.weight_fingerprint(tmp_path)


def test_large_files_are_sampled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fp, "FULL_HASH_BYTES", 1000)
    monkeypatch.setattr(fp, "CHUNK", 64)
    blob = bytearray(os.urandom(200_000))
    (tmp_path / "model.safetensors").write_bytes(bytes(blob))
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"a": 1}}))
    base = fp.weight_fingerprint(tmp_path)
    blob[-1] ^= 1  # the last chunk is always sampled
    (tmp_path / "model.safetensors").write_bytes(bytes(blob))
    assert fp.weight_fingerprint(tmp_path) != base
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"a": 2}}))
    changed_index = fp.weight_fingerprint(tmp_path)
    (tmp_path / "model.safetensors").write_bytes(bytes(blob) + b"x")
    assert len({base, changed_index, fp.weight_fingerprint(tmp_path)}) == 3


def _manifest(**kw: object) -> RunManifest:
    base: dict[str, object] = dict(run_id="r1", model="m", fingerprint="f" * 64,
                                   gen_config={"temperature": 0.6}, gen_config_hash="g1",
                                   suite="s", suite_hash="h1")
    base.update(kw)
    return RunManifest.model_validate(base)


def test_open_run_creates_resumes_and_refuses(tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert open_run(run, _manifest()).run_id == "r1"
    assert open_run(run, _manifest(run_id="r2")).run_id == "r1"  # same run: resumed
    with pytest.raises(RunMismatchError, match="model weights differ"):
        open_run(run, _manifest(fingerprint="e" * 64, model="other"))
    with pytest.raises(RunMismatchError, match=r"temperature: 0\.6 -> 0\.7"):
        open_run(run, _manifest(gen_config={"temperature": 0.7}, gen_config_hash="g2"))
    with pytest.raises(RunMismatchError, match="suite differs"):
        open_run(run, _manifest(suite_hash="h2"))
    with pytest.raises(RunMismatchError, match="step differs"):
        open_run(run, _manifest(step=5))
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("x")
    with pytest.raises(RunDirError, match="not a run directory"):
        open_run(tmp_path / "notes", _manifest())


def _row(item: str, sample: int, correct: bool = False) -> dict[str, object]:
    return {"run_id": "r1", "model": "m", "fingerprint": "f", "step": None,
            "gen_config_hash": "g", "item_id": item, "behavior": "calculation",
            "domain": "math", "difficulty": 1, "sample_index": sample, "seed": 1,
            "prompt": "p", "completion": "c", "extracted": None, "parse_status": "no_answer",
            "correct": correct, "finish_reason": "stop", "prompt_tokens": 1,
            "completion_tokens": 1, "latency_s": 0.1}


def test_key_index_is_incremental_and_rewrite_keeps_shards(tmp_path: Path) -> None:
    run = tmp_path / "run"
    open_run(run, _manifest())
    index = KeyIndex(run)
    first = write_shard(run, [_row("a", 0), _row("a", 1)])
    assert index.refresh() == {("f", "g", "a", 0), ("f", "g", "a", 1)}
    write_shard(run, [_row("b", 0), _row("a", 0, correct=True)])  # a/0 again: a duplicate
    assert len(index.refresh()) == 3
    names = sorted(p.name for p in run.glob("samples-*.parquet"))

    def flip(table: pa.Table) -> pa.Table:
        rows = table.to_pylist()
        for r in rows:
            r["correct"] = not r["correct"]
        return pa.Table.from_pylist(rows, schema=table.schema)

    assert rewrite_shards(run, flip) == 4
    assert sorted(p.name for p in run.glob("samples-*.parquet")) == names
    table = read_samples(run)
    assert table.num_rows == 3  # the duplicate still resolves to the first shard's row
    assert all(table.column("correct").to_pylist())
    assert first is not None and not (run / ".rescore.lock").exists()


def test_claims_exclusive_and_stale_after_death(tmp_path: Path) -> None:
    a, b = Claims(tmp_path), Claims(tmp_path)
    assert a.try_claim("u1")
    assert not b.try_claim("u1") and b.held_by_other("u1")
    a.release("u1")
    assert b.try_claim("u1")
    b.release_all()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    (tmp_path / ".claims" / "u2.claim").write_text(json.dumps(
        {"pid": int(dead.stdout), "host": os.uname().nodename, "time": 0}))
    assert not a.held_by_other("u2")
    assert a.try_claim("u2")  # a dead process's claim is taken over
