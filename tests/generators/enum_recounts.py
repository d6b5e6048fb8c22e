"""Independent recounts of enumeration items, read back from the prompt the model sees
(general items in `enum_recounts_general`); `CHECKS` maps every family to its recount.

Each counts another way than the family's solver: inclusion-exclusion over blocked points
instead of a path table, vectorised brute force over all subsets instead of a DP, polynomial
products instead of inclusion-exclusion, gamete-by-gamete crosses instead of genotype classes,
flat enumeration of state pairs instead of grouped counts, closed forms and brute force instead
of a holder-by-holder DP, `re.fullmatch` over every string instead of an automaton, and
executing the shown function instead of counting one period.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from reasonscope.items import Item

from .enum_recounts_general import check_calendar, check_letters, check_seating
from .rs_genkit import search as _search

INT = r"(-?\d+)"


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
    size = np.bitwise_count(masks).astype(np.int64)
    total = np.zeros(1 << n, dtype=np.int64)
    for e in range(n):  # bit e <-> element e + 1
        total += ((masks >> e) & 1) * (e + 1)

    def has(a: int) -> Any:
        return ((masks >> (a - 1)) & 1) == 1

    ok = np.ones(1 << n, dtype=bool)
    for pattern, test in [
        (r"have exactly (\d+) elements?", lambda a: size == a),
        (r"have at most (\d+) elements?", lambda a: size <= a),
        (r"have at least (\d+) elements?", lambda a: size >= a),
        (r"have element sum (\d+)", lambda a: total == a),
        (r"have element sum at most (\d+)", lambda a: total <= a),
        (r"sum divisible by (\d+)", lambda a: total % a == 0),
        (r"(?<!not )contain (\d+)\b", has),
        (r"do not contain (\d+)", lambda a: ~has(a)),
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

    def share(test: Callable[[str], bool]) -> Fraction:
        return Fraction(sum(test(k) for k in kids), len(kids))

    kids = ["".join(a[i] + b[i] for i in range(len(genes)))
            for a in gametes(parents[0]) for b in gametes(parents[1])]
    canon = ["".join("".join(sorted(k[2 * i:2 * i + 2])) for i in range(len(genes)))
             for k in kids]
    hetero = [sum(k[2 * i] != k[2 * i + 1] for i in range(len(genes))) for k in kids]
    if "distinct genotypes" in p:
        return Fraction(len(set(canon)))
    if "distinct phenotypes" in p:
        return Fraction(len({phenotype(k) for k in kids}))
    if "homozygous at every gene" in p:
        return Fraction(hetero.count(0), len(kids))
    if m := re.search(r"heterozygous at exactly (\d+) of", p):
        return Fraction(hetero.count(int(m.group(1))), len(kids))
    if "have genotype" in p:
        target = _search(r"have genotype ([A-Za-z]+)\?", p).group(1)
        want = "".join("".join(sorted(target[2 * i:2 * i + 2])) for i in range(len(genes)))
        return Fraction(canon.count(want), len(kids))
    if m := re.search(r"dominant phenotype for (exactly|at least) (\d+) of", p):
        k = int(m.group(2))
        if m.group(1) == "exactly":
            return share(lambda x: phenotype(x).count("D") == k)
        return share(lambda x: phenotype(x).count("D") >= k)
    words = dict((g, w) for w, g in re.findall(r"the ([a-z-]+) ([A-Z]) trait", p))
    code = {"dominant": "D", "recessive": "r", "homozygous-dominant": "2", "intermediate": "1",
            "homozygous-recessive": "0"}
    want_p = tuple(code[words[g]] for g in genes)
    return share(lambda x: phenotype(x) == want_p)


def _fine_labels(kind: str, ell: int) -> list[Fraction]:
    if kind == "nlj":
        return [Fraction(1, 2)] if ell == 0 else [ell - Fraction(1, 2), ell + Fraction(1, 2)]
    if kind == "nlm":
        return [Fraction(m) for m in range(-ell, ell + 1)]
    return [Fraction(0)]


def check_spectral(item: Item) -> int:
    p, kind = item.prompt, item.meta["kind"]
    if kind == "energies":
        levels = [int(v) for v in _search(r"levels at ([\d, ]+) \(in eV\)", p).group(1)
                  .split(",")]
        return len({a - b for a in levels for b in levels if a > b})
    if kind in ("nl", "nlj", "nlm"):
        assert {"nl": "state (n, l) with", "nlj": "state (n, l, j)",
                "nlm": "state (n, l, m)"}[kind] in p
        lo, hi = map(int, _search(r"(\d+) <= n <= (\d+)", p).groups())
        cap_m = re.search(r"min\(n-1, (\d+)\)", p)
        jump_m = re.search(r"decreasing by at most (\d+)", p)
        jump = int(jump_m.group(1)) if jump_m else hi
        states = [(n, ell, x) for n in range(lo, hi + 1)
                  for ell in range(min(n - 1, int(cap_m.group(1))) + 1 if cap_m else n)
                  for x in _fine_labels(kind, ell)]
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


def _stars_and_bars(n: int, q: int) -> int:
    return math.comb(q + n - 1, n - 1) if q >= 0 else 0


def check_microstates(item: Item) -> int:
    m, kind = item.meta, item.meta["kind"]
    ints = [int(v) for v in re.findall(r"-?\d+", item.prompt)]
    for key in ("n", "q", "cap", "up", "top", "na", "nb", "qa_lo", "qa_hi", "particles", "energy"):
        if key in m and not (key == "up" and kind == "spin_energy"):
            assert m[key] in ints, (key, item.prompt)
    if kind in ("einstein", "einstein_min", "capped"):
        n, q = m["n"], m["q"] - m["n"] * m.get("low", 0)
        cap = m.get("cap", q)
        ways = sum((-1) ** j * math.comb(n, j) * _stars_and_bars(n, q - j * (cap + 1))
                   for j in range(n + 1))
        if ways <= 20_000:
            assert _compositions(n, q, cap) == ways
        return ways
    if kind in ("spins", "spins_between", "spin_energy"):
        n = m["n"]
        ups = np.bitwise_count(np.arange(1 << n, dtype=np.int64)).astype(np.int64)
        if kind == "spin_energy":
            energy = int(_search(r"total energy (-?\d+)", item.prompt).group(1))
            return int(((n - ups) - ups == energy).sum())
        top = m.get("top", m["up"])
        return int(((ups >= m["up"]) & (ups <= top)).sum())
    if kind in ("two_solids", "two_range"):
        q = m["q"]
        return sum(_stars_and_bars(m["na"], x) * _stars_and_bars(m["nb"], q - x)
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


CHECKS: dict[str, Callable[[Item], int | Fraction]] = {
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
