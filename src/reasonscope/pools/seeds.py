"""Seed items: a few hand-written questions per cell, each isolating its behavior.

They are the queries of retrieval (section 7 of the design): a seed's query text is its prompt,
the behavior's keywords and one template sentence naming the behavior and domain, so that what
a pool item is matched on is the kind of work it asks for, not only its topic. Every seed is a
valid Item with a checked answer and a one-line rationale saying what it isolates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from reasonscope.items import Item
from reasonscope.taxonomy import CELLS, AnswerType, Behavior, Domain

SEED_FIELDS = ("id", "behavior", "domain", "prompt", "answer", "answer_type", "rationale", "meta")

BEHAVIOR_KEYWORDS: dict[Behavior, str] = {
    Behavior.CALCULATION: "compute, calculate, evaluate, exact arithmetic, apply the formula, "
                          "value of the expression",
    Behavior.ENUMERATION: "how many, count, number of ways, list all possibilities, "
                          "combinations, arrangements",
    Behavior.SIMULATION: "step by step, track the state, after each step, execute, iterate, "
                         "what happens at the end",
    Behavior.FACT_RETRIEVAL: "recall, known fact, which one, what is the name, definition, "
                             "knowledge",
    Behavior.DIAGNOSTIC: "find the error, first wrong step, which line is wrong, bug, "
                         "inconsistent, verify the solution",
}

BEHAVIOR_PHRASES: dict[Behavior, str] = {
    Behavior.CALCULATION: "carrying out a fully specified computation exactly",
    Behavior.ENUMERATION: "counting the members of a finite space under constraints",
    Behavior.SIMULATION: "tracking a state through a sequence of given steps",
    Behavior.FACT_RETRIEVAL: "recalling a stored fact the question does not contain",
    Behavior.DIAGNOSTIC: "checking a given solution or program for its first error",
}

DOMAIN_PHRASES: dict[Domain, str] = {
    Domain.MATH: "mathematics problem",
    Domain.SCIENCE: "science problem (physics, chemistry or biology)",
    Domain.CODING: "programming problem about Python code",
    Domain.GENERAL: "everyday, non-technical problem",
}


class SeedFileError(ValueError):
    pass


@dataclass(frozen=True)
class Seed:
    id: str
    behavior: Behavior
    domain: Domain
    prompt: str
    answer: str
    answer_type: AnswerType
    rationale: str
    meta: dict[str, Any]

    @property
    def cell(self) -> tuple[Behavior, Domain]:
        return (self.behavior, self.domain)

    def as_item(self) -> Item:
        return Item.create(behavior=self.behavior, domain=self.domain, difficulty=1,
                           prompt=self.prompt, answer=self.answer, answer_type=self.answer_type,
                           source=f"seed:{self.id}",
                           meta={**self.meta, "rationale": self.rationale})


def query_text(seed: Seed) -> str:
    """Seed prompt + behavior keywords + a template sentence (the retrieval query)."""
    return (f"{seed.prompt}\nKeywords: {BEHAVIOR_KEYWORDS[seed.behavior]}.\n"
            f"A {DOMAIN_PHRASES[seed.domain]} whose work is {BEHAVIOR_PHRASES[seed.behavior]}.")


def default_seed_path() -> Path:
    return Path(str(resources.files("reasonscope") / "data" / "seeds" / "seeds.jsonl"))


def load_seeds(path: Path | str | None = None) -> list[Seed]:
    """Read and validate a seed file (default: the shipped seeds)."""
    p = Path(path) if path is not None else default_seed_path()
    seeds: list[Seed] = []
    ids: set[str] = set()
    for lineno, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
            unknown = set(obj) - set(SEED_FIELDS)
            if unknown:
                raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}")
            if not str(obj.get("rationale", "")).strip():
                raise ValueError("every seed needs a rationale")
            seed = Seed(id=obj["id"], behavior=Behavior(obj["behavior"]),
                        domain=Domain(obj["domain"]), prompt=obj["prompt"],
                        answer=obj["answer"], answer_type=AnswerType(obj["answer_type"]),
                        rationale=obj["rationale"], meta=dict(obj.get("meta", {})))
            seed.as_item()  # the item validators (non-empty answer, tests, ...)
        except (KeyError, ValueError, TypeError) as exc:
            raise SeedFileError(f"{p}:{lineno}: {exc}") from None
        if seed.id in ids:
            raise SeedFileError(f"{p}:{lineno}: duplicate seed id {seed.id!r}")
        ids.add(seed.id)
        seeds.append(seed)
    missing = [f"{b.value}/{d.value}" for b, d in CELLS
               if not any(s.cell == (b, d) for s in seeds)]
    if missing:
        raise SeedFileError(f"{p}: no seed for cell(s) {', '.join(missing)}")
    return seeds
