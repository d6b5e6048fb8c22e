"""Helpers shared by the fact-retrieval families: data files, accepted spellings, tiers.

Fact items scale by obscurity, not by computation: each family sorts its facts into five tiers
(tier d is asked at difficulty d), and string answers carry the spellings a knowledgeable model
might reasonably give (apostrophes, hyphens, diacritics, a leading 'the') as aliases.
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from reasonscope.bench.generators.base import Draft
from reasonscope.taxonomy import AnswerType

T = TypeVar("T")


@cache
def load_facts(name: str) -> Any:
    """A JSON table from reasonscope/data/facts (parsed once per process)."""
    text = resources.files("reasonscope").joinpath("data", "facts", name).read_text("utf-8")
    return json.loads(text)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def spellings(name: str) -> set[str]:
    """Typographic variants of one name (quotes, dashes, accents, leading article)."""
    out = {name}
    for s in list(out):
        out |= {s.replace("'", "’"), s.replace("’", "'"), s.replace("'", "").replace("’", "")}
    for s in list(out):
        out |= {s.replace("–", "-"), s.replace("-", " ").replace("–", " ")}
    out |= {strip_accents(s) for s in list(out)}
    if " " in name:
        out |= {s[4:] if s.lower().startswith("the ") else "the " + s for s in list(out)}
    return out


def aliases_for(answer: str, *others: str, variants: bool = True) -> list[str]:
    """Every accepted spelling other than the canonical answer, deduplicated case-insensitively.

    `variants=False` is for codes and symbols, where only the listed alternatives are valid.
    """
    seen = {answer.casefold()}
    out: list[str] = []
    for name in (answer, *others):
        for s in sorted(spellings(name)) if variants else [name]:
            if s.casefold() not in seen:
                seen.add(s.casefold())
                out.append(s)
    return out


def string_draft(prompt: str, answer: str, others: Iterable[str] = (),
                 steps: Sequence[str] = (), meta: dict[str, Any] | None = None,
                 variants: bool = True) -> Draft:
    meta = dict(meta or {})
    aliases = aliases_for(answer, *others, variants=variants)
    if aliases:
        meta["aliases"] = aliases
    return Draft(prompt=prompt, answer=answer, answer_type=AnswerType.STRING, steps=tuple(steps),
                 meta=meta)


def int_draft(prompt: str, value: int, steps: Sequence[str] = (),
              meta: dict[str, Any] | None = None) -> Draft:
    return Draft(prompt=prompt, answer=str(value), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=dict(meta or {}))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def pick(rng: random.Random, options: Sequence[T]) -> T:
    if not options:
        raise ValueError("nothing to choose from")
    return options[rng.randrange(len(options))]
