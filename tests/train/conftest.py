"""Base models for the training tests: the shared tiny Qwen3 (fp32) and a bf16 copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rs_trainkit import qa_rows, write_jsonl


@pytest.fixture(scope="session")
def base_fp32(tiny_model_dir: Path) -> Path:
    return tiny_model_dir


@pytest.fixture(scope="session")
def base_bf16(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same weights stored in bf16: what a 16-bit released checkpoint looks like."""
    import torch
    from transformers import AutoModelForCausalLM

    out = tmp_path_factory.mktemp("base-bf16")
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.bfloat16)
    model.save_pretrained(out, safe_serialization=True)
    for f in tiny_model_dir.iterdir():
        if f.is_file() and not (out / f.name).exists():
            shutil.copy2(f, out / f.name)
    return out


@pytest.fixture()
def qa_file(tmp_path: Path) -> Path:
    """A user's math file: question / golden_answer / solution fields."""
    return write_jsonl(tmp_path / "qa.jsonl", qa_rows())
