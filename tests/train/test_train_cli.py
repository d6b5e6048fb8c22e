"""`reasonscope train sft|grpo` end to end on a tiny model (CPU, a few steps each)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasonscope.cli import app
from reasonscope.train.config import RESOLVED_NAME, STEP_LOG_NAME, SUMMARY_NAME
from reasonscope.train.modelio import checkpoints, stored_dtypes

runner = CliRunner()
pytestmark = pytest.mark.slow

TINY = ["--lr", "1e-3", "--device", "cpu", "--seed", "0"]


def _invoke(*args: str | Path) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _fails(*args: str | Path) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 2, result.output + repr(result.exception)
    return " ".join(result.output.split())


def _resolved(out: Path) -> dict:
    return json.loads((out / RESOLVED_NAME).read_text())


def _steps(out: Path) -> list[int]:
    return [s for s, _ in checkpoints(out)]


def _dtypes(out: Path) -> set[str]:
    return {d for _, p in checkpoints(out) for d in stored_dtypes(p)}


def test_sft_short_plain_checkpoints_and_resume(base_fp32: Path, qa_file: Path,
                                                tmp_path: Path) -> None:
    out = tmp_path / "sft-short"

    def cmd(cot: str = "short") -> list[str | Path]:
        return ["train", "sft", "--model", base_fp32, "--data", qa_file, "--answer-field",
                "golden_answer", "--cot", cot, "--prompt-format", "plain", "--save-steps", "1",
                "--batch-size", "4", "--out", out, *TINY]

    common = cmd()
    _invoke(*common, "--max-steps", "2")
    assert _steps(out) == [1, 2]
    msg = _fails(*common, "--max-steps", "2")
    assert "already holds 2 checkpoint(s)" in msg and "--resume" in msg
    msg = _fails(*cmd("long"), "--max-steps", "3", "--resume")
    assert "changed setting(s): cot (was 'short', now 'long')" in msg
    _invoke(*common, "--max-steps", "3", "--resume")
    assert _steps(out) == [1, 2, 3]
    doc = _resolved(out)
    assert doc["kind"] == "sft" and doc["config"]["cot"] == "short"
    assert doc["resolved"]["prompt_format"] == "plain"
    assert doc["resolved"]["resume_from"].endswith("checkpoint-2")
    assert doc["trl_args"]["bf16"] is False and doc["trl_args"]["completion_only_loss"] is True
    assert _dtypes(out) == {"float32"}
    state = json.loads((out / "checkpoint-3" / "trainer_state.json").read_text())
    assert state["global_step"] == 3
    assert [r["step"] for r in map(json.loads, (out / STEP_LOG_NAME).read_text().splitlines())
            ][-1] == 3


def _median_length(base: Path, data: Path) -> int:
    """A max_length that some long chat examples exceed and others do not."""
    from reasonscope.train.data import ImportFields, read_examples, sft_rows
    from reasonscope.train.modelio import load_tokenizer
    from reasonscope.train.sft import _with_eos, token_lengths

    tok = load_tokenizer(base)
    ex = read_examples(data, style="long", fields=ImportFields(answer="golden_answer"))
    lengths = sorted(token_lengths(_with_eos(sft_rows(ex, tok, chat=True, thinking="on"),
                                             tok.eos_token), tok))
    assert lengths[0] < lengths[-1]
    return lengths[len(lengths) // 2]


def test_sft_long_chat_from_config_file(base_fp32: Path, qa_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "sft-long"
    config = tmp_path / "sft.toml"
    config.write_text(f'model = "{base_fp32}"\ndata = "{qa_file}"\nanswer_field = '
                      f'"golden_answer"\ncot = "long"\nmax_steps = 7\nsave_steps = 1\n'
                      f'batch_size = 4\nmax_length = {_median_length(base_fp32, qa_file)}\n'
                      'on_overflow = "drop"\n')
    _invoke("train", "sft", "--config", config, "--max-steps", "3", "--out", out, *TINY)
    assert _steps(out) == [1, 2, 3]  # the flag overrode max_steps = 7
    doc = _resolved(out)
    assert doc["config"]["max_steps"] == 3 and doc["resolved"]["prompt_format"] == "chat"
    assert doc["resolved"]["thinking"] == "on"
    over = doc["resolved"]["overflow"]
    assert over["over_limit"] > 0 and over["action"] == "drop"
    assert doc["resolved"]["example"]["completion"].startswith("<think>")
    summary = json.loads((out / SUMMARY_NAME).read_text())
    assert summary["examples"] == over["examples"] - over["over_limit"]


def test_sft_on_the_generated_math_set(base_fp32: Path, tmp_path: Path) -> None:
    out = tmp_path / "sft-gen"
    _invoke("train", "sft", "--model", base_fp32, "--per-cell", "2", "--cot", "long",
            "--max-steps", "1", "--save-steps", "1", "--batch-size", "2", "--max-length", "2048",
            "--out", out, *TINY)
    doc = _resolved(out)
    assert doc["resolved"]["data"]["source"] == "generated"
    assert all(v.get("clean", True) for v in doc["resolved"]["data"]["contamination"].values())
    rows = [json.loads(x) for x in (out / "train-data.jsonl").read_text().splitlines()]
    assert len(rows) == doc["resolved"]["examples"] >= 5
    assert {r["item"]["domain"] for r in rows} == {"math"}
    assert all(r["completion"].startswith("<think>") and "\\boxed{" in r["completion"]
               for r in rows)
    assert _steps(out) == [1]


def test_overflow_error_refuses_before_training(base_fp32: Path, qa_file: Path,
                                                tmp_path: Path) -> None:
    msg = _fails("train", "sft", "--model", base_fp32, "--data", qa_file, "--answer-field",
                 "golden_answer", "--cot", "long", "--max-length", "20", "--on-overflow",
                 "error", "--out", tmp_path / "o", *TINY)
    assert "longer than max_length 20 tokens" in msg
    assert not checkpoints(tmp_path / "o")


def test_grpo_bf16_checkpoints_log_and_no_signal(base_bf16: Path, qa_file: Path,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "grpo"
    output = _invoke("train", "grpo", "--model", base_bf16, "--data", qa_file, "--answer-field",
                     "golden_answer", "--num-generations", "4", "--batch-size", "4",
                     "--max-steps", "3", "--save-steps", "1", "--max-completion-length", "8",
                     "--out", out, *TINY)
    assert _steps(out) == [1, 2, 3]
    assert _dtypes(out) == {"bfloat16"}  # GRPOTrainer alone would have trained/saved fp32
    records = [json.loads(x) for x in (out / STEP_LOG_NAME).read_text().splitlines()]
    assert [r["step"] for r in records] == [1, 2, 3]
    for key in ("reward", "reward_std", "frac_reward_zero_std", "completions/clipped_ratio",
                "completions/mean_length"):
        assert all(key in r for r in records), key
    doc = _resolved(out)
    trl = doc["trl_args"]
    assert (trl["beta"], trl["epsilon"], trl["epsilon_high"]) == (0.0, 0.2, 0.28)
    assert (trl["loss_type"], trl["num_generations"], trl["temperature"]) == ("dapo", 4, 1.0)
    assert trl["bf16"] is False and trl["use_vllm"] is False
    assert doc["resolved"]["loss_variant"] == "dapo"
    summary = json.loads((out / SUMMARY_NAME).read_text())
    # a random tiny model never answers correctly: every group has zero reward variance
    assert summary["status"] == "no_signal" and summary["mean_frac_reward_zero_std"] == 1.0
    assert "NO LEARNING SIGNAL" in summary["warning"]
    assert "no_signal" in output


def test_grpo_batch_not_whole_groups_fails_before_loading(tmp_path: Path) -> None:
    msg = _fails("train", "grpo", "--model", tmp_path / "does-not-exist", "--num-generations",
                 "3", "--batch-size", "4", "--out", tmp_path / "o")
    assert "not a multiple of num_generations (3)" in msg
    assert not (tmp_path / "o").exists()


def test_bad_data_fails_before_training_naming_line_and_field(base_fp32: Path,
                                                              tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"question": "1 + 1?", "answer": "2", "solution": "\\\\boxed{2}"}\n'
                    '{"question": "2 + 2?", "solution": "4"}\n{"question": \n')
    msg = _fails("train", "sft", "--model", base_fp32, "--data", data, "--out", tmp_path / "o")
    assert f"{data}:2: field 'answer'" in msg
    assert f"{data}:3: invalid JSON" in msg
    renamed = _fails("train", "grpo", "--model", base_fp32, "--data", data, "--question-field",
                     "problem", "--num-generations", "2", "--batch-size", "2",
                     "--out", tmp_path / "o")
    assert f"{data}:1: field 'problem' missing" in renamed
    assert not checkpoints(tmp_path / "o")


def test_unknown_config_key_is_named(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("model: m\nout: o\nnum_generation: 8\n")
    msg = _fails("train", "grpo", "--config", config)
    assert "num_generation" in msg and "Extra inputs are not permitted" in msg
