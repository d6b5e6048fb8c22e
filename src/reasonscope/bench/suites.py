"""Suites: frozen, versioned item sets, and training splits that provably do not overlap them.

A built-in suite is generated from the registry by a fixed plan (cell x difficulty x family
round-robin over consecutive seeds) and shipped as package data with its hash. Loading a
built-in suite reads the shipped file, never regenerates it, so a later generator change cannot
silently change what "rs-synth-v1" means; a test regenerates it and demands identical bytes.

Evaluation seeds live below TRAIN_SEED_BASE and training seeds above it, and the training
builder also drops any item whose prompt appears in the built-in suites, so disjointness holds
even where a small level-1 space makes two seeds produce the same question.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reasonscope.bench.generators.base import Generator, generators_for
from reasonscope.items import Item, dumps_items, read_items
from reasonscope.taxonomy import BEHAVIORS, DOMAINS, Behavior, Domain

TRAIN_SEED_BASE = 1_000_000_000
DEFAULT_SUITE = "rs-synth-v2"
"""The built-in suite `eval`, `probe` and the demo use when none is named."""
MAX_SEED_TRIES = 50


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    items_per_cell: int
    difficulties: tuple[int, ...] = (1, 2, 3, 4, 5)
    seed_base: int = 0
    description: str = ""
    new_tokens: int | None = None
    """Generation budget the suite needs: at least its longest worked solution (estimated
    tokens, reasonscope.bench.measures), rounded up; `eval` warns below it."""
    frozen_only: bool = False
    """The generators have moved on (families at newer versions): the suite exists only as its
    frozen file, which stays loadable and byte-identical for the runs made with it."""

    def per_difficulty(self) -> int:
        if self.items_per_cell % len(self.difficulties):
            raise ValueError(f"{self.name}: items_per_cell must divide evenly by difficulties")
        return self.items_per_cell // len(self.difficulties)


BUILTIN_SUITES: dict[str, SuiteSpec] = {
    "rs-synth-v1": SuiteSpec(
        "rs-synth-v1", items_per_cell=60,
        description="20 cells x 60 generated items, 12 per difficulty level, evaluation seeds "
        "(frozen; superseded by rs-synth-v2, see docs/suites.md)", frozen_only=True,
    ),
    "rs-synth-mini-v1": SuiteSpec(
        "rs-synth-mini-v1", items_per_cell=10,
        description="20 cells x 10 items (2 per difficulty): a quick smoke slice (frozen)",
        seed_base=500_000, frozen_only=True,
    ),
    "rs-synth-v2": SuiteSpec(
        "rs-synth-v2", items_per_cell=60, seed_base=2_000_000,
        description="20 cells x 60 generated items, 12 per difficulty level: behaviors "
        "isolated, difficulty measured by each family's work count (docs/suites.md)",
        new_tokens=3072,
    ),
    "rs-synth-mini-v2": SuiteSpec(
        "rs-synth-mini-v2", items_per_cell=10, seed_base=2_500_000,
        description="20 cells x 10 items of the v2 generators (2 per difficulty): a smoke slice",
        new_tokens=1024,
    ),
    "rs-synth-easy-v2": SuiteSpec(
        "rs-synth-easy-v2", items_per_cell=64, difficulties=(1, 2), seed_base=3_000_000,
        description="20 cells x 64 items of the v2 generators at difficulties 1-2 (32 each): "
        "enough items per cell for a CI half-width near 0.1 on a small model (the demo's probe)",
        new_tokens=1024,
    ),
}


@dataclass(frozen=True)
class Suite:
    name: str
    items: tuple[Item, ...]
    hash: str
    path: Path | None = None

    def cells(self, cells: Iterable[tuple[Behavior, Domain]] | None = None) -> Suite:
        if cells is None:
            return self
        wanted = set(cells)
        kept = tuple(i for i in self.items if i.cell in wanted)
        return Suite(self.name, kept, _hash(kept), self.path)


def _hash(items: Iterable[Item]) -> str:
    return hashlib.sha256(dumps_items(items)).hexdigest()


def _cell_items(gens: Sequence[Generator], difficulty: int, count: int, seed_base: int,
                exclude_prompts: set[str] | PromptGuard) -> list[Item]:
    """`count` items of one difficulty, families in turn, skipping repeated prompts."""
    if not gens:
        return []
    items: list[Item] = []
    next_seed = {g.name: seed_base for g in gens}
    k = 0
    while len(items) < count:
        g = gens[k % len(gens)]
        k += 1
        for _ in range(MAX_SEED_TRIES):
            item = g(next_seed[g.name], difficulty)
            next_seed[g.name] += 1
            if item.prompt not in exclude_prompts:
                exclude_prompts.add(item.prompt)
                items.append(item)
                break
        if k > count * len(gens) * MAX_SEED_TRIES:
            raise RuntimeError(f"cannot find {count} distinct prompts for {gens[0].behavior}/"
                               f"{gens[0].domain} at difficulty {difficulty}")
    return items


def generate_suite(spec: SuiteSpec) -> list[Item]:
    items: list[Item] = []
    for behavior in BEHAVIORS:
        for domain in DOMAINS:
            gens = generators_for(behavior, domain)
            seen: set[str] = set()
            for difficulty in spec.difficulties:
                items += _cell_items(gens, difficulty, spec.per_difficulty(),
                                     spec.seed_base, seen)
    return items


def _packaged(name: str) -> Path:
    return Path(str(resources.files("reasonscope") / "data" / "suites" / f"{name}.jsonl"))


def load_suite(name_or_path: str | Path) -> Suite:
    """A built-in suite by name (the frozen file, hash-checked) or a user's JSONL file."""
    key = str(name_or_path)
    if key in BUILTIN_SUITES:
        path = _packaged(key)
        if not path.exists():
            raise FileNotFoundError(f"built-in suite {key} is not packaged at {path}; "
                                    f"run `reasonscope bench freeze --suite {key}`")
        expected = path.with_suffix(".sha256").read_text().split()[0]
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != expected:
            raise ValueError(f"{path}: content hash {actual[:12]} != frozen {expected[:12]}")
        return Suite(key, tuple(read_items(path)), actual, path)
    path = Path(key)
    if not path.exists():
        raise FileNotFoundError(
            f"{key!r} is neither a built-in suite ({', '.join(BUILTIN_SUITES)}) nor a file")
    items = tuple(read_items(path))
    return Suite(path.stem, items, _hash(items), path)


