"""The organism's pretraining pieces: the corpus, the batch plan, the schedule, and a loop that
resumes after an interruption to exactly the weights of an uninterrupted run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from reasonscope.bench.suites import builtin_prompts
from reasonscope.organism import corpus
from reasonscope.organism.model import build_model
from reasonscope.organism.pretrain import LoopSettings, batch_plan, encode, lr_at, train
from reasonscope.organism.tokenizer import build_tokenizer
from reasonscope.taxonomy import Behavior, Domain


def settings(**kw: Any) -> LoopSettings:
    base: dict[str, Any] = dict(steps=6, batch_tokens=512, lr=3e-3, warmup=2, min_lr_ratio=0.1,
                weight_decay=0.1, context_weight=0.1, max_length=256, seed=3,
                checkpoint_every=3)
    base.update(kw)
    return LoopSettings(**base)


def test_collect_items_takes_what_a_small_level_offers_and_no_eval_prompt() -> None:
    cells = [(Behavior.ENUMERATION, Domain.MATH), (Behavior.FACT_RETRIEVAL, Domain.SCIENCE)]
    items = corpus.collect_items(cells, (1,), per_cell=400, seed=0)
    prompts = [it.prompt for it in items]
    assert len(prompts) == len(set(prompts))
    assert not set(prompts) & builtin_prompts()
    assert {it.cell for it in items} == set(cells)
    assert corpus.collect_items(cells, (1,), per_cell=400, seed=0) == items  # deterministic


def test_documents_render_the_eval_prompt_and_state_facts() -> None:
    items = corpus.collect_items([(Behavior.FACT_RETRIEVAL, Domain.SCIENCE),
                                  (Behavior.CALCULATION, Domain.MATH)], (1,), 6, seed=0)
    tok = build_tokenizer(corpus.tokenizer_texts(items), vocab_size=400, split_digits=True)
    docs = corpus.documents(items, tok)
    qa = docs[: len(items)]
    assert all(d.context.endswith("<|im_start|>assistant\n") for d in qa)
    assert all("\\boxed{" in d.text and d.text.endswith("<|im_end|>") for d in qa)
    facts = [d for d in docs[len(items):]]
    assert facts and all(d.context == "" and d.text.endswith("<|endoftext|>") for d in facts)
    assert tok.tokenize("347") == ["3", "4", "7"]  # one token per digit


def test_text_domains_are_written_as_textbook_prose_without_the_eval_format() -> None:
    items = corpus.collect_items([(Behavior.SIMULATION, Domain.MATH),
                                  (Behavior.DIAGNOSTIC, Domain.CODING)], (1,), 4, seed=0)
    tok = build_tokenizer(corpus.tokenizer_texts(items), vocab_size=400, split_digits=True)
    docs = corpus.documents(items, tok, fact_statements=False,
                            text_domains=frozenset({Domain.MATH}))
    for it, d in zip(items, docs, strict=True):
        if it.domain is Domain.MATH:
            assert d.context == f"Problem: {it.prompt}\nSolution: "
            assert "<|im_start|>" not in d.text and "\\boxed{" not in d.text
            assert d.text.endswith("<|endoftext|>") and it.answer in d.text
        else:
            assert d == corpus.qa_document(it, tok)


def test_batch_plan_is_seeded_and_respects_the_token_budget() -> None:
    lengths = [5 + (i * 37) % 90 for i in range(300)]
    plan = batch_plan(lengths, batch_tokens=400, steps=50, seed=1)
    assert plan == batch_plan(lengths, batch_tokens=400, steps=50, seed=1)
    assert plan != batch_plan(lengths, batch_tokens=400, steps=50, seed=2)
    assert len(plan) == 50
    for batch in plan:
        assert len(batch) == 1 or max(lengths[i] for i in batch) * len(batch) <= 400
    first_epoch = sorted(i for b in plan[: len(plan)] for i in b)[:300]
    assert len(set(first_epoch)) > 250  # an epoch visits the documents once each


def test_lr_schedule_warms_up_then_decays_to_the_floor() -> None:
    s = settings(steps=100, warmup=10, lr=1.0, min_lr_ratio=0.1)
    assert lr_at(0, s) == pytest.approx(0.1)
    assert lr_at(9, s) == pytest.approx(1.0)
    assert lr_at(99, s) == pytest.approx(0.1, abs=1e-3)
    assert all(lr_at(i, s) >= lr_at(i + 1, s) for i in range(10, 99))


class Interrupt(RuntimeError):
    pass


def _setup() -> tuple[Any, list[Any], int]:
    items = corpus.collect_items([(Behavior.CALCULATION, Domain.MATH),
                                  (Behavior.SIMULATION, Domain.GENERAL)], (1,), 12, seed=0)
    tok = build_tokenizer(corpus.tokenizer_texts(items), vocab_size=400)
    encoded = encode(corpus.documents(items, tok), tok, 256)
    return tok, encoded, int(tok.pad_token_id)


def test_interrupted_pretraining_resumes_to_the_same_weights(tmp_path: Path) -> None:
    tok, encoded, pad = _setup()
    s = settings()

    def fresh() -> torch.nn.Module:
        return build_model(tok, hidden_size=32, num_layers=1, intermediate_size=64, seed=0)

    whole = fresh()
    losses = train(whole, encoded, s, tmp_path / "a", pad_id=pad)
    assert len(losses) == 6 and losses[-1] < losses[0]

    def stop_at_5(step: int, loss: float) -> None:
        if step == 5:
            raise Interrupt
    (tmp_path / "b").mkdir()
    with pytest.raises(Interrupt):
        train(fresh(), encoded, s, tmp_path / "b", pad_id=pad, on_step=stop_at_5)
    assert (tmp_path / "b" / "pretrain-state.pt").exists()  # saved at step 3
    resumed = fresh()
    again = train(resumed, encoded, s, tmp_path / "b", pad_id=pad)
    assert again == pytest.approx(losses, rel=1e-5)
    for (name, p), q in zip(whole.state_dict().items(), resumed.state_dict().values(),
                            strict=True):
        assert torch.allclose(p, q, atol=1e-6), name
