"""Enumeration generators: every answer re-counted by an independent method, from the prompt
(the recounts live in `enum_recounts`), the top level sized as the design asks (hundreds to
thousands of cases), and the worked solutions consistent with their own totals."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import os
import re
import statistics
import subprocess
import sys
from fractions import Fraction
from functools import cache
from statistics import mean

import pytest

import reasonscope.bench.generators.enumeration  # noqa: F401  (registers the families)
from reasonscope.bench.generators.base import REGISTRY
from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior, Domain

from .enum_recounts import CHECKS

SEEDS = range(40)
LEVELS = range(1, 6)
MAX_STEPS_CHARS = 3500  # a d5 worked solution must fit the default generation budget
SPLIT_LINE = r"(?:[A-Z][a-z]+|First letter [a-z]|h = \d+|Largest element \d+): (\d+)"


def _enum_names() -> list[str]:
    return sorted(n for n, g in REGISTRY.items() if g.behavior is Behavior.ENUMERATION)


@cache
def _items(name: str) -> tuple[Item, ...]:
    gen = REGISTRY[name]
    return tuple(gen(seed, d) for d in LEVELS for seed in SEEDS)


def test_every_cell_has_at_least_two_families() -> None:
    names = _enum_names()
    assert set(names) == set(CHECKS)
    for domain in Domain:
        assert sum(n.split(".")[1] == domain.value for n in names) >= 2, domain


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_answers_match_an_independent_count(name: str) -> None:
    for item in _items(name):
        expected = CHECKS[name](item)
        if item.answer_type is AnswerType.RATIONAL:
            assert Fraction(item.answer) == expected, (item.prompt, item.answer, expected)
            assert Fraction(item.answer) == Fraction(item.answer).limit_denominator()
        else:
            assert item.answer_type is AnswerType.INTEGER
            assert item.answer == str(expected), (item.prompt, item.answer, expected)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_items_are_well_formed(name: str) -> None:
    for item in _items(name):
        assert item.behavior is Behavior.ENUMERATION and item.domain.value == name.split(".")[1]
        assert re.fullmatch(r"\d+(/\d+)?", item.answer), item.answer
        assert "as an integer" in item.prompt or "fraction in lowest terms" in item.prompt
        assert "\\boxed" not in item.prompt
        json.dumps(item.meta)
        steps = item.meta.get("steps", [])
        assert steps and re.search(rf"(?<![\d/]){re.escape(item.answer)}(?![\d/])", steps[-1]), \
            (item.prompt, steps)
        assert isinstance(item.meta["work"], int) and item.meta["work"] >= 1
        assert item.meta["work_unit"] in ("states", "cases", "checks", "letters")


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_worked_totals_add_up(name: str) -> None:
    """Every 'Total: a + b - c = N' line (and every split into per-case lines) sums to N."""
    for item in _items(name):
        steps = item.meta["steps"]
        for line in steps:
            m = re.fullmatch(r"Total: ([\d +-]+) = (\d+)\.", line)
            if m:
                terms = re.findall(r"([+-]?) ?(\d+)", m.group(1))
                assert sum(int(v) * (-1 if s == "-" else 1) for s, v in terms) == int(m.group(2))
        split = [int(m.group(1)) for line in steps if (m := re.fullmatch(SPLIT_LINE, line))]
        if split:
            assert sum(split) == int(item.answer), (item.prompt, steps)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_top_level_needs_hundreds_of_cases(name: str) -> None:
    """At difficulty 5 the count itself (or, for fractions, the offspring classes behind it) is
    in the hundreds or more, and the worked solution still fits the generation budget."""
    top = [i for i in _items(name) if i.difficulty == 5]
    sizes = [i.meta["work"] if i.answer_type is AnswerType.RATIONAL else int(i.answer)
             for i in top]
    assert statistics.median(sizes) >= 150, sorted(sizes)
    longest = max(len("\n".join(i.meta["steps"])) for i in top)
    assert longest <= MAX_STEPS_CHARS, longest


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_difficulty_scales(name: str) -> None:
    by_level = {d: [i for i in _items(name) if i.difficulty == d] for d in LEVELS}

    def size(i: Item) -> float:
        f = Fraction(i.answer)
        return math.log10(f.numerator * f.denominator + 1)

    length = {d: mean(len(i.prompt) for i in items) for d, items in by_level.items()}
    magnitude = {d: mean(size(i) for i in items) for d, items in by_level.items()}
    work = {d: statistics.median(i.meta["work"] for i in items) for d, items in by_level.items()}
    assert length[1] < length[5], length
    assert magnitude[1] < magnitude[3] < magnitude[5], magnitude
    assert length[1] < 200, length
    assert all(work[d] < work[d + 1] for d in range(1, 5)), work


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_prompt_spaces_are_large_enough(name: str) -> None:
    gen = REGISTRY[name]
    level1 = {gen(seed, 1).prompt for seed in range(300)}
    assert len(level1) >= 30, len(level1)
    for d in (2, 3, 4, 5):
        prompts = [gen(seed, d).prompt for seed in range(100)]
        assert len(set(prompts)) >= 70, (d, len(set(prompts)))


def test_deterministic_within_and_across_processes() -> None:
    names = sorted(CHECKS)
    here = [REGISTRY[n](seed, d).id for n in names for seed in (0, 7) for d in LEVELS]
    assert here == [REGISTRY[n](seed, d).id for n in names for seed in (0, 7) for d in LEVELS]
    script = ("import json; import reasonscope.bench.generators.enumeration; "
              "from reasonscope.bench.generators.base import REGISTRY; "
              "names = sorted(n for n in REGISTRY if n.startswith('enumeration.')); "
              "print(json.dumps([REGISTRY[n](s, d).id for n in names for s in (0, 7) "
              "for d in range(1, 6)]))")
    for hash_seed in ("1", "4242"):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": hash_seed})
        assert json.loads(out.stdout) == here


def test_regex_counter_handles_every_construct() -> None:
    from reasonscope.bench.generators.enumeration.regex import count_by_length, walk_lengths

    bb = ("cat", (("lit", "b"), ("lit", "b")))
    cases = {("cat", (("lit", "a"), ("rep", ("cls", "ab"), 1, 3))): r"a[ab]{1,3}",
             ("alt", (("star", ("lit", "b")), ("plus", ("lit", "a")))): r"b*|a+",
             ("cat", (("opt", ("lit", "a")), ("star", ("alt", (("lit", "a"), bb))))): r"a?(a|bb)*",
             ("rep", ("alt", (("lit", "a"), bb)), 0, 2): r"(a|bb){0,2}"}
    for node, source in cases.items():
        counts = count_by_length("ab", 6, node)
        for k, c in enumerate(counts):
            assert c == sum(1 for t in itertools.product("ab", repeat=k)
                            if re.fullmatch(source, "".join(t))), (source, k)
    # the walk merges strings by automaton state: far fewer cases than the 127 strings
    assert walk_lengths("ab", 6, ("star", ("cls", "ab")))[1] == 7


def test_counts_are_real_enumerations() -> None:
    """Known values: C(4, 2) grid paths, a Fibonacci number of no-two-consecutive subsets,
    C(10, 5) arrangements of aaaaabbbbb, 2 of them alternating, Zeller's weekday against
    `datetime`, every year has one to three Friday-the-13ths, and the microstate DP against
    stars and bars."""
    from reasonscope.bench.generators.enumeration.calendars import walk_days, weekday
    from reasonscope.bench.generators.enumeration.letters import count_arrangements
    from reasonscope.bench.generators.enumeration.math import path_table
    from reasonscope.bench.generators.enumeration.microstates import share
    from reasonscope.bench.generators.enumeration.subsets import subset_counts_by_size

    assert path_table((0, 0), (2, 2), frozenset())[-1][-1] == 6
    assert sum(subset_counts_by_size(10, [("no_consec", 0, 0)])) == 144
    assert count_arrangements("aaaaabbbbb", [])[0] == 252
    assert count_arrangements("aaaaabbbbb", [("no_same", "")])[0] == 2
    assert count_arrangements("aabb", [("together", "a")])[0] == 3  # aabb, baab, bbaa
    assert share(4, 6)[0][6] == math.comb(9, 3)
    for y in range(1900, 2101):
        assert weekday(y, 1, 1) == dt.date(y, 1, 1).weekday()
        assert 1 <= sum(dt.date(y, m, 13).weekday() == 4 for m in range(1, 13)) <= 3
    assert walk_days((1999, 12, 31), (2001, 3, 1))[0] == \
        (dt.date(2001, 3, 1) - dt.date(1999, 12, 31)).days + 1
