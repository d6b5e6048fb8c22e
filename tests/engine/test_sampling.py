"""Per-sequence sampling and the decoding loop of the hf backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from reasonscope.backends.decode import Sampling, decode
from reasonscope.backends.sampling import sample_tokens, uniform_streams


def _support(logits: torch.Tensor, **kw: Any) -> set[int]:
    u = torch.linspace(0, 0.999999, 4001, dtype=torch.float64)
    picks = sample_tokens(logits.expand(len(u), -1), u, **kw)
    return set(picks.tolist())


def test_greedy_and_filters_match_transformers() -> None:
    from transformers.generation.logits_process import (
        TemperatureLogitsWarper,
        TopKLogitsWarper,
        TopPLogitsWarper,
    )

    g = torch.Generator().manual_seed(0)
    logits = torch.randn(1, 50, generator=g) * 2
    u = torch.tensor([0.3], dtype=torch.float64)
    assert sample_tokens(logits, u, temperature=0, top_k=0, top_p=1.0).item() == \
        logits.argmax().item()
    for top_k, top_p in ((5, 1.0), (0, 0.5), (10, 0.8), (0, 0.95)):
        scores = TemperatureLogitsWarper(0.7)(None, logits.clone())
        if top_k:
            scores = TopKLogitsWarper(top_k)(None, scores)
        if top_p < 1:
            scores = TopPLogitsWarper(top_p)(None, scores)
        allowed = set(torch.isfinite(scores[0]).nonzero().squeeze(-1).tolist())
        got = _support(logits, temperature=0.7, top_k=top_k, top_p=top_p)
        assert got == allowed, (top_k, top_p)


def test_nucleus_from_the_top_candidates_equals_the_full_sort(monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    from reasonscope.backends import sampling

    g = torch.Generator().manual_seed(3)
    peaked = torch.randn(6, 1024, generator=g) * 3  # nuclei of 4 to 35 tokens: within 64
    flat = torch.randn(2, 1024, generator=g) * 0.1  # nucleus of hundreds of tokens
    u = torch.rand(8, generator=g, dtype=torch.float64)
    kw: dict[str, Any] = dict(temperature=0.6, top_k=0, top_p=0.95)
    picks = []
    for candidates in (64, 10**9):  # the fast path (with its fallback), then the full sort
        monkeypatch.setattr(sampling, "NUCLEUS_CANDIDATES", candidates)
        picks.append([sample_tokens(rows, u[: len(rows)], **kw).tolist()
                      for rows in (peaked, flat, torch.cat([peaked, flat]))])
    assert picks[0] == picks[1]
    for uu in torch.linspace(0, 0.999, 200, dtype=torch.float64):
        monkeypatch.setattr(sampling, "NUCLEUS_CANDIDATES", 64)
        a = sample_tokens(peaked, uu.expand(6), **kw)
        monkeypatch.setattr(sampling, "NUCLEUS_CANDIDATES", 10**9)
        assert torch.equal(a, sample_tokens(peaked, uu.expand(6), **kw))


def test_inverse_cdf_draws_follow_the_distribution() -> None:
    probs = torch.tensor([0.5, 0.3, 0.15, 0.05, 0.0])
    logits = torch.log(probs).unsqueeze(0)
    u = torch.rand(20000, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    picks = sample_tokens(logits.expand(len(u), -1), u, temperature=1.0, top_k=0, top_p=1.0)
    freq = torch.bincount(picks, minlength=5).double() / len(u)
    assert torch.allclose(freq, probs.double(), atol=0.015)
    assert freq[4] == 0  # never a zero-probability token, even at u -> 0 or 1
    edge = sample_tokens(logits.expand(2, -1), torch.tensor([0.0, 1 - 1e-12],
                         dtype=torch.float64), temperature=1.0, top_k=0, top_p=1.0)
    assert edge.tolist() == [0, 3]


def test_uniform_streams_are_per_seed() -> None:
    a = uniform_streams([5, 6, 7], 10, torch.device("cpu"))
    b = uniform_streams([7], 10, torch.device("cpu"))
    assert torch.equal(a[2], b[0]) and not torch.equal(a[0], a[1])


@pytest.fixture(scope="module")
def model_tok(tiny_model_dir: Path) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return (AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval(),
            AutoTokenizer.from_pretrained(tiny_model_dir))


def _prompts(tok: Any, n: int) -> list[list[int]]:
    texts = [f"Question {i}: what is {i} times {i + 3}?" + " more" * (i % 3) for i in range(n)]
    return [tok(t, add_special_tokens=False)["input_ids"] for t in texts]


def test_greedy_decode_equals_model_generate(model_tok: tuple[Any, Any]) -> None:
    model, tok = model_tok
    prompts = _prompts(tok, 5)
    outs = decode(model, prompts, [1] * 5, list(range(5)), Sampling(12, 0.0, 0, 1.0),
                  eos_ids=[], pad_id=tok.pad_token_id)
    enc = tok.pad({"input_ids": prompts}, return_tensors="pt")
    ref = model.generate(**enc, do_sample=False, max_new_tokens=12, eos_token_id=None,
                         pad_token_id=tok.pad_token_id)[:, enc["input_ids"].shape[1]:]
    assert [o.tokens for o in outs] == ref.tolist()
    assert all(o.finish_reason == "length" for o in outs)


def test_samples_do_not_depend_on_batch_neighbours(model_tok: tuple[Any, Any]) -> None:
    model, tok = model_tok
    prompts = _prompts(tok, 6)
    s = Sampling(20, 1.0, 0, 0.95)
    seeds = [100 + i for i in range(12)]
    together = decode(model, prompts, [2] * 6, seeds, s, eos_ids=[], pad_id=tok.pad_token_id)
    alone = decode(model, prompts[3:4], [2], seeds[6:8], s, eos_ids=[],
                   pad_id=tok.pad_token_id)
    # shared prefill of one prompt's samples == the prompt repeated
    repeated = decode(model, prompts[3:4] * 2, [1, 1], seeds[6:8], s, eos_ids=[],
                      pad_id=tok.pad_token_id)
    assert [o.tokens for o in together[6:8]] == [o.tokens for o in alone]
    assert [o.tokens for o in alone] == [o.tokens for o in repeated]
    assert together[6].tokens != together[7].tokens  # different seeds, different samples


def test_eos_and_stop_check_finish_sequences(model_tok: tuple[Any, Any]) -> None:
    model, tok = model_tok
    prompts = _prompts(tok, 4)
    s = Sampling(16, 1.0, 0, 1.0)
    free = decode(model, prompts, [1] * 4, [1, 2, 3, 4], s, eos_ids=[], pad_id=0)
    # make each sequence's 5th free-running token its end-of-sequence token
    eos = {o.tokens[4] for o in free}
    stopped = decode(model, prompts, [1] * 4, [1, 2, 3, 4], s, eos_ids=sorted(eos), pad_id=0)
    for f, o in zip(free, stopped, strict=True):
        cut = next(i for i, t in enumerate(f.tokens) if t in eos)
        assert o.tokens == f.tokens[:cut + 1] and o.finish_reason == "stop"
    by_len = decode(model, prompts, [1] * 4, [1, 2, 3, 4], s, eos_ids=[], pad_id=0,
                    stop_check=lambda ids: len(ids) >= 3)
    assert [o.tokens for o in by_len] == [f.tokens[:3] for f in free]
