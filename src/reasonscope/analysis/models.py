"""Loading causal LMs for teacher-forced analyses, and the few model internals they need.

The analyses never ask a model for the full (batch, length, vocabulary) logits: they run the
backbone, pick the hidden states they need, and apply the output head to chunks of positions,
so memory is bounded by a chunk whatever the vocabulary (152k for Qwen) or the text length.
`check_head` verifies once per model that backbone + head reproduces the model's own logits,
so an architecture with an unusual head (scaling, soft-capping) fails loudly, not silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from reasonscope.fingerprint import tokenizer_fingerprint

DTYPES = ("float32", "bfloat16", "float16")


class TokenizerMismatchError(ValueError):
    """Two checkpoints do not map text to the same token ids: per-token comparisons between
    them would compare unrelated tokens."""


def resolve_device(device: str | None) -> torch.device:
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _local(path: Path | str) -> str:
    """Analyses read local checkpoints only (no hub download is attempted)."""
    if not Path(path).is_dir():
        raise FileNotFoundError(f"{path}: no such model directory")
    return str(path)


def load_tokenizer(path: Path | str) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(_local(path))


def load_lm(path: Path | str, device: torch.device, dtype: str = "float32") -> Any:
    """A causal LM in eval mode on `device`; fp32 by default (the analyses' definitions)."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    model: Any = AutoModelForCausalLM.from_pretrained(_local(path), dtype=getattr(torch, dtype))
    return model.to(device).eval()


def _tokenizer_model(tok: Any) -> Any:
    """The tokenization model (vocab + merges) without added-token and template settings."""
    backend = getattr(tok, "backend_tokenizer", None)
    if backend is None:
        return None
    return json.loads(backend.to_str()).get("model")


def check_same_tokenizer(tok_a: Any, tok_b: Any, path_a: Path | str, path_b: Path | str
                         ) -> None:
    """Same vocabulary, same added tokens, same merges; raise naming both paths otherwise."""
    dirs = (Path(path_a), Path(path_b))
    if all(d.is_dir() for d in dirs) and tokenizer_fingerprint(dirs[0]) == \
            tokenizer_fingerprint(dirs[1]):
        return
    va, vb = tok_a.get_vocab(), tok_b.get_vocab()
    if va != vb:
        only_a = sorted(set(va) - set(vb))
        moved = sorted(t for t in set(va) & set(vb) if va[t] != vb[t])
        example = (f"{only_a[0]!r} is only in {path_a}" if only_a else
                   f"{moved[0]!r} is id {va[moved[0]]} in {path_a} but {vb[moved[0]]} in "
                   f"{path_b}" if moved else f"{path_b} has tokens {path_a} lacks")
        raise TokenizerMismatchError(
            f"tokenizers differ: {path_a} has {len(va)} tokens, {path_b} has {len(vb)}; "
            f"{example}. Token-level comparisons need one tokenizer.")
    if _tokenizer_model(tok_a) != _tokenizer_model(tok_b):
        raise TokenizerMismatchError(
            f"tokenizers of {path_a} and {path_b} share a vocabulary but not their merge "
            "rules: the same text would tokenize differently.")


def check_same_vocab_dims(model_a: Any, model_b: Any, path_a: Path | str, path_b: Path | str
                          ) -> None:
    na = model_a.get_output_embeddings().weight.shape[0]
    nb = model_b.get_output_embeddings().weight.shape[0]
    if na != nb:
        raise TokenizerMismatchError(f"output heads differ: {path_a} predicts {na} tokens, "
                                     f"{path_b} predicts {nb}")


def head_logits(model: Any, hidden: torch.Tensor) -> torch.Tensor:
    """The model's logits for these final hidden states, in fp32."""
    logits = model.get_output_embeddings()(hidden).float()
    cap = getattr(model.config, "final_logit_softcapping", None)
    if cap:
        logits = torch.tanh(logits / cap) * cap
    return logits


def check_head(model: Any, path: Path | str, ids: Sequence[int]) -> None:
    """Backbone + head must equal the model's own forward (one short sequence)."""
    device = next(model.parameters()).device
    x = torch.tensor([list(ids)[:32] or [0]], device=device)
    with torch.inference_mode():
        full = model(input_ids=x).logits.float()
        ours = head_logits(model, model.base_model(input_ids=x).last_hidden_state)
    scale = float(full.abs().max()) or 1.0
    if float((full - ours).abs().max()) > 1e-3 * scale + 1e-4:
        raise ValueError(f"{path}: its output head is not a plain projection of the last hidden "
                         "state (logit scaling or soft-capping this tool does not know)")


def decoder_layers(model: Any) -> Any:
    """The ModuleList of transformer blocks (model.model.layers for Llama/Qwen families)."""
    n = getattr(model.config, "num_hidden_layers", None)
    for attr in ("layers", "h", "blocks"):
        layers = getattr(model.base_model, attr, None)
        if isinstance(layers, torch.nn.ModuleList) and (n is None or len(layers) == n):
            return layers
    raise ValueError(f"cannot find the decoder layers of {type(model).__name__}")


@dataclass(frozen=True)
class Encoded:
    """One text as ids: prompt tokens then completion tokens (no special tokens added)."""

    index: int
    ids: list[int]
    n_prompt: int
    truncated: bool = False


def encode_pair(tok: Any, index: int, prompt: str, completion: str,
                max_length: int | None = None) -> Encoded:
    """ids = tokens(prompt) + tokens(completion), each tokenized on its own without special
    tokens (DESIGN section 8); a text longer than max_length loses its completion's tail."""
    p = list(tok(prompt, add_special_tokens=False)["input_ids"]) if prompt else []
    c = list(tok(completion, add_special_tokens=False)["input_ids"]) if completion else []
    ids = p + c
    truncated = max_length is not None and len(ids) > max_length
    if truncated and max_length is not None:
        ids = ids[:max_length]
    return Encoded(index, ids, min(len(p), len(ids)), truncated)


def batches(encoded: Sequence[Encoded], batch_size: int, max_batch_tokens: int
            ) -> Iterator[list[Encoded]]:
    """Longest first (an out-of-memory batch fails at once), at most batch_size texts and
    max_batch_tokens padded tokens per batch."""
    order = sorted(encoded, key=lambda e: (-len(e.ids), e.index))
    batch: list[Encoded] = []
    for e in order:
        width = max([len(x.ids) for x in batch] + [len(e.ids)])
        if batch and (len(batch) >= batch_size or width * (len(batch) + 1) > max_batch_tokens):
            yield batch
            batch = []
        batch.append(e)
    if batch:
        yield batch


def pad_batch(batch: Sequence[Encoded], pad_id: int, device: torch.device
              ) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded ids and attention mask (positions stay 0..n-1 for every text)."""
    width = max(len(e.ids) for e in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, e in enumerate(batch):
        ids[row, :len(e.ids)] = torch.tensor(e.ids, dtype=torch.long)
        mask[row, :len(e.ids)] = 1
    return ids.to(device), mask.to(device)


def pad_id(tok: Any) -> int:
    for value in (tok.pad_token_id, tok.eos_token_id):
        if isinstance(value, int):
            return value
    return 0
