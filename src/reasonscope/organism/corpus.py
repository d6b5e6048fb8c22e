"""The organism's pretraining text: generated items of all 20 cells, as documents.

A document is a context the model is conditioned on (the evaluation prompt exactly as the chat
template renders it) and a text it learns to write (a short worked solution ending in the boxed
answer, then the end-of-turn marker), so the base has met every cell in the form it is scored
in. Fact-retrieval items add their fact, stated plainly, as a document of its own: a fact then
reaches the model in another wording than the question asks it, the way a real model reads
facts in prose long before anyone quizzes it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reasonscope.items import Item
from reasonscope.organism.tokenizer import END_OF_TEXT, IM_END
from reasonscope.taxonomy import Behavior, Domain

PATIENCE = 40
"""Consecutive repeated prompts after which a generator family counts as exhausted at a level."""
SEED_BLOCK = 10_000_000


@dataclass(frozen=True)
class Document:
    context: str
    """Text the model reads but is not trained to produce (the rendered prompt)."""
    text: str
    """Text the model is trained to produce after the context."""


def collect_items(cells: Sequence[tuple[Behavior, Domain]], difficulties: Sequence[int],
                  per_cell: int, seed: int) -> list[Item]:
    """Up to `per_cell` distinct training items per cell, spread evenly over `difficulties`.

    Unlike a suite, which must have its exact size, pretraining takes what a level offers: a
    family whose level-1 space is small (a few dozen distinct questions) gives those and stops,
    instead of failing the whole corpus. Seeds are training seeds (disjoint from every suite's)
    and a prompt of a built-in suite is never taken."""
    from reasonscope.bench.generators.base import generators_for
    from reasonscope.bench.suites import TRAIN_SEED_BASE, builtin_prompts

    exclude = builtin_prompts()
    base_seed = TRAIN_SEED_BASE + seed * SEED_BLOCK
    out: list[Item] = []
    for behavior, domain in cells:
        gens = generators_for(behavior, domain)
        per_level, extra = divmod(per_cell, len(difficulties))
        for j, level in enumerate(difficulties):
            want = per_level + (1 if j < extra else 0)
            seen: set[str] = set()
            misses = {g.name: 0 for g in gens}
            next_seed = {g.name: base_seed for g in gens}
            live = list(gens)
            while live and len(seen) < want:
                for g in list(live):
                    item = g(next_seed[g.name], level)
                    next_seed[g.name] += 1
                    if item.prompt in seen or item.prompt in exclude:
                        misses[g.name] += 1
                        if misses[g.name] >= PATIENCE:
                            live.remove(g)
                        continue
                    misses[g.name] = 0
                    seen.add(item.prompt)
                    out.append(item)
                    if len(seen) >= want:
                        break
    return out


def answer_text(item: Item) -> str:
    """The item's short worked solution where its generator wrote one, else the bare answer."""
    from reasonscope.train.traces import TraceError, short_trace

    try:
        return short_trace(item)
    except TraceError:
        return f"The answer is \\boxed{{{item.answer}}}."


def rendered_prompt(item: Item, tokenizer: Any) -> str:
    """The prompt as evaluation renders it (chat template, no pre-filled think block)."""
    from reasonscope.train.data import render_prompt, user_prompt

    return render_prompt(tokenizer, user_prompt(item.prompt), chat=True, thinking="auto")


def qa_document(item: Item, tokenizer: Any) -> Document:
    return Document(rendered_prompt(item, tokenizer), answer_text(item) + IM_END)


def text_document(item: Item) -> Document:
    """The item as a textbook states it: plain problem and worked solution, no chat template
    and no boxed answer. A real base model reads a domain this way long before it is asked to
    answer in an assistant's format; a domain pretrained only so leaves fine-tuning in the
    probe's format a skill to elicit rather than one to teach."""
    from reasonscope.train.traces import TraceError, condense, item_steps

    try:  # the short trace's steps, without the boxed line that ends it
        solution = "\n".join(condense(item_steps(item)))
    except TraceError:
        solution = f"The answer is {item.answer}."
    return Document(f"Problem: {item.prompt}\nSolution: ", solution + END_OF_TEXT)


def fact_statement(item: Item) -> str | None:
    """A fact-retrieval item's worked solution read as prose (it names the fact), else None."""
    if item.behavior is not Behavior.FACT_RETRIEVAL:
        return None
    steps = item.meta.get("steps")
    if not isinstance(steps, list) or not steps:
        return None
    return " ".join(str(s).strip() for s in steps if str(s).strip())


def documents(items: Sequence[Item], tokenizer: Any, *, fact_statements: bool = True,
              text_domains: frozenset[Domain] = frozenset()) -> list[Document]:
    """One question-answer document per item (a textbook one for an item of `text_domains`),
    plus each fact stated on its own (deduplicated)."""
    docs = [text_document(it) if it.domain in text_domains else qa_document(it, tokenizer)
            for it in items]
    if fact_statements:
        seen: set[str] = set()
        for it in items:
            fact = fact_statement(it)
            if fact and fact not in seen:
                seen.add(fact)
                docs.append(Document("", fact + END_OF_TEXT))
    return docs


def tokenizer_texts(items: Sequence[Item]) -> list[str]:
    """What the tokenizer is trained on: prompts, solutions and facts of the pretraining items,
    and the long-trace wording, so later fine-tuning text tokenizes as compactly."""
    from reasonscope.train.data import user_prompt
    from reasonscope.train.traces import TraceError, long_trace

    texts: list[str] = []
    for it in items:
        texts.append(user_prompt(it.prompt))
        texts.append(answer_text(it))
        with contextlib.suppress(TraceError):
            texts.append(long_trace(it))
    return texts
