"""`analyze all` end to end on a miniature study in the demo's layout: a tiny base, perturbed
checkpoints of two methods, real evaluation runs, training data; then the report sections."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import torch

from reasonscope.analysis.results_io import FILES
from reasonscope.analysis.study import StudyConfig, run_study
from reasonscope.analysis.study_inputs import discover_study
from reasonscope.items import Item, items_hash

CHECKPOINTS = {"sft-short": (2, 4), "grpo": (3,)}


def _perturbed(src: Path, dst: Path, scale: float, seed: int) -> Path:
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(src)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(scale * torch.randn(p.shape, generator=gen))
    model.save_pretrained(dst)
    for f in src.iterdir():
        if f.is_file() and not (dst / f.name).exists():
            shutil.copy2(f, dst / f.name)
    return dst


def _train_data(path: Path, items: list[Item]) -> None:
    rows = [{"prompt": it.prompt, "completion": None, "item": it.model_dump(mode="json")}
            for it in items]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _checkpoint_run(base_run: Path, out: Path, ckpt: Path, step: int, seed: int) -> Path:
    """The base run's rows (same rendered prompts) re-labelled as the checkpoint's run, with
    correctness redrawn so behaviors drift differently per checkpoint."""
    import numpy as np
    from rs_analysiskit import write_run

    from reasonscope.engine.store import read_manifest, read_samples

    rng = np.random.default_rng(seed)
    rows = read_samples(base_run).to_pylist()
    for r in rows:
        r["correct"] = bool(rng.random() < 0.5)
        r["model"] = str(ckpt.resolve())
    manifest = read_manifest(base_run)
    return write_run(out.parent, out.name, rows, model=str(ckpt.resolve()), step=step,
                     gen_config=manifest.gen_config,
                     backend_info=(manifest.model_extra or {}).get("backend_info"))


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path,
          tiny_items: list[Item]) -> Path:
    from reasonscope.engine.runner import run_items
    from reasonscope.genconfig import GenerationConfig

    root = tmp_path_factory.mktemp("study")
    base = root / "train" / "base" / "final"
    shutil.copytree(tiny_model_dir, base)
    gen = GenerationConfig(max_new_tokens=12, samples=1)
    base_run = root / "runs" / "base"
    run_items(base, tiny_items, gen, base_run, suite_name="tiny", suite_hash=items_hash(tiny_items),
              device="cpu", progress=False, step=0)
    for m_i, (method, steps) in enumerate(CHECKPOINTS.items()):
        _train_data(root / "train" / method / "train-data.jsonl", tiny_items[:6])
        for step in steps:
            ckpt = _perturbed(base, root / "train" / method / f"checkpoint-{step}",
                              0.01 * step, 10 * m_i + step)
            _checkpoint_run(base_run, root / "runs" / method / f"step-{step:07d}", ckpt, step,
                            10 * m_i + step)
    return root


def test_discover_study_reads_the_demo_layout(study: Path) -> None:
    inputs = discover_study(study)
    assert inputs.base == study / "train" / "base" / "final"
    assert set(inputs.checkpoints) == {"sft-short/step-2", "sft-short/step-4", "grpo/step-3"}
    assert set(inputs.eval_runs) == {"base", *inputs.checkpoints}
    assert inputs.eval_runs["grpo/step-3"] == study / "runs" / "grpo" / "step-0000003"
    assert set(inputs.finals()) == {"sft-short/step-4", "grpo/step-3"}
    assert set(inputs.train_data) == set(inputs.checkpoints)


@pytest.mark.slow
def test_analyze_all_writes_every_analysis_and_the_report_shows_them(study: Path) -> None:
    out = study / "analysis"
    cfg = StudyConfig(device="cpu", batch_size=4, max_texts=24, train_items=3, sae_steps=20,
                      sae_width=64, sae_k=4, sae_batch=128, train_max_new_tokens=8)
    summary = run_study(discover_study(study), out, cfg, lambda _m: None)
    assert summary.skipped == {}
    for name in ("params", "tokens", "latents", "sae", "outputs", "predictors", "study"):
        assert (out / FILES[name]).is_file(), name
    params = json.loads((out / FILES["params"]).read_text())
    assert {r["model"] for r in params["overall"]} == {"sft-short/step-2", "sft-short/step-4",
                                                       "grpo/step-3"}
    assert all(r["changed_frac_exact"] > 0.99 for r in params["overall"])
    assert any(c["name"] == "*" and {c["a"], c["b"]} == {"sft-short/step-4", "grpo/step-3"}
               for c in params["cosines"])
    tokens = json.loads((out / FILES["tokens"]).read_text())
    splits = {(r["model"], r["split"]) for r in tokens["runs"]}
    assert ("grpo/step-3", "eval") in splits and ("grpo/step-3", "train") in splits
    larger = {r["model"]: r["overall"]["kl_tuned_base"] for r in tokens["runs"]
              if r["split"] == "eval"}
    assert larger["sft-short/step-4"] > larger["sft-short/step-2"]  # 2x the perturbation
    positions = pq.read_table(out / "tokens-positions.parquet")
    assert {"model", "split", "kl_tuned_base", "rank_base"} <= set(positions.column_names)
    assert (out / "train-samples" / "grpo__step-3" / "manifest.json").is_file()
    sae = json.loads((out / FILES["sae"]).read_text())
    assert (out / "sae" / sae["hook"] / "sae.safetensors").is_file()
    assert {c["model"] for c in sae["checkpoints"]} == {"sft-short/step-4", "grpo/step-3"}
    pred = json.loads((out / FILES["predictors"]).read_text())
    stats = {c["label"]: c["stats"] for c in pred["checkpoints"]}
    assert set(stats["grpo/step-3"]) == {"kl_eval", "kl_train", "changed_frac_exact",
                                         "changed_frac_bf16", "changed_frac_tol", "rel_update"}
    assert any(c["n"] == 3 for c in pred["correlations"])

    from reasonscope.report.html import write_report
    from reasonscope.results.comparison import compare

    runs = sorted((study / "runs").glob("*/step-*"))
    html = write_report(compare(runs, study / "runs" / "base", replicates=50, flips=50),
                        study / "report.html", analysis_dir=out).read_text()
    for anchor in ("params", "tokens", "latents", "sae", "outputs", "predictors"):
        assert f'id="analysis-{anchor}"' in html and f'href="#analysis-{anchor}"' in html
    for plot in ("params-layer", "params-module", "tokens-cell", "tokens-decile",
                 "latents-behavior", "sae-selective", "predictors"):
        assert f'data-plot="{plot}"' in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_analyze_all_command_runs_a_subset(study: Path) -> None:
    from typer.testing import CliRunner

    from reasonscope.cli import app

    out = study / "analysis-cli"
    result = CliRunner().invoke(app, ["analyze", "all", str(study), "--out", str(out),
                                      "--only", "params,outputs", "--device", "cpu"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["analysis.json", "outputs.json",
                                                     "params-tensors.parquet", "params.json"]
    bad = CliRunner().invoke(app, ["analyze", "all", str(study), "--only", "weights"])
    assert bad.exit_code == 2 and "unknown analysis 'weights'" in bad.output
    missing = CliRunner().invoke(app, ["analyze", "all", str(study / "nope")])
    assert missing.exit_code == 2 and "no such directory" in missing.output
