"""The tiny model organism: a tokenizer and Qwen3 checkpoint that load like real ones."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from reasonscope.organism import build_model, build_tokenizer, save_pretrained_tiny


def test_tokenizer_markers_and_template(tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    assert tok.padding_side == "left"  # survives save/load
    assert len(tok) <= 1024
    for marker in ("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "</think>"):
        ids = tok(marker, add_special_tokens=False)["input_ids"]
        assert len(ids) == 1, marker
    assert tok.eos_token == "<|im_end|>"
    assert tok.pad_token_id is not None and tok.pad_token_id != tok.eos_token_id
    msgs = [{"role": "user", "content": "What is 2+2?"}]
    on = tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True,
                                 enable_thinking=True)
    off = tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True,
                                  enable_thinking=False)
    assert on == "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n"
    assert off == on + "<think>\n\n</think>\n\n"
    # think tags are ordinary tokens: decoding keeps them, the scorer must see them
    ids = tok("<think>x</think> \\boxed{4}<|im_end|>", add_special_tokens=False)["input_ids"]
    assert tok.decode(ids, skip_special_tokens=True) == "<think>x</think> \\boxed{4}"


def test_roundtrip_of_arbitrary_text(tiny_model_dir: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    text = "Ünïcode → ∑ x² ≤ 10; 中文; tabs\tand\nnewlines"
    assert tok.decode(tok(text, add_special_tokens=False)["input_ids"]) == text


def test_model_config_and_seed(tiny_model_dir: Path, tiny_model_dir_b: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    cfg = json.loads((tiny_model_dir / "config.json").read_text())
    assert cfg["architectures"] == ["Qwen3ForCausalLM"]
    assert (cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"],
            cfg["num_key_value_heads"], cfg["intermediate_size"]) == (64, 2, 4, 2, 128)
    assert (tiny_model_dir / "model.safetensors").is_file()
    a = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    b = AutoModelForCausalLM.from_pretrained(tiny_model_dir_b)
    assert a.config.vocab_size == b.config.vocab_size
    wa, wb = a.model.embed_tokens.weight, b.model.embed_tokens.weight
    assert not torch.equal(wa, wb)
    assert a.generation_config.eos_token_id  # im_end and endoftext stop generation


def test_build_is_deterministic_and_keeps_global_rng() -> None:
    import torch

    tok = build_tokenizer(["alpha beta gamma"] * 20 + ["delta epsilon"] * 20, vocab_size=300)
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    m1 = build_model(tok, seed=7)
    after = torch.rand(3)
    m2 = build_model(tok, seed=7)
    assert torch.equal(expected, after)
    for p1, p2 in zip(m1.parameters(), m2.parameters(), strict=True):
        assert torch.equal(p1, p2)


def test_vocab_size_floor() -> None:
    with pytest.raises(ValueError, match="vocab_size"):
        build_tokenizer(["x"], vocab_size=100)


def test_save_is_fast(tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM

    start = time.perf_counter()
    out = save_pretrained_tiny(tmp_path / "m", ["some text for the tokenizer"] * 50, seed=3)
    assert time.perf_counter() - start < 5
    assert AutoModelForCausalLM.from_pretrained(out).num_parameters() > 0


def test_default_corpus_covers_every_cell() -> None:
    from reasonscope.bench.suites import training_items
    from reasonscope.organism import default_corpus
    from reasonscope.taxonomy import CELLS, DOMAINS

    texts = default_corpus(per_cell=1)
    assert len(texts) == len(CELLS)
    items = training_items(domains=DOMAINS, per_cell=1)
    assert {i.cell for i in items} == set(CELLS)
    assert all(t.endswith("}") and "\\boxed{" in t for t in texts)
