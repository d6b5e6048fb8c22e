"""Enumeration generators: every answer re-counted by an independent method, from the prompt.

The checks read the question the model sees and count another way: inclusion-exclusion over
blocked points instead of a path table, vectorised brute force over all subsets, polynomial
products instead of inclusion-exclusion, explicit gamete enumeration instead of the product rule,
flat enumeration of state pairs, `re.fullmatch` over every string instead of an automaton,
executing the shown function instead of counting one period, `datetime` instead of Zeller, and
all permutations instead of a seat-by-seat programme.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from functools import cache
from statistics import mean
from typing import Any

import numpy as np
import pytest

from reasonscope.bench.generators.base import REGISTRY, all_generators
from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior, Domain

from .rs_genkit import items_of
from .rs_genkit import search as _search

SEEDS = range(40)
LEVELS = range(1, 6)
INT = r"(-?\d+)"


def _enum_names() -> list[str]:
    return sorted(g.name for g in all_generators() if g.behavior is Behavior.ENUMERATION)


@cache
def _items(name: str) -> tuple[Item, ...]:
    return tuple(items_of(name, SEEDS))




def _points(text: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r"\((\d+), (\d+)\)", text)]


# ---------------------------------------------------------------- math


def _monotone(p: tuple[int, int], q: tuple[int, int]) -> int:
    dx, dy = q[0] - p[0], q[1] - p[1]
    return math.comb(dx + dy, dx) if dx >= 0 and dy >= 0 else 0


def _avoiding(a: tuple[int, int], b: tuple[int, int], blocked: list[tuple[int, int]]) -> int:
    """Paths a -> b avoiding `blocked`: subtract, for each blocked point, the paths whose first
    blocked point it is (those counts obey the same recursion, processed in dominance order)."""
    pts = sorted(p for p in blocked if _monotone(a, p) and _monotone(p, b))
    first: dict[tuple[int, int], int] = {}
    for p in pts:
        first[p] = _monotone(a, p) - sum(first[q] * _monotone(q, p) for q in first)
    return _monotone(a, b) - sum(first[p] * _monotone(p, b) for p in pts)


def _brute_paths(w: int, h: int, blocked: set[tuple[int, int]],
                 way: tuple[int, int] | None) -> int:
    count = 0
    for rights in itertools.combinations(range(w + h), w):
        x = y = 0
        seen = [(0, 0)]
        for step in range(w + h):
            x, y = (x + 1, y) if step in rights else (x, y + 1)
            seen.append((x, y))
        if not blocked.intersection(seen) and (way is None or way in seen):
            count += 1
    return count


def check_grid_paths(item: Item) -> int:
    p = item.prompt
    end = _points(_search(r"to \(\d+, \d+\)", p).group(0))[0]
    way_m = re.search(r"pass through (\(\d+, \d+\))", p)
    way = _points(way_m.group(1))[0] if way_m else None
    blocked_m = re.search(r"(?:avoid|blocked points?) ((?:\(\d+, \d+\)(?:, )?)+)", p)
    blocked = _points(blocked_m.group(1)) if blocked_m else []
    assert [list(b) for b in blocked] == item.meta["blocked"]
    if way is None:
        answer = _avoiding((0, 0), end, blocked)
    else:
        answer = _avoiding((0, 0), way, blocked) * _avoiding(way, end, blocked)
    if math.comb(end[0] + end[1], end[0]) <= 3000:
        assert _brute_paths(end[0], end[1], set(blocked), way) == answer
    return answer


def check_subsets(item: Item) -> int:
    p = item.prompt
    m = re.search(r"\{1, 2, \.\.\., (\d+)\}", p)
    n = int(m.group(1)) if m else len(_search(r"\{([\d, ]+)\}", p).group(1).split(","))
    masks = np.arange(1 << n, dtype=np.int64)
    bits = (masks[:, None] >> np.arange(n)) & 1  # bit e-1 <-> element e
    size, total = bits.sum(axis=1), bits @ np.arange(1, n + 1)
    ok = np.ones(1 << n, dtype=bool)
    for pattern, test in [
        (r"have exactly (\d+) elements?", lambda a: size == a),
        (r"have at most (\d+) elements?", lambda a: size <= a),
        (r"have at least (\d+) elements?", lambda a: size >= a),
        (r"have element sum (\d+)", lambda a: total == a),
        (r"have element sum at most (\d+)", lambda a: total <= a),
        (r"sum divisible by (\d+)", lambda a: total % a == 0),
        (r"(?<!not )contain (\d+)\b", lambda a: bits[:, a - 1] == 1),
        (r"do not contain (\d+)", lambda a: bits[:, a - 1] == 0),
    ]:
        for value in re.findall(pattern, p):
            ok &= test(int(value))
    for r, mod in re.findall(r"leaves remainder (\d+) when divided by (\d+)", p):
        ok &= total % int(mod) == int(r)
    if "no two consecutive" in p:
        ok &= (masks & (masks >> 1)) == 0
    answer = int(ok.sum())
    cons = {c[0] for c in item.meta["constraints"]}
    if cons == {"size_eq", "no_consec"}:  # the closed form C(n - k + 1, k)
        k = next(c[1] for c in item.meta["constraints"] if c[0] == "size_eq")
        assert answer == math.comb(n - k + 1, k)
    return answer


def check_bounded_sums(item: Item) -> int:
    p = item.prompt
    lhs, total_s = _search(r"((?:x\d+ \+ )+x\d+) = (\d+)", p).groups()
    k, total = len(lhs.split("+")), int(total_s)
    lows, highs = [0] * k, [total] * k
    if "positive integers" in p:
        lows = [1] * k
    for lo, i, hi in re.findall(r"(\d+) <= x(\d+) <= (\d+)", p):
        lows[int(i) - 1], highs[int(i) - 1] = int(lo), int(hi)
    for i, lo in re.findall(r"x(\d+) >= (\d+)", p):
        lows[int(i) - 1] = int(lo)
    poly = [1] + [0] * total
    for lo, hi in zip(lows, highs, strict=True):
        poly = [sum(poly[s - v] for v in range(lo, min(hi, s) + 1)) for s in range(total + 1)]
    if math.prod(h - lo + 1 for lo, h in zip(lows, highs, strict=True)) <= 40_000:
        ranges = [range(lo, h + 1) for lo, h in zip(lows, highs, strict=True)]
        assert sum(1 for xs in itertools.product(*ranges) if sum(xs) == total) == poly[total]
    return poly[total]


# ---------------------------------------------------------------- science


def check_mendel(item: Item) -> Fraction:
    p = item.prompt
    cross = _search(r"(?:Parents|cross) ([A-Za-z]+) x ([A-Za-z]+)", p)
    parents = [cross.group(1), cross.group(2)]
    genes = [parents[0][i].upper() for i in range(0, len(parents[0]), 2)]
    inc_m = re.search(r"([A-Z](?:, [A-Z])*(?: and [A-Z])?) shows? incomplete", p)
    incomplete = set(re.findall(r"[A-Z]", inc_m.group(1))) if inc_m else set()
    assert genes == item.meta["letters"]

    def gametes(geno: str) -> list[str]:
        return ["".join(c) for c in itertools.product(*(geno[2 * i:2 * i + 2]
                                                         for i in range(len(genes))))]

    def phenotype(kid: str) -> tuple[str, ...]:
        out = []
        for i, g in enumerate(genes):
            dom = kid[2 * i:2 * i + 2].count(g)
            out.append(str(dom) if g in incomplete else "D" if dom else "r")
        return tuple(out)

    kids = ["".join(a[i] + b[i] for i in range(len(genes)))
            for a in gametes(parents[0]) for b in gametes(parents[1])]
    canon = ["".join("".join(sorted(k[2 * i:2 * i + 2])) for i in range(len(genes)))
             for k in kids]
    if "distinct genotypes" in p:
        return Fraction(len(set(canon)))
    if "distinct phenotypes" in p:
        return Fraction(len({phenotype(k) for k in kids}))
    if "homozygous at every gene" in p:
        return Fraction(sum(all(k[2 * i] == k[2 * i + 1] for i in range(len(genes)))
                            for k in kids), len(kids))
    if "have genotype" in p:
        target = _search(r"have genotype ([A-Za-z]+)\?", p).group(1)
        want = "".join("".join(sorted(target[2 * i:2 * i + 2])) for i in range(len(genes)))
        return Fraction(canon.count(want), len(kids))
    if "for exactly" in p:
        k = int(_search(r"for exactly (\d+) of", p).group(1))
        return Fraction(sum(phenotype(x).count("D") == k for x in kids), len(kids))
    words = dict((g, w) for w, g in re.findall(r"the ([a-z-]+) ([A-Z]) trait", p))
    code = {"dominant": "D", "recessive": "r", "homozygous-dominant": "2", "intermediate": "1",
            "homozygous-recessive": "0"}
    want_p = tuple(code[words[g]] for g in genes)
    return Fraction(sum(phenotype(k) == want_p for k in kids), len(kids))


def check_spectral(item: Item) -> int:
    p, kind = item.prompt, item.meta["kind"]
    if kind == "energies":
        levels = [int(v) for v in _search(r"levels at ([\d, ]+) \(in eV\)", p).group(1)
                  .split(",")]
        return len({a - b for a in levels for b in levels if a > b})
    if kind in ("nl", "nlj"):
        lo, hi = map(int, _search(r"(\d+) <= n <= (\d+)", p).groups())
        cap_m = re.search(r"min\(n-1, (\d+)\)", p)
        jump_m = re.search(r"decreasing by at most (\d+)", p)
        jump = int(jump_m.group(1)) if jump_m else hi
        states = []
        for n in range(lo, hi + 1):
            for ell in range(min(n - 1, int(cap_m.group(1))) + 1 if cap_m else n):
                js = [Fraction(1, 2)] if ell == 0 else [ell - Fraction(1, 2), ell + Fraction(1, 2)]
                states += [(n, ell, j) for j in js] if kind == "nlj" else [(n, ell, Fraction(0))]
        return sum(1 for a in states for b in states
                   if 0 < a[0] - b[0] <= jump and abs(a[1] - b[1]) == 1 and abs(a[2] - b[2]) <= 1)
    if kind == "series":
        hi = int(_search(r"excited up to level n = (\d+)", p).group(1))
        lo = int(_search(r"end on level n = (\d+)", p).group(1))
        return sum(1 for u in range(lo + 1, hi + 1))
    if m := re.search(r"excited to level n = (\d+) and returns to n = 1", p):
        lo, hi = 1, int(m.group(1))
    else:
        lo, hi = map(int, _search(r"levels n = (\d+) to (\d+)", p).groups())
    jump_m = re.search(r"by at most (\d+)", p)
    jump = int(jump_m.group(1)) if jump_m else hi
    return sum(1 for u in range(lo, hi + 1) for v in range(lo, u) if u - v <= jump)


def _compositions(parts: int, total: int, cap: int) -> int:
    """Brute force: every tuple of `parts` values in 0..cap summing to `total`, one by one."""
    def rec(left: int, remaining: int) -> int:
        if left == 1:
            return 1 if remaining <= cap else 0
        return sum(rec(left - 1, remaining - v) for v in range(min(cap, remaining) + 1))
    return rec(parts, total)


def _poly_count(parts: int, total: int, cap: int) -> int:
    poly = np.zeros(total + 1, dtype=object)
    poly[0] = 1
    for _ in range(parts):
        poly = np.array([sum(poly[s - v] for v in range(min(cap, s) + 1))
                         for s in range(total + 1)], dtype=object)
    return int(poly[total])


def check_microstates(item: Item) -> int:
    m, kind = item.meta, item.meta["kind"]
    ints = [int(v) for v in re.findall(r"-?\d+", item.prompt)]
    for key in ("n", "q", "cap", "up", "top", "na", "nb", "qa_lo", "qa_hi", "particles", "energy"):
        if key in m and not (key == "up" and kind == "spin_energy"):
            assert m[key] in ints, (key, item.prompt)
    if kind in ("einstein", "einstein_min", "capped"):
        n, q = m["n"], m["q"] - m["n"] * m.get("low", 0)
        cap = m.get("cap", q)
        ways = _poly_count(n, q, cap)
        if ways <= 20_000:
            assert _compositions(n, q, cap) == ways
        return ways
    if kind in ("spins", "spins_between", "spin_energy"):
        n = m["n"]
        ups = np.array([bin(s).count("1") for s in range(1 << n)])
        if kind == "spin_energy":
            energy = int(_search(r"total energy (-?\d+)", item.prompt).group(1))
            return int(((n - ups) - ups == energy).sum())
        top = m.get("top", m["up"])
        return int(((ups >= m["up"]) & (ups <= top)).sum())
    if kind in ("two_solids", "two_range"):
        q = m["q"]
        return sum(_poly_count(m["na"], x, x) * _poly_count(m["nb"], q - x, q - x)
                   for x in range(m["qa_lo"], m["qa_hi"] + 1))
    levels = range(m["top"] + 1)
    pick = itertools.combinations if m["exclusive"] else itertools.combinations_with_replacement
    return sum(1 for c in pick(levels, m["particles"]) if sum(c) == m["energy"])


# ---------------------------------------------------------------- coding


def check_regex(item: Item) -> int:
    p = item.prompt
    patterns = re.findall(r"re\.fullmatch\(r'([^']*)', s\)", p)
    assert patterns[0] == item.meta["pattern"]
    alphabet = "".join(re.findall(r"\b([abc])\b", _search(r"letters ([abc, and]+) make", p)
                                  .group(1)))
    exact = re.search(r"of length (\d+)", p)
    limit = int(exact.group(1) if exact else _search(r"len\(s\) <= (\d+)", p).group(1))
    lengths = [limit] if exact else range(limit + 1)
    accept = re.compile(patterns[0])
    reject = re.compile(patterns[1]) if len(patterns) > 1 else None
    return sum(1 for k in lengths for t in itertools.product(alphabet, repeat=k)
               if accept.fullmatch("".join(t))
               and (reject is None or reject.fullmatch("".join(t)) is None))


def _function(prompt: str, name: str) -> Callable[..., Any]:
    code = prompt.split("\n\n")[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "<prompt>", "exec"), namespace)
    fn: Callable[..., Any] = namespace[name]
    return fn


def check_true_inputs(item: Item) -> int:
    f = _function(item.prompt, "f")
    start, stop = map(int, _search(rf"range\({INT}, {INT}\)", item.prompt).groups())
    return sum(1 for x in range(start, stop) if f(x))


def check_true_pairs(item: Item) -> int:
    g = _function(item.prompt, "g")
    n = int(_search(r"< j < (\d+)", item.prompt).group(1))
    return sum(1 for i in range(n) for j in range(i + 1, n) if g(i, j))


# ---------------------------------------------------------------- general

WEEKDAYS = list(calendar.day_name)
MONTHS = list(calendar.month_name)


def _date(text: str) -> dt.date:
    month, day, year = _search(r"([A-Z][a-z]+) (\d+), (\d{4})", text).groups()
    return dt.date(int(year), MONTHS.index(month), int(day))


def _leap_claims_ok(p: str) -> None:
    for year in re.findall(r"(?<!to )(\d{4}) is a leap year", p):
        assert calendar.isleap(int(year))
    for year in re.findall(r"(\d{4}) is not a leap year", p):
        assert not calendar.isleap(int(year))
    span = re.search(r"years (\d{4}) to (\d{4})", p)
    if span:
        leaps = [y for y in range(int(span.group(1)), int(span.group(2)) + 1) if calendar.isleap(y)]
        listed = re.search(r"leap years are ([\d, ]+)\.|only (\d{4}) is", p)
        found = [int(v) for v in re.findall(r"\d{4}", "".join(g or "" for g in listed.groups()))] \
            if listed else []
        assert found == leaps, p


def _targets(p: str) -> set[int]:
    if "weekend days" in p:
        return {5, 6}
    if "weekdays (Monday to Friday)" in p:
        return {0, 1, 2, 3, 4}
    return {WEEKDAYS.index(_search(r"How many ([A-Z][a-z]+day)s", p).group(1))}


def check_calendar(item: Item) -> int:
    p = item.prompt
    _leap_claims_ok(p)
    if p.startswith("A month has"):
        length = int(_search(r"has (\d+) days", p).group(1))
        first = WEEKDAYS.index(_search(r"1st is a ([A-Z][a-z]+)", p).group(1))
        y, mo = next((y, mo) for y in range(2000, 2030) for mo in range(1, 13)
                     if calendar.monthrange(y, mo) == (first, length))
        return sum(1 for d in range(1, length + 1) if dt.date(y, mo, d).weekday() in _targets(p))
    if "inclusive?" in p and " from " in p:
        start, end = (_date(t) for t in _search(r"from (.*?) to (.*?), inclusive", p).groups())
        assert WEEKDAYS[start.weekday()] in p.split(".")[0]
        targets = _targets(p)
        return sum(1 for k in range((end - start).days + 1)
                   if (start + dt.timedelta(days=k)).weekday() in targets)
    jan1 = _date(p)
    assert _search(r"is a ([A-Z][a-z]+);", p).group(1) == WEEKDAYS[jan1.weekday()]
    span = re.search(r"from January (\d{4}) to December (\d{4})", p)
    years = range(int(span.group(1)), int(span.group(2)) + 1) if span else [jan1.year]
    weekday, day = _search(r"have an? ([A-Z][a-z]+) the (\d+)", p).groups()
    return sum(1 for y in years for mo in range(1, 13)
               if dt.date(y, mo, int(day)).weekday() == WEEKDAYS.index(weekday))


def check_letters(item: Item) -> int:
    p = item.prompt
    phrase = _search(r'(?:phrase|in) "([a-z ]+)"', p).group(1)
    letters = [ch for pair in re.findall(r'letters? "([a-z])"(?: and "([a-z])")?', p)
               for ch in pair if ch]
    if "vowels" in p:
        return sum(phrase.count(v) for v in "aeiou")
    if "distinct letters" in p:
        return len(set(phrase.replace(" ", "")))
    if "exactly" in p:
        k = int(_search(r"exactly (\d+) time", p).group(1))
        return sum(1 for ch in set(phrase) - {" "} if phrase.count(ch) == k)
    if "words contain" in p:
        return sum(1 for w in phrase.split() if letters[0] in w)
    assert letters
    return sum(phrase.count(ch) for ch in letters)


def check_seating(item: Item) -> int:
    p = item.prompt
    people = _search(r"^(.*?) sit (?:in|around)", p).group(1).replace(" and ", ", ").split(", ")
    n = int(_search(r"(\d+) seats", p).group(1))
    assert len(people) == n
    round_table = "round table" in p
    conds = _search(r"Conditions: (.*?)\. How many", p).group(1).split("; ")

    Pos = tuple[int, ...]  # Pos[i] = seat of person i; names are turned into indices first

    def near(pos: Pos, a: int, b: int) -> bool:
        d = abs(pos[a] - pos[b])
        return d == 1 or (round_table and d == n - 1)

    rules: list[tuple[str, Callable[[Pos, int, int], bool]]] = [
        (r"(\w+) and (\w+) do not sit next to each other", lambda q, a, b: not near(q, a, b)),
        (r"(\w+) and (\w+) sit next to each other", near),
        (r"(\w+) sits somewhere to the left of (\w+)", lambda q, a, b: q[a] < q[b]),
        (r"(\w+) sits immediately to the left of (\w+)", lambda q, a, b: q[b] - q[a] == 1),
        (r"(\w+) sits in the seat immediately clockwise from (\w+)",
         lambda q, a, b: (q[a] - q[b]) % n == 1),
        (r"(\w+) sits at one of the two ends()", lambda q, a, _: q[a] in (0, n - 1)),
        (r"(\w+) does not sit at either end()", lambda q, a, _: q[a] not in (0, n - 1)),
        (r"(\w+) sits in seat (\d+)", lambda q, a, k: q[a] == k - 1),
        (r"(\w+) does not sit in seat (\d+)", lambda q, a, k: q[a] != k - 1),
    ]
    index = {name: i for i, name in enumerate(people)}
    tests = []
    for c in conds:
        found = [(test, m.groups()) for pattern, test in rules if (m := re.fullmatch(pattern, c))]
        assert len(found) == 1, f"unparsed condition {c!r}"
        test, args = found[0]
        tests.append((test, [index[a] if a in index else int(a) if a else 0 for a in args]))

    count = sum(1 for pos in itertools.permutations(range(n))
                if all(test(pos, *args) for test, args in tests))
    if round_table:  # every rotation class has exactly n members (all people are distinct)
        assert count % n == 0
        return count // n
    return count


CHECKS = {
    "enumeration.math.grid_paths": check_grid_paths,
    "enumeration.math.subsets": check_subsets,
    "enumeration.math.bounded_sums": check_bounded_sums,
    "enumeration.science.mendel_cross": check_mendel,
    "enumeration.science.spectral_lines": check_spectral,
    "enumeration.science.microstates": check_microstates,
    "enumeration.coding.regex_strings": check_regex,
    "enumeration.coding.true_inputs": check_true_inputs,
    "enumeration.coding.true_pairs": check_true_pairs,
    "enumeration.general.calendar": check_calendar,
    "enumeration.general.letters": check_letters,
    "enumeration.general.seating": check_seating,
}


# ---------------------------------------------------------------- tests


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
        if item.domain is Domain.MATH:
            assert steps and item.answer in steps[-1], (item.prompt, steps)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_difficulty_scales(name: str) -> None:
    by_level = {d: [i for i in _items(name) if i.difficulty == d] for d in LEVELS}

    def size(i: Item) -> float:
        f = Fraction(i.answer)
        return math.log10(f.numerator * f.denominator + 1)

    length = {d: mean(len(i.prompt) for i in items) for d, items in by_level.items()}
    magnitude = {d: mean(size(i) for i in items) for d, items in by_level.items()}
    assert length[1] < length[5], length
    assert magnitude[1] < magnitude[3] < magnitude[5], magnitude
    assert length[1] < 200, length


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
    script = ("import json; "
              "from reasonscope.bench.generators.base import REGISTRY, all_generators; "
              "all_generators(); names = sorted(n for n in REGISTRY "
              "if n.startswith('enumeration.')); "
              "print(json.dumps([REGISTRY[n](s, d).id for n in names for s in (0, 7) "
              "for d in range(1, 6)]))")
    for hash_seed in ("1", "4242"):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": hash_seed})
        assert json.loads(out.stdout) == here


def test_regex_counter_handles_every_construct() -> None:
    from reasonscope.bench.generators.enumeration.regex import count_by_length

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


def test_counts_are_real_enumerations() -> None:
    """Known values: C(4, 2) grid paths, a Fibonacci number of no-two-consecutive subsets,
    Zeller's weekday against `datetime`, and every year has one to three Friday-the-13ths."""
    from reasonscope.bench.generators.enumeration.general import weekday
    from reasonscope.bench.generators.enumeration.math import path_table, subset_counts_by_size

    assert path_table((0, 0), (2, 2), frozenset())[-1][-1] == 6
    assert sum(subset_counts_by_size(10, [("no_consec", 0, 0)])) == 144
    for y in range(1900, 2101):
        assert weekday(y, 1, 1) == dt.date(y, 1, 1).weekday()
        assert 1 <= sum(dt.date(y, m, 13).weekday() == 4 for m in range(1, 13)) <= 3
