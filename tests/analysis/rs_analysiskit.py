"""Builders for the analysis tests: checkpoints (single file or sharded with an index) and run
directories in the store's real format."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save_file

from reasonscope.engine import store


def write_checkpoint(out: Path, tensors: Mapping[str, torch.Tensor], *, shards: int = 1,
                     config: Mapping[str, Any] | None = None) -> Path:
    """`out/model.safetensors`, or `shards` files plus model.safetensors.index.json."""
    out.mkdir(parents=True, exist_ok=True)
    names = list(tensors)
    if shards == 1:
        save_file({k: v.contiguous() for k, v in tensors.items()}, str(out / "model.safetensors"))
    else:
        weight_map = {}
        per = -(-len(names) // shards)
        for s in range(shards):
            part = names[s * per:(s + 1) * per]
            fname = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            save_file({k: tensors[k].contiguous() for k in part}, str(out / fname))
            weight_map.update({k: fname for k in part})
        (out / "model.safetensors.index.json").write_text(json.dumps(
            {"metadata": {}, "weight_map": weight_map}))
    if config is not None:
        (out / "config.json").write_text(json.dumps(dict(config)))
    return out


def copy_tokenizer(src: Path, dst: Path) -> None:
    for f in src.iterdir():
        if f.is_file() and not f.name.endswith(".safetensors") and f.name != "config.json":
            shutil.copy2(f, dst / f.name)


def sample_row(run_id: str, model: str, item_id: str, behavior: str, domain: str, index: int,
               prompt: str, completion: str, *, correct: bool = True, status: str = "ok",
               finish: str = "stop", tokens: int | None = 10) -> dict[str, Any]:
    fp = hashlib.sha256(model.encode()).hexdigest()[:16]
    return {"run_id": run_id, "model": model, "fingerprint": fp, "step": None,
            "gen_config_hash": "g0", "item_id": item_id, "behavior": behavior,
            "domain": domain, "difficulty": 1, "sample_index": index, "seed": index,
            "prompt": prompt, "completion": completion, "extracted": "1",
            "parse_status": status, "correct": correct, "finish_reason": finish,
            "prompt_tokens": 5, "completion_tokens": tokens, "latency_s": 0.0}


def write_run(root: Path, name: str, rows: Sequence[dict[str, Any]], *, model: str,
              backend: str = "hf", backend_info: Mapping[str, Any] | None = None,
              gen_config: Mapping[str, Any] | None = None, step: int | None = None) -> Path:
    run_dir = root / name
    fp = hashlib.sha256(model.encode()).hexdigest()[:16]
    manifest = store.RunManifest(run_id=f"{name}-run", model=model, fingerprint=fp, step=step,
                                 backend=backend, gen_config=dict(gen_config or {}),
                                 gen_config_hash="g0", suite="tests", suite_hash="s0")
    if backend_info is not None:
        manifest = manifest.model_copy(update={"backend_info": dict(backend_info)})
    store.write_manifest(run_dir, manifest)
    store.write_shard(run_dir, list(rows))
    return run_dir
