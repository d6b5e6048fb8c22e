"""`reasonscope eval` killed mid-run and resumed, and two processes sharing one run directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from reasonscope.engine.runner import run_items as evaluate
from reasonscope.engine.store import read_samples
from reasonscope.genconfig import GenerationConfig
from reasonscope.items import Item

pytestmark = pytest.mark.slow

SAMPLES, MAX_NEW, SEED, BATCH = 2, 40, 11, 2
CFG = GenerationConfig(samples=SAMPLES, max_new_tokens=MAX_NEW, seed=SEED)
CLI = str(Path(sys.executable).with_name("reasonscope"))


def _cli(model: Path, suite: Path, out: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [CLI, "eval", "--model", str(model), "--suite", str(suite), "--out", str(out),
         "--samples", str(SAMPLES), "--max-new-tokens", str(MAX_NEW), "--seed", str(SEED),
         "--batch-size", str(BATCH), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def _wait_for_shard(proc: subprocess.Popen[str], out: Path, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = len(list(out.glob("samples-*.parquet")))
        if n:
            return n
        if proc.poll() is not None:
            pytest.fail(f"eval exited early ({proc.returncode}):\n{proc.stdout.read()}")  # type: ignore[union-attr]
        time.sleep(0.005)
    proc.kill()
    pytest.fail("no shard appeared in time")


def _by_key(run: Path) -> dict[tuple[str, int], tuple[str, int, str]]:
    return {(r["item_id"], r["sample_index"]): (r["completion"], r["seed"], r["finish_reason"])
            for r in read_samples(run).to_pylist()}


def _raw_rows(run: Path) -> int:
    return sum(pq.read_metadata(p).num_rows for p in run.glob("samples-*.parquet"))


@pytest.fixture(scope="module")
def reference(tiny_model_dir: Path, tiny_items: list[Item], tmp_path_factory: pytest.TempPathFactory
              ) -> Path:
    """The uninterrupted run, same items, settings and batch plan."""
    out = tmp_path_factory.mktemp("ref") / "run"
    evaluate(tiny_model_dir, tiny_items, CFG, out, suite_name="x", suite_hash="x",
             batch_size=BATCH, progress=False)
    return out


def test_sigkill_then_resume_matches_uninterrupted(tiny_model_dir: Path, tiny_suite_file: Path,
                                                   tiny_items: list[Item], reference: Path,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "run"
    proc = _cli(tiny_model_dir, tiny_suite_file, out)
    _wait_for_shard(proc, out)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_at_kill = len(list(out.glob("samples-*.parquet")))
    assert 0 < done_at_kill < len(tiny_items), "the kill must land mid-run"
    assert list((out / ".claims").glob("*.claim")), "the dead process left its claim behind"
    from reasonscope.bench.suites import load_suite

    suite = load_suite(tiny_suite_file)
    summary = evaluate(tiny_model_dir, list(suite.items), CFG, out, suite_name=suite.name,
                       suite_hash=suite.hash, progress=False)
    assert summary.n_new == SAMPLES * (len(tiny_items) - done_at_kill)
    assert _raw_rows(out) == SAMPLES * len(tiny_items)  # no duplicate key, none missing
    assert _by_key(out) == _by_key(reference)  # identical completions
    assert not list((out / ".claims").glob("*.claim"))


def test_two_processes_share_one_run(tiny_model_dir: Path, tiny_suite_file: Path,
                                     reference: Path, tmp_path: Path) -> None:
    from reasonscope.bench.suites import load_suite

    out = tmp_path / "run"
    proc = _cli(tiny_model_dir, tiny_suite_file, out)
    _wait_for_shard(proc, out)
    suite = load_suite(tiny_suite_file)
    mine = evaluate(tiny_model_dir, list(suite.items), CFG, out, suite_name=suite.name,
                    suite_hash=suite.hash, progress=False)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, output
    total = SAMPLES * len(suite.items)
    assert _raw_rows(out) == total and len(_by_key(out)) == total
    assert _by_key(out) == _by_key(reference)
    writers = {p.name.split("-")[2] for p in out.glob("samples-*.parquet")}
    assert writers == {str(proc.pid), str(os.getpid())}, "both processes wrote batches"
    assert 0 < mine.n_new < total and mine.n_rows == total
    assert f"{total} samples" in output  # the other process saw the whole run finished


def test_resume_takes_over_empty_claims_within_a_minute(tiny_model_dir: Path,
                                                        tiny_suite_file: Path,
                                                        tiny_items: list[Item],
                                                        reference: Path, tmp_path: Path) -> None:
    """A kill between creating a claim and writing it leaves a 0-byte claim: it must count as
    stale after a short grace, not block the resume for hours."""
    out = tmp_path / "run"
    proc = _cli(tiny_model_dir, tiny_suite_file, out)
    _wait_for_shard(proc, out)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    claims = list((out / ".claims").glob("*.claim"))
    assert claims, "the dead process left its claim behind"
    for claim in claims:
        claim.write_bytes(b"")  # as if killed right after O_CREAT
    from reasonscope.bench.suites import load_suite

    suite = load_suite(tiny_suite_file)
    t0 = time.monotonic()
    evaluate(tiny_model_dir, list(suite.items), CFG, out, suite_name=suite.name,
             suite_hash=suite.hash, batch_size=BATCH, progress=False)
    assert time.monotonic() - t0 < 60
    assert _raw_rows(out) == SAMPLES * len(tiny_items)
    assert _by_key(out) == _by_key(reference)
    assert not list((out / ".claims").glob("*.claim"))


def test_claims_are_never_half_written_and_waiting_says_on_what(tmp_path: Path) -> None:
    from reasonscope.engine.store import Claims

    claims = Claims(tmp_path, unreadable_grace_s=0.2)
    assert claims.try_claim("k")
    text = (tmp_path / ".claims" / "k.claim").read_text()
    assert str(os.getpid()) in text and not list((tmp_path / ".claims").glob(".*.new"))
    other = Claims(tmp_path, unreadable_grace_s=0.2)
    assert not other.try_claim("k") and other.held_by_other("k")
    assert f"process {os.getpid()} on this host" in other.describe("k")
    (tmp_path / ".claims" / "k.claim").write_bytes(b"")
    assert "empty or unreadable" in other.describe("k")
    assert other.held_by_other("k")  # within the grace: maybe being written
    time.sleep(0.3)
    assert not other.held_by_other("k") and other.try_claim("k")
