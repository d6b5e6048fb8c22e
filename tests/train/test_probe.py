"""Probing a training run: one run per checkpoint (and the base at step 0), steps recorded,
already evaluated checkpoints skipped; and the same during training through ProbeCallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasonscope.cli import app
from reasonscope.items import Item, write_items
from reasonscope.taxonomy import AnswerType, Behavior, Domain

runner = CliRunner()
pytestmark = pytest.mark.slow


def _suite(path: Path) -> Path:
    items = [Item.create(behavior=b, domain=Domain.MATH, difficulty=1,
                         prompt=f"What is {k} + {k}?", answer=str(2 * k),
                         answer_type=AnswerType.INTEGER, source=f"test@1+{k}")
             for k, b in enumerate((Behavior.CALCULATION, Behavior.CALCULATION,
                                    Behavior.SIMULATION), start=1)]
    write_items(items, path)
    return path


def _steps(runs: Path) -> dict[str, int | None]:
    from reasonscope.engine.store import read_manifest, read_samples

    out = {}
    for d in sorted(runs.iterdir()):
        manifest = read_manifest(d)
        steps = set(read_samples(d).column("step").to_pylist())
        assert steps == {manifest.step}
        out[d.name] = manifest.step
    return out


def _train(args: list[str | Path]) -> None:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)


def test_probe_every_checkpoint_then_skip(base_fp32: Path, qa_file: Path,
                                          tmp_path: Path) -> None:
    train_dir, runs, suite = tmp_path / "sft", tmp_path / "runs", _suite(tmp_path / "s.jsonl")
    _train(["train", "sft", "--model", base_fp32, "--data", qa_file, "--answer-field",
            "golden_answer", "--max-steps", "2", "--save-steps", "1", "--batch-size", "4",
            "--lr", "1e-3", "--device", "cpu", "--out", train_dir])
    probe = ["probe", train_dir, "--suite", suite, "--out", runs, "--max-new-tokens", "6",
             "--device", "cpu"]
    first = runner.invoke(app, [str(a) for a in probe])
    assert first.exit_code == 0, first.output + repr(first.exception)
    assert _steps(runs) == {"step-0000000": 0, "step-0000001": 1, "step-0000002": 2}
    again = runner.invoke(app, [str(a) for a in probe])
    assert again.exit_code == 0 and again.output.count("done before") == 3


def test_probe_callback_during_training(base_fp32: Path, qa_file: Path, tmp_path: Path) -> None:
    train_dir, suite = tmp_path / "sft", _suite(tmp_path / "s.jsonl")
    _train(["train", "sft", "--model", base_fp32, "--data", qa_file, "--answer-field",
            "golden_answer", "--max-steps", "2", "--save-steps", "1", "--batch-size", "4",
            "--lr", "1e-3", "--device", "cpu", "--out", train_dir, "--probe-suite", suite,
            "--probe-per-cell", "1", "--probe-max-new-tokens", "6"])
    runs = train_dir / "probe-runs"
    assert _steps(runs) == {"step-0000000": 0, "step-0000001": 1, "step-0000002": 2}
    from reasonscope.engine.store import read_samples

    # one item per cell of the two cells in the suite
    assert read_samples(runs / "step-0000002").num_rows == 2


def test_probe_without_checkpoints_is_an_error(base_fp32: Path, tmp_path: Path) -> None:
    import json

    from reasonscope.train.config import RESOLVED_NAME

    train_dir = tmp_path / "empty-train"
    train_dir.mkdir()
    (train_dir / RESOLVED_NAME).write_text(json.dumps(
        {"config": {"model": str(base_fp32)}, "resolved": {"base_model": str(base_fp32)}}))
    res = runner.invoke(app, ["probe", str(train_dir), "--suite", str(_suite(tmp_path / "s")),
                              "--out", str(tmp_path / "runs"), "--max-new-tokens", "4"])
    assert res.exit_code == 2 and "no checkpoint" in res.output
    assert not (tmp_path / "runs").exists()
