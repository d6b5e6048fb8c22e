"""GRPO rollouts sampled by the project's decoder (`rollouts="decoder"`)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from reasonscope.cli import app
from reasonscope.train.config import RESOLVED_NAME, STEP_LOG_NAME, GRPOConfig
from reasonscope.train.rollouts import decoder_rollouts, group_prompts, rollout_seeds


def test_group_prompts_keeps_runs_in_order() -> None:
    prompts, counts = group_prompts([[1, 2], [1, 2], [3], [3], [3], [1, 2]])
    assert prompts == [[1, 2], [3], [1, 2]] and counts == [2, 3, 1]
    assert group_prompts([]) == ([], [])


def test_rollout_seeds_depend_on_seed_step_rank_and_position() -> None:
    seeds = rollout_seeds(0, 5, 0, 16)
    assert seeds == rollout_seeds(0, 5, 0, 16) and len(set(seeds)) == 16
    others = [rollout_seeds(1, 5, 0, 16), rollout_seeds(0, 6, 0, 16), rollout_seeds(0, 5, 1, 16)]
    assert all(not set(seeds) & set(o) for o in others)
    assert rollout_seeds(0, 5, 0, 4) == seeds[:4]
    assert not set(seeds) & set(rollout_seeds(0, 5, 0, 16, evaluation=True))


@pytest.mark.parametrize(("field", "value"), [("use_vllm", True), ("min_p", 0.05),
                                              ("repetition_penalty", 1.1)])
def test_decoder_refuses_settings_it_does_not_sample(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=rf"{field} need rollouts='trl'"):
        GRPOConfig(model="m", out="o", rollouts="decoder", **{field: value})
    GRPOConfig(model="m", out="o", **{field: value})  # TRL's path takes them


def _trainer(model_dir: Path, step: int) -> Any:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.train()
    return SimpleNamespace(processing_class=AutoTokenizer.from_pretrained(model_dir),
                           model=model, accelerator=SimpleNamespace(unwrap_model=lambda m: m),
                           state=SimpleNamespace(global_step=step))


def test_rollouts_are_a_function_of_seed_step_and_position(tiny_model_dir: Path) -> None:
    rollout = decoder_rollouts(seed=3, max_new_tokens=12, temperature=1.0, top_p=1.0, top_k=0)
    trainer = _trainer(tiny_model_dir, step=2)
    round_ = ["Compute 2 + 2."] * 4 + ["Name a prime."] * 4
    out = rollout(round_, trainer)
    assert trainer.model.training  # the policy goes back to training mode
    assert out["logprobs"] is None and len(out["completion_ids"]) == len(round_)
    tok = trainer.processing_class
    assert out["prompt_ids"] == tok(text=round_)["input_ids"]  # as TRL tokenizes text prompts
    eos = tok.eos_token_id
    for ids in out["completion_ids"]:
        assert 1 <= len(ids) <= 12 and (len(ids) == 12 or ids[-1] == eos)
        assert eos not in ids[:-1]
    assert rollout(round_, trainer) == out
    assert rollout(round_[:4], trainer)["completion_ids"] == out["completion_ids"][:4]
    later = rollout(round_, _trainer(tiny_model_dir, step=3))
    assert later["completion_ids"] != out["completion_ids"]


@pytest.mark.slow
def test_grpo_with_decoder_rollouts_resumes_to_the_same_rollouts(base_fp32: Path,
                                                                 qa_file: Path,
                                                                 tmp_path: Path) -> None:
    runner = CliRunner()

    def train(out: Path, steps: int, *extra: str) -> list[dict[str, Any]]:
        args = ["train", "grpo", "--model", str(base_fp32), "--data", str(qa_file),
                "--answer-field", "golden_answer", "--num-generations", "4", "--batch-size",
                "8", "--max-steps", str(steps), "--save-steps", "1",
                "--max-completion-length", "48", "--rollouts", "decoder", "--lr", "1e-2",
                "--device", "cpu", "--seed", "0", "--out", str(out), *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output + repr(result.exception)
        return [json.loads(x) for x in (out / STEP_LOG_NAME).read_text().splitlines()]

    straight = train(tmp_path / "straight", 3)
    train(tmp_path / "resumed", 2)
    resumed = train(tmp_path / "resumed", 3, "--resume")
    doc = json.loads((tmp_path / "straight" / RESOLVED_NAME).read_text())
    assert doc["resolved"]["rollouts"] == "decoder"
    keys = ("completions/mean_length", "completions/max_length", "num_tokens")
    assert [r["step"] for r in straight] == [1, 2, 3]
    assert {k: resumed[-1][k] for k in keys} == {k: straight[-1][k] for k in keys}
