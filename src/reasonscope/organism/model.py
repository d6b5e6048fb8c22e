"""A tiny Qwen3-architecture causal LM: the same code paths as a real Qwen3 checkpoint (chat
template, thinking switch, safetensors layout, GQA, tied embeddings), small enough that tests and
the demo can build, train and evaluate it on a CPU in seconds."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonscope.organism.tokenizer import END_OF_TEXT, IM_END, build_tokenizer

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerFast, Qwen3ForCausalLM


def build_model(
    tokenizer: PreTrainedTokenizerFast,
    *,
    hidden_size: int = 64,
    num_layers: int = 2,
    num_heads: int = 4,
    num_kv_heads: int = 2,
    intermediate_size: int = 128,
    max_position_embeddings: int = 2048,
    seed: int = 0,
) -> Qwen3ForCausalLM:
    """Randomly initialised weights from `seed`, without touching the global RNG state."""
    import torch
    from transformers import GenerationConfig, Qwen3Config, Qwen3ForCausalLM

    if hidden_size % num_heads or num_heads % num_kv_heads:
        raise ValueError("hidden_size must divide by num_heads, num_heads by num_kv_heads")
    eos_ids = [tokenizer.convert_tokens_to_ids(t) for t in (IM_END, END_OF_TEXT)]
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=hidden_size,
        intermediate_size=intermediate_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        num_key_value_heads=num_kv_heads,
        head_dim=hidden_size // num_heads,
        max_position_embeddings=max_position_embeddings,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=eos_ids[0],
        pad_token_id=tokenizer.pad_token_id,
        dtype="float32",
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Qwen3ForCausalLM(config)
    model.generation_config = GenerationConfig(
        eos_token_id=eos_ids, pad_token_id=tokenizer.pad_token_id, bos_token_id=None,
    )
    return model.eval()


def save_pretrained_tiny(out_dir: Path | str, corpus: Iterable[str] | None = None,
                         *, vocab_size: int = 1024, **kw: Any) -> Path:
    """Build tokenizer + model and save both (safetensors) where `from_pretrained` finds them.

    Without a corpus the tokenizer is trained on generated items of every cell (training seeds),
    so it covers the vocabulary of the built-in suites."""
    out = Path(out_dir)
    texts = list(corpus) if corpus is not None else default_corpus()
    tokenizer = build_tokenizer(texts, vocab_size=vocab_size)
    model = build_model(tokenizer, **kw)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    return out


def default_corpus(per_cell: int = 5) -> list[str]:
    """Prompts and boxed answers of generated training items from all 20 cells."""
    from reasonscope.bench.suites import training_items
    from reasonscope.taxonomy import DOMAINS

    items = training_items(domains=DOMAINS, per_cell=per_cell)
    if not items:
        raise ValueError("no item generators are registered; pass a corpus")
    return [f"{it.prompt}\n\\boxed{{{it.answer}}}" for it in items]


def make_tiny_model(out_dir: Path | str, *, seed: int = 0, **shape: Any) -> Path:
    """A random-weight tiny Qwen3 with its tokenizer, saved in `out_dir` (no download).

    Models made with different seeds share the tokenizer (it is trained on the same generated
    corpus), so they can be compared item by item; for trying the API, not for measuring."""
    return save_pretrained_tiny(out_dir, seed=seed, **shape)
