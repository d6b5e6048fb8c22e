"""The base dtype is read from the stored weights and every checkpoint is kept in it."""

from __future__ import annotations

import json
from pathlib import Path

from reasonscope.train.modelio import base_dtype, checkpoints, enforce_dtype, stored_dtypes


def test_cast_sharded_checkpoint_to_base_dtype(tiny_model_dir: Path, tmp_path: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    assert base_dtype(tiny_model_dir) == "float32"
    ckpt = tmp_path / "checkpoint-7"
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir, dtype=torch.float32)
    model.save_pretrained(ckpt, max_shard_size="100KB")
    assert len(list(ckpt.glob("*.safetensors"))) > 1
    assert enforce_dtype(ckpt, "bfloat16") == len(list(ckpt.glob("*.safetensors")))
    assert set(stored_dtypes(ckpt)) == {"bfloat16"} and base_dtype(ckpt) == "bfloat16"
    assert json.loads((ckpt / "config.json").read_text())["dtype"] == "bfloat16"
    reloaded = AutoModelForCausalLM.from_pretrained(ckpt)
    assert reloaded.dtype == torch.bfloat16
    for (name, a), b in zip(model.state_dict().items(), reloaded.state_dict().values(),
                            strict=True):
        assert torch.equal(a.to(torch.bfloat16), b), name
    assert enforce_dtype(ckpt, "bfloat16") == 0  # already in the base dtype: untouched
    assert checkpoints(tmp_path) == [(7, ckpt)]
