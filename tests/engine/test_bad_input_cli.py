"""`reasonscope eval` on bad input: one clear line, exit 2, and nothing written that would block
the same --out once the input is fixed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasonscope.cli import app
from reasonscope.items import Item, write_items

runner = CliRunner()


def _eval(model: Path, suite: Path, out: Path, *extra: str) -> tuple[int, str]:
    res = runner.invoke(app, ["eval", "--model", str(model), "--suite", str(suite), "--out",
                              str(out), "--max-new-tokens", "4", "--quiet", *extra])
    return res.exit_code, res.output


def _one_line_error(code: int, output: str) -> str:
    assert code == 2, output
    assert "Traceback" not in output
    lines = [ln for ln in output.splitlines() if ln.strip()]
    assert len(lines) <= 3 and lines[0].startswith("error:"), output
    return output


def test_out_is_a_file_or_read_only(tiny_model_dir: Path, tiny_suite_file: Path,
                                    tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    text = _one_line_error(*_eval(tiny_model_dir, tiny_suite_file, target))
    assert "a-file" in text
    if os.geteuid() != 0:  # root ignores directory permissions
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        _one_line_error(*_eval(tiny_model_dir, tiny_suite_file, ro / "run"))


def test_truncated_weights_fail_before_anything_is_written(tiny_model_dir: Path,
                                                           tiny_suite_file: Path,
                                                           tmp_path: Path) -> None:
    broken = tmp_path / "model"
    shutil.copytree(tiny_model_dir, broken)
    weights = broken / "model.safetensors"
    good = weights.read_bytes()
    weights.write_bytes(good[: len(good) // 3])
    out = tmp_path / "run"
    text = _one_line_error(*_eval(broken, tiny_suite_file, out))
    assert "cannot load the model weights" in text and "model" in text
    assert not (out / "manifest.json").exists()
    weights.write_bytes(good)  # fixed: the same --out now works
    code, output = _eval(broken, tiny_suite_file, out)
    assert code == 0, output


def test_missing_tokenizer_is_named(tiny_model_dir: Path, tiny_suite_file: Path,
                                    tmp_path: Path) -> None:
    bare = tmp_path / "model"
    bare.mkdir()
    for name in ("config.json", "model.safetensors", "generation_config.json"):
        if (tiny_model_dir / name).exists():
            shutil.copy(tiny_model_dir / name, bare / name)
    out = tmp_path / "run"
    text = _one_line_error(*_eval(bare, tiny_suite_file, out))
    assert "tokenizer" in text
    assert not (out / "manifest.json").exists()


@pytest.mark.parametrize("size", [5_000_000, 3_000])
def test_oversized_prompt_is_refused_up_front(tiny_model_dir: Path, tmp_path: Path,
                                              tiny_items: list[Item], size: int) -> None:
    from reasonscope.taxonomy import AnswerType, Behavior, Domain

    huge = Item.create(behavior=Behavior.CALCULATION, domain=Domain.MATH, difficulty=1,
                       prompt="Compute 1 + 1. " + "pad " * (size // 4), answer="2",
                       answer_type=AnswerType.INTEGER, source="tests@1+0")
    suite = tmp_path / "suite.jsonl"
    write_items([*tiny_items[:2], huge], suite)
    out = tmp_path / "run"
    text = _one_line_error(*_eval(tiny_model_dir, suite, out, "--max-prompt-tokens", "256"))
    assert huge.id in text and "limit" in text
    assert not (out / "manifest.json").exists()


@pytest.mark.parametrize("flags,field", [(["--temperature", "inf"], "temperature"),
                                         (["--batch-size", "0"], "batch-size"),
                                         (["--samples", "0"], "samples"),
                                         (["--cells", "nope/math"], "cells")])
def test_bad_settings_are_refused(tiny_model_dir: Path, tiny_suite_file: Path, tmp_path: Path,
                                  flags: list[str], field: str) -> None:
    code, output = _eval(tiny_model_dir, tiny_suite_file, tmp_path / "run", *flags)
    assert code == 2 and "Traceback" not in output, output
    assert field.split("-")[0] in output
    assert not (tmp_path / "run").exists()
