"""Loading the base checkpoint and keeping every saved checkpoint in its dtype.

Parameter diffs between a base and a tuned model are only meaningful when both are stored in the
same dtype: an fp32 checkpoint of a bf16 base differs from it almost everywhere even where
training changed nothing. TRL loads models in fp32 unless told otherwise, so the base dtype is
read from the safetensors headers (what is actually stored, not what config.json claims) and
enforced on every checkpoint as it is written.
"""

from __future__ import annotations

import json
import logging
import re
import struct
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

SAFETENSORS_DTYPES = {"F32": "float32", "BF16": "bfloat16", "F16": "float16", "F64": "float64"}
CHECKPOINT_RE = re.compile(r"^checkpoint-(\d+)$")


class ModelDirError(ValueError):
    pass


def safetensors_files(model_dir: Path) -> list[Path]:
    files = sorted(Path(model_dir).glob("*.safetensors"))
    if not files:
        raise ModelDirError(f"{model_dir}: no *.safetensors weights (a saved model directory "
                            "is expected)")
    return files


def safetensors_header(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header: dict[str, Any] = json.loads(fh.read(size))
    header.pop("__metadata__", None)
    return header


def stored_dtypes(model_dir: Path) -> Counter[str]:
    """Floating-point parameter counts per stored dtype, over all shards."""
    counts: Counter[str] = Counter()
    for path in safetensors_files(model_dir):
        for info in safetensors_header(path).values():
            name = SAFETENSORS_DTYPES.get(info["dtype"])
            if name:
                numel = 1
                for dim in info["shape"]:
                    numel *= dim
                counts[name] += numel
    return counts


def base_dtype(model_dir: Path) -> str:
    """The dtype the weights are stored in (the one holding most parameters)."""
    counts = stored_dtypes(model_dir)
    if not counts:
        raise ModelDirError(f"{model_dir}: no floating-point tensors in the weights")
    return counts.most_common(1)[0][0]


def torch_dtype(name: str) -> torch.dtype:
    import torch

    return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16,
            "float64": torch.float64}[name]


def load_tokenizer(model_dir: Path | str) -> PreTrainedTokenizerBase:
    """Left padding (GRPO generation needs it; SFT's collator pads on its own), a pad token."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir), padding_side="left")
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok


def load_model(model_dir: Path | str, dtype: str) -> PreTrainedModel:
    from transformers import AutoModelForCausalLM

    model: PreTrainedModel = AutoModelForCausalLM.from_pretrained(str(model_dir),
                                                                  dtype=torch_dtype(dtype))
    return model


def checkpoints(train_dir: Path) -> list[tuple[int, Path]]:
    """`checkpoint-N` directories with weights, by step."""
    found = []
    if Path(train_dir).is_dir():
        for p in Path(train_dir).iterdir():
            m = CHECKPOINT_RE.match(p.name)
            if m and p.is_dir() and any(p.glob("*.safetensors")):
                found.append((int(m.group(1)), p))
    return sorted(found)


def enforce_dtype(checkpoint: Path, dtype: str) -> int:
    """Cast any floating tensor not stored in `dtype`; returns how many shards were rewritten."""
    from safetensors.torch import load_file, save_file

    target = torch_dtype(dtype)
    rewritten = 0
    for path in safetensors_files(checkpoint):
        header = safetensors_header(path)
        if all(SAFETENSORS_DTYPES.get(i["dtype"], dtype) == dtype for i in header.values()):
            continue
        tensors = load_file(str(path))
        cast = {k: (v.to(target) if v.is_floating_point() else v).contiguous()
                for k, v in tensors.items()}
        tmp = path.with_name(f".{path.name}.tmp")
        save_file(cast, str(tmp), metadata={"format": "pt"})
        tmp.replace(path)
        rewritten += 1
        log.info("%s: cast to %s", path, dtype)
    if rewritten:
        _set_config_dtype(checkpoint / "config.json", dtype)
        _set_index_size(checkpoint)
    return rewritten


def _set_index_size(checkpoint: Path) -> None:
    """A sharded checkpoint's index states the total byte size, which casting changed."""
    from reasonscope.fsutil import atomic_write_text

    for index in checkpoint.glob("*.safetensors.index.json"):
        data = json.loads(index.read_text(encoding="utf-8"))
        total = 0
        for path in safetensors_files(checkpoint):
            for info in safetensors_header(path).values():
                start, end = info["data_offsets"]
                total += end - start
        data.setdefault("metadata", {})["total_size"] = total
        atomic_write_text(index, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _set_config_dtype(path: Path, dtype: str) -> None:
    if not path.exists():
        return
    from reasonscope.fsutil import atomic_write_text

    config = json.loads(path.read_text(encoding="utf-8"))
    for key in ("dtype", "torch_dtype"):
        if key in config:
            config[key] = dtype
    atomic_write_text(path, json.dumps(config, indent=2, sort_keys=True) + "\n")
