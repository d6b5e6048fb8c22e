"""What a generator is, and the registry that suites and training data draw from.

A generator family is a pure function `(rng, difficulty) -> Draft`. The wrapper owns everything
that must be uniform across families: the random stream is derived from (name, version, seed,
difficulty) only, so an item never depends on what else was generated; the source string names
the exact version and seed; the id comes from content.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior, Domain


@dataclass(frozen=True)
class Draft:
    """A generated question before it becomes an Item.

    `steps` is a worked solution, one step per entry, ending at the answer. Math-domain families
    must fill it: training data (short and long chain of thought) is built from it.
    """

    prompt: str
    answer: str
    answer_type: AnswerType
    tolerance: float | None = None
    steps: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    work: int | None = None
    """How much work the item needs, counted by the family's own solver in `work_unit`s
    (steps, states, cases, operations, checks): the difficulty scale is tested on it."""
    work_unit: str = ""


class ItemRandom(random.Random):
    """One item's random stream (the same stream as `random.Random(key)`), which also knows the
    item's seed: a family may fix part of its mix by a rule on the seed (an exact share of
    answers in every run of consecutive seeds, as suites draw them) instead of by chance."""

    def __init__(self, key: str, seed: int) -> None:
        super().__init__(key)
        self.item_seed = seed


DraftFn = Callable[[random.Random, int], Draft]


@dataclass(frozen=True)
class Generator:
    name: str
    version: int
    behavior: Behavior
    domain: Domain
    fn: DraftFn
    description: str = ""
    why: str = ""
    """One line: why the items need this behavior, and which other skills stay trivial."""

    def rng(self, seed: int, difficulty: int) -> ItemRandom:
        return ItemRandom(f"{self.name}@{self.version}|{seed}|{difficulty}", seed)

    def draft(self, seed: int, difficulty: int) -> Draft:
        if not 1 <= difficulty <= 5:
            raise ValueError(f"difficulty must be 1..5, got {difficulty}")
        return self.fn(self.rng(seed, difficulty), difficulty)

    def __call__(self, seed: int, difficulty: int) -> Item:
        d = self.draft(seed, difficulty)
        meta = dict(d.meta)
        if d.steps:
            meta["steps"] = list(d.steps)
        meta["generator"] = self.name
        if d.work is not None:
            meta["work"] = d.work
            meta["work_unit"] = d.work_unit
        return Item.create(
            behavior=self.behavior,
            domain=self.domain,
            difficulty=difficulty,
            prompt=d.prompt,
            answer=d.answer,
            answer_type=d.answer_type,
            tolerance=d.tolerance,
            source=f"{self.name}@{self.version}+{seed}",
            meta=meta,
        )


REGISTRY: dict[str, Generator] = {}


def generator(
    name: str, *, behavior: Behavior, domain: Domain, version: int = 1, why: str = ""
) -> Callable[[DraftFn], DraftFn]:
    """Register a family. Bump `version` whenever the output for a given seed changes.

    `why` is the family's one-line isolation claim: why its items need `behavior`, and which
    other skills it keeps trivial (or gives in the prompt)."""

    def register(fn: DraftFn) -> DraftFn:
        if name in REGISTRY:
            raise ValueError(f"generator {name!r} registered twice")
        REGISTRY[name] = Generator(name, version, behavior, domain, fn,
                                   (fn.__doc__ or "").strip().split("\n")[0], " ".join(why.split()))
        return fn

    return register


def generators_for(behavior: Behavior, domain: Domain) -> list[Generator]:
    from reasonscope.bench.generators import load_all

    load_all()
    return sorted((g for g in REGISTRY.values() if g.behavior is behavior and g.domain is domain),
                  key=lambda g: g.name)


def all_generators() -> list[Generator]:
    from reasonscope.bench.generators import load_all

    load_all()
    return sorted(REGISTRY.values(), key=lambda g: g.name)
