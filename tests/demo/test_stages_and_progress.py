"""Stages resume and keep their times; training progress is printed when stderr is no terminal;
the claims section shows the study's numbers, escaped."""

from __future__ import annotations

import io
import shutil
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from transformers import TrainerControl, TrainerState, TrainingArguments

from reasonscope.organism.progress import PlainProgressCallback
from reasonscope.organism.stages import Stage, StageFailed, StageRunner
from reasonscope.organism.study import plan
from reasonscope.report.claims_section import claims_section


def test_finished_stages_are_skipped_and_timed(tmp_path: Path) -> None:
    calls: list[str] = []
    con = Console(file=io.StringIO())
    runner = StageRunner(tmp_path, con)
    runner.run("a", lambda: calls.append("a"))

    def crash() -> None:
        calls.append("b")
        raise RuntimeError("killed")
    with pytest.raises(RuntimeError):
        runner.run("b", crash)
    again = StageRunner(tmp_path, con)
    again.run("a", lambda: calls.append("a2"))
    again.run("b", lambda: calls.append("b2"))
    assert calls == ["a", "b", "b2"]  # a was done; b had no marker and ran again
    assert set(again.timings()) == {"a", "b"}


def _copy_chain(tmp_path: Path, names: str) -> list[Stage]:
    """Stage x copies the file of the stage before it, so it fails unless that one ran first."""
    stages, before = [], "seed"
    for name in names:
        stages.append(Stage(name, partial(shutil.copyfile, tmp_path / before, tmp_path / name),
                            (before,) if before != "seed" else ()))
        before = name
    return stages


def test_run_all_runs_stages_in_workers_after_what_they_need(tmp_path: Path) -> None:
    (tmp_path / "seed").write_text("x")
    con = Console(file=io.StringIO())
    chain = _copy_chain(tmp_path, "abc")
    other = Stage("d", partial(shutil.copyfile, tmp_path / "seed", tmp_path / "d"))
    StageRunner(tmp_path, con).run_all([*chain, other], workers=2)
    assert all((tmp_path / n).read_text() == "x" for n in "abcd")
    assert set(StageRunner(tmp_path, con).timings()) == set("abcd")
    with pytest.raises(ValueError, match="come later"):
        StageRunner(tmp_path, con).run_all(list(reversed(_copy_chain(tmp_path, "ef"))), 2)


def test_run_all_reports_the_failed_stage_and_keeps_the_finished(tmp_path: Path) -> None:
    con = Console(file=io.StringIO())
    (tmp_path / "seed").write_text("x")
    ok = Stage("ok", partial(shutil.copyfile, tmp_path / "seed", tmp_path / "ok"))
    bad = Stage("bad", partial(shutil.copyfile, tmp_path / "missing", tmp_path / "bad"))
    after_bad = Stage("later", partial(shutil.copyfile, tmp_path / "bad", tmp_path / "later"),
                      ("bad",))
    runner = StageRunner(tmp_path, con)
    with pytest.raises(StageFailed, match="stage bad failed: FileNotFoundError"):
        runner.run_all([bad, ok, after_bad], workers=2)
    assert runner.done("ok") and not runner.done("bad") and not runner.done("later")


def test_demo_starts_the_longest_chains_first() -> None:
    from reasonscope.organism.demo import _chain_rank

    names = [ft.name for ft in sorted(plan((0, 1, 2)), key=partial(_chain_rank, (0,)))]
    assert names == ["sft-long-s0", "grpo-s0", "sft-short-s0", "sft-long-s1", "sft-long-s2",
                     "grpo-s1", "grpo-s2", "sft-short-s1", "sft-short-s2"]


def test_plan_is_seed_major_and_checked() -> None:
    names = [ft.name for ft in plan((0, 1))]
    assert names == ["sft-short-s0", "sft-long-s0", "grpo-s0", "sft-short-s1", "sft-long-s1",
                     "grpo-s1"]
    with pytest.raises(ValueError, match="distinct"):
        plan((1, 1))
    with pytest.raises(ValueError, match="unknown method"):
        plan((0,), ("ppo",))


def test_progress_lines_without_a_terminal(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    cb = PlainProgressCallback("train sft-short-s0", interval_s=0.0)
    args = TrainingArguments(output_dir=str(tmp_path), report_to="none", use_cpu=True)
    state = TrainerState()
    state.max_steps = 8
    control = TrainerControl()
    cb.on_train_begin(args, state, control)
    for step in range(1, 9):
        state.global_step = step
        cb.on_step_end(args, state, control)
        cb.on_log(args, state, control, logs={"loss": 1.0 / step})
    cb.on_train_end(args, state, control)
    err = capsys.readouterr().err
    assert "train sft-short-s0: 8/8 steps" in err
    assert "step 4: loss=0.25" in err and "ETA" in err


def study_dict() -> dict[str, Any]:
    iv = {"value": 0.1, "lo": 0.05, "hi": 0.15}
    m = {"seeds": [0], "math_delta": [iv], "overall_delta": [iv],
         "profile": [{"drift": iv, "spike_share": iv}],
         "trajectory": [[{"step": 2, "math": 0.05, "overall": 0.02}]],
         "transfer_index": {"science": [None]}}
    return {"seeds": [0], "base": {"cells": {"calculation/math": 0.5, "diagnostic/math": 0.9}},
            "methods": {"grpo": {**m, "signal_share": 0.6, "signal_share_per_seed": [0.6]}},
            "claims": [{"claim": "<b>RL</b> stays balanced", "verdict": "supported",
                        "evidence": "1 of 1 favour grpo. Rule: ..."}],
            "timings": {"base": 1.5}}


def test_claims_section_shows_the_numbers_escaped() -> None:
    html = claims_section(study_dict())
    assert "The study&#x27;s claims on this organism" in html
    assert "&lt;b&gt;RL&lt;/b&gt;" in html and "<b>RL</b>" not in html
    assert "SUPPORTED" in html and "data-verdict=\"supported\"" in html
    assert "+0.100 [+0.050, +0.150]" in html and "60%" in html
    assert "1 of 2 cells" in html and "undefined" in html and "base 1.5 s" in html
    assert "<th>seed 0</th>" in html and "seed 1" not in html  # the seeds' own numbers
