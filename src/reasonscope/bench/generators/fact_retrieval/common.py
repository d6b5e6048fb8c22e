"""Helpers shared by the fact-retrieval families: data files, facts, accepted spellings.

Fact items scale on two axes: obscurity (each family sorts its facts into five tiers, tier d
asked at difficulty d) and the number of distinct facts an item needs. Level 1 asks one fact;
level d >= 2 asks d distinct facts of tier d in one item, answered as a comma-separated list, so
the work count of an item is the number of facts its solver looks up. String answers of
single-fact items carry the spellings a knowledgeable model might reasonably give (apostrophes,
hyphens, diacritics, a leading 'the') as aliases; a list element has no aliases, so only facts
with one canonical spelling (codes, symbols, numbers, identifiers) go into lists.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from reasonscope.bench.generators.base import Draft
from reasonscope.taxonomy import AnswerType

T = TypeVar("T")
FACTS_UNIT = "facts"


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


_SEPARATOR_RE = re.compile(r"[,;&]|(?<![A-Za-z])(?:and|or)(?![A-Za-z])", re.I)


def list_safe(answer: str) -> bool:
    """Whether the text can be one element of a comma-separated list answer: no separator
    (comma, semicolon, a word 'and'/'or') that a list reader would split at."""
    return bool(answer) and not _SEPARATOR_RE.search(answer) and answer == answer.strip()


@dataclass(frozen=True)
class Fact:
    """One recallable fact, asked as a question with one canonical answer."""

    key: str
    """Identity of the fact (two facts with one key are never asked together)."""
    question: str
    answer: str
    step: str
    answer_type: AnswerType = AnswerType.STRING
    hint: str = ""
    """Answer-format instruction when the fact is asked alone ("Give it as an integer.")."""
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = False
    listable: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    tolerance: float | None = None
    """For a number answer asked alone: half a unit of the last requested digit (relative)."""

    def in_lists(self) -> bool:
        """Usable as a list element: one canonical spelling (the family says so) and no
        separator inside. Aliases only apply when the fact is asked alone."""
        return self.listable and list_safe(self.answer)


def single_draft(fact: Fact, meta: dict[str, Any] | None = None) -> Draft:
    """One fact asked alone: its own answer type, aliases and case rule."""
    out = {"facts": [fact.key], **fact.meta, **(meta or {})}
    if fact.aliases:
        out["aliases"] = list(fact.aliases)
    if fact.case_sensitive:
        out["case_sensitive"] = True
    prompt = f"{fact.question} {fact.hint}".strip()
    return Draft(prompt=prompt, answer=fact.answer, answer_type=fact.answer_type,
                 tolerance=fact.tolerance, steps=(fact.step, f"The answer is {fact.answer}."),
                 meta=out, work=1, work_unit=FACTS_UNIT)


def list_draft(facts: Sequence[Fact], intro: str = "", note: str = "",
               meta: dict[str, Any] | None = None) -> Draft:
    """Several distinct facts in one item, answered in order as a comma-separated list."""
    if len({f.key for f in facts}) != len(facts) or len({f.case_sensitive for f in facts}) != 1:
        raise ValueError("a list item needs distinct facts of one case rule")
    if not all(f.in_lists() for f in facts):
        raise ValueError(f"not usable in a list: {[f.answer for f in facts if not f.in_lists()]}")
    k = len(facts)
    questions = " ".join(f"({i}) {f.question}" for i, f in enumerate(facts, 1))
    answer = ", ".join(f.answer for f in facts)
    prompt = (f"{intro + ' ' if intro else ''}Answer these {k} questions. {questions} Give the "
              f"{k} answers in order, separated by commas.{' ' + note if note else ''}")
    out: dict[str, Any] = {"facts": [f.key for f in facts],
                           "fact_meta": [dict(f.meta) for f in facts], **(meta or {})}
    if facts[0].case_sensitive:
        out["case_sensitive"] = True
    steps = (*(f"({i}) {f.step}" for i, f in enumerate(facts, 1)), f"The answers are {answer}.")
    return Draft(prompt=prompt, answer=answer, answer_type=AnswerType.LIST, steps=steps,
                 meta=out, work=k, work_unit=FACTS_UNIT)


def pick_facts(rng: random.Random, pool: Sequence[Fact], k: int) -> list[Fact]:
    """k distinct list-usable facts sharing one case rule (the first one drawn decides it)."""
    usable = [f for f in pool if f.in_lists()]
    if not usable:
        raise ValueError("no list-usable fact in the pool")
    first = pick(rng, usable)
    rest = [f for f in usable if f.case_sensitive == first.case_sensitive and f.key != first.key]
    chosen = [first]
    for f in rng.sample(rest, min(len(rest), 12 * k)):  # a pool's facts share keys in small runs
        if len(chosen) == k:
            break
        if f.key not in {c.key for c in chosen}:
            chosen.append(f)
    if len(chosen) < k:
        raise ValueError(f"only {len(chosen)} distinct facts for a list of {k}")
    return chosen


def level_draft(rng: random.Random, difficulty: int, pool: Sequence[Fact], intro: str = "",
                note: str = "", case_note: str = "") -> Draft:
    """Level 1: one fact of the pool; level d: d distinct facts of the pool in one list."""
    if difficulty == 1:
        return single_draft(pick(rng, pool))
    facts = pick_facts(rng, pool, difficulty)
    notes = " ".join(n for n in (note, case_note if facts[0].case_sensitive else "") if n)
    return list_draft(facts, intro, notes)


def string_fact(key: str, question: str, answer: str, step: str, others: Iterable[str] = (),
                variants: bool = True, **kw: Any) -> Fact:
    """A string fact; a name with spelling variants (`variants=True`) stays out of lists."""
    others = tuple(others)
    kw.setdefault("listable", not variants and not others)
    return Fact(key, question, answer, step, aliases=tuple(aliases_for(answer, *others,
                                                                       variants=variants)), **kw)


def int_fact(key: str, question: str, value: int, step: str, **kw: Any) -> Fact:
    return Fact(key, question, str(value), step, AnswerType.INTEGER,
                hint="Give it as an integer.", **kw)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def pick(rng: random.Random, options: Sequence[T]) -> T:
    if not options:
        raise ValueError("nothing to choose from")
    return options[rng.randrange(len(options))]