def freeze_suite(name: str) -> Path:
    """Regenerate a built-in suite into the package data (maintainers only)."""
    if BUILTIN_SUITES[name].frozen_only:
        raise ValueError(f"{name} is frozen for good: its generators have moved on")
    path = _packaged(name)
    data = dumps_items(generate_suite(BUILTIN_SUITES[name]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.with_suffix(".sha256").write_text(f"{hashlib.sha256(data).hexdigest()}  {path.name}\n")
    return path


def builtin_prompts() -> set[str]:
    prompts: set[str] = set()
    for name in BUILTIN_SUITES:
        if _packaged(name).exists():
            prompts |= {i.prompt for i in load_suite(name).items}
    return prompts


class PromptGuard:
    """Prompts a training item may neither equal nor contain (whitespace-normalised), the same
    test `bench contamination` applies: a short eval prompt ("What is the symbol of tin?") can
    sit inside a longer training prompt that lists several facts.

    Containment is found through an index of each guarded prompt's first KEY characters, so a
    check costs one dictionary look-up per character of the candidate, not one search per
    guarded prompt."""

    KEY = 24

    def __init__(self, prompts: Iterable[str]) -> None:
        self.seen: set[str] = set()
        self._short: list[str] = []
        self._index: dict[str, list[str]] = {}
        for p in prompts:
            n = _normalise(p)
            self.seen.add(n)
            if len(n) < self.KEY:
                self._short.append(n)
            else:
                self._index.setdefault(n[: self.KEY], []).append(n)

    def __contains__(self, prompt: object) -> bool:
        n = _normalise(str(prompt))
        if n in self.seen or any(s in n for s in self._short):
            return True
        for i in range(len(n) - self.KEY + 1):
            for guarded in self._index.get(n[i:i + self.KEY], ()):
                if n.startswith(guarded, i):
                    return True
        return False

    def add(self, prompt: str) -> None:
        self.seen.add(_normalise(prompt))


def _normalise(text: str) -> str:
    return " ".join(text.split())


def training_items(
    *,
    behaviors: Sequence[Behavior] = BEHAVIORS,
    domains: Sequence[Domain] = (Domain.MATH,),
    per_cell: int = 200,
    difficulties: Sequence[int] = (1, 2, 3, 4, 5),
    seed: int = 0,
) -> list[Item]:
    """Training items from the same generators on disjoint seeds, never one that equals or
    contains a built-in eval prompt."""
    seed_base = TRAIN_SEED_BASE + seed * 10_000_000
    exclude = PromptGuard(builtin_prompts())
    per_level, extra = divmod(per_cell, len(difficulties))
    items: list[Item] = []
    for behavior in behaviors:
        for domain in domains:
            gens = generators_for(behavior, domain)
            for j, difficulty in enumerate(difficulties):
                n = per_level + (1 if j < extra else 0)
                items += _cell_items(gens, difficulty, n, seed_base, exclude)
    return items
