"""The demo end to end at smoke size (`DemoConfig.quick()`, the shipped base): every stage runs,
report.html, compare.json and study.json are written with the documented keys, training
progress is printed without a terminal, and a second call resumes without redoing anything."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from reasonscope.cli.demo import register
from reasonscope.engine.store import read_manifest, read_samples
from reasonscope.organism.demo import DemoConfig, run_demo
from reasonscope.organism.study import METHODS

pytestmark = pytest.mark.slow

VERDICTS = {"supported", "contradicted", "inconclusive"}


def test_quick_demo_runs_every_stage_writes_the_study_and_resumes(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    cfg = DemoConfig.quick()
    # two stages at a time, as the full demo runs; the resumes below run in one process
    report = run_demo(out, cfg, Console(file=io.StringIO()), workers=2)
    err = capfd.readouterr().err
    assert "train sft-short-s0: 4/4 steps" in err  # plain progress lines, no terminal here
    assert report.exists() and report.stat().st_size > 50_000
    html = report.read_text()
    assert "<script src=" not in html.replace("<script src=\"data:", "")  # self-contained
    assert "The study&#x27;s claims on this organism" in html

    base = out / "runs" / "base"
    assert read_manifest(base).step == 0
    n_items = 20 * cfg.probe_per_cell  # type: ignore[operator]
    assert read_samples(base).num_rows == n_items * cfg.probe_samples
    steps = {m: sorted(read_manifest(p).step or 0
                       for p in (out / "runs" / f"{m}-s0").glob("step-*")) for m in METHODS}
    assert steps == {"sft-short": [2, 4], "sft-long": [2, 4], "grpo": [1, 2]}

    comp = json.loads((out / "compare.json").read_text())
    assert len(comp["runs"]) == 7  # the base and six checkpoints
    series = {Path(key).name: points for key, points in comp["trajectories"].items()}
    for m, m_steps in steps.items():
        assert [p["step"] for p in series[f"{m}-s0"]] == m_steps

    study = json.loads((out / "study.json").read_text())
    assert set(study) == {"seeds", "base", "methods", "claims", "timings"}
    assert study["seeds"] == [0]
    assert set(study["base"]) == {"cells"} and len(study["base"]["cells"]) == 20
    assert set(study["methods"]) == set(METHODS)
    for m in METHODS:
        (delta,) = study["methods"][m]["math_delta"]
        assert set(delta) == {"value", "lo", "hi"}
        assert delta["value"] == pytest.approx(
            comp["comparisons"][f"{m}-s0@{steps[m][-1]}"]["domains"]["math"]["value"])
    share = study["methods"]["grpo"]["signal_share"]
    assert share is None or 0.0 <= share <= 1.0
    assert len(study["claims"]) == 5
    for claim in study["claims"]:
        assert set(claim) == {"claim", "verdict", "evidence"} and claim["verdict"] in VERDICTS
        assert claim["evidence"]
    assert {"base", "probe-base", "train-grpo-s0", "analysis"} <= set(study["timings"])
    for m in METHODS:  # every fine-tune starts from the base and trains on math items only
        train_dir = out / "train" / f"{m}-s0"
        resolved = json.loads((train_dir / "reasonscope-train.json").read_text())
        assert resolved["config"]["model"] == str(out / "base")
        rows = [json.loads(line) for line in (train_dir / "train-data.jsonl").open()]
        assert rows and {r["item"]["domain"] for r in rows} == {"math"}

    t0 = time.perf_counter()
    run_demo(out, cfg, Console(file=io.StringIO()))
    assert time.perf_counter() - t0 < 30, "a finished demo must resume without redoing stages"
    (out / ".done-report").unlink()
    (out / "study.json").unlink()
    run_demo(out, cfg, Console(file=io.StringIO()))
    assert json.loads((out / "study.json").read_text())["claims"] == study["claims"]

    # a study trained by hand in the same layout gets the same verdicts from the CLI
    (out / "study.json").unlink()
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["organism", "verdicts", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "study.json").read_text())["claims"] == study["claims"]
    missing = CliRunner().invoke(app, ["organism", "verdicts", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "no fine-tunes" in missing.output

    # stages made with other settings are not resumed as if they were this run's
    recipe = tmp_path / "chat-math.json"
    assert cfg.recipe is not None and cfg.recipe.math_format == "text"
    recipe.write_text(json.dumps({**cfg.recipe.model_dump(mode="json"), "math_format": "chat"}))
    before = sorted(p.name for p in out.iterdir())
    other = CliRunner().invoke(app, ["demo", "--quick", "--recipe", str(recipe), "--out", str(out)])
    assert other.exit_code == 2
    assert "other settings (from_scratch, recipe differ" in " ".join(other.output.split())
    assert sorted(p.name for p in out.iterdir()) == before
    bad = tmp_path / "bad.json"
    bad.write_text('{"math_format": "prose", "steps": 0}')
    refused = CliRunner().invoke(app, ["demo", "--recipe", str(bad), "--out", str(tmp_path / "x")])
    said = " ".join(refused.output.split())
    assert refused.exit_code == 2 and "math_format" in said and "steps:" in said  # every field
    assert not (tmp_path / "x").exists()
