"""Shared by the generator tests: a family's items over seeds and levels, and a regex look-up
that fails with the text it searched (cross-checks read their inputs back from prompts)."""

from __future__ import annotations

import re

from reasonscope.bench.generators import REGISTRY, all_generators
from reasonscope.items import Item

LEVELS = range(1, 6)


def items_of(name: str, seeds: range) -> list[Item]:
    all_generators()
    gen = REGISTRY[name]
    return [gen(seed, d) for d in LEVELS for seed in seeds]


def search(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    m = re.search(pattern, text, flags)
    assert m is not None, (pattern, text)
    return m
