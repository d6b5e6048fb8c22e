"""Enumeration / math: subsets of {1..n} under size, sum, divisibility, membership and
no-two-consecutive conditions.

Every condition is stated, so nothing is recalled and checking one subset is trivial; what is
tested is a split (by size, or by largest element) that covers all 2^n subsets without gaps or
repeats. The solver is a DP over the elements that never lists a subset; brute force over every
subset is the independent check.
"""

from __future__ import annotations

import random
from itertools import combinations, pairwise
from math import comb

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."

Constraint = tuple[str, int, int]  # (kind, a, b); unused fields are 0


def _describe(c: Constraint) -> str:
    kind, a, b = c
    return {
        "size_eq": f"have exactly {a} element{'s' * (a != 1)}",
        "size_le": f"have at most {a} element{'s' * (a != 1)}",
        "size_ge": f"have at least {a} element{'s' * (a != 1)}",
        "sum_eq": f"have element sum {a}",
        "sum_le": f"have element sum at most {a}",
        "sum_mod": (f"have an element sum divisible by {a}" if b == 0
                    else f"have an element sum that leaves remainder {b} when divided by {a}"),
        "no_consec": "contain no two consecutive integers",
        "include": f"contain {a}",
        "exclude": f"do not contain {a}",
    }[kind]


def subset_ok(subset: tuple[int, ...], constraints: list[Constraint]) -> bool:
    """Direct check of one subset (sorted ascending) against the constraints."""
    k, s = len(subset), sum(subset)
    for kind, a, b in constraints:
        if kind == "no_consec":
            ok = all(y - x > 1 for x, y in pairwise(subset))
        elif kind in ("include", "exclude"):
            ok = (a in subset) == (kind == "include")
        else:
            ok = _size_sum_ok(k, s, [(kind, a, b)])
        if not ok:
            return False
    return True


def subset_counts_by_size(n: int, constraints: list[Constraint]) -> list[int]:
    """DP over the elements 1..n with state (size, sum, last taken); returns counts per size."""
    return subset_walk(n, constraints)[0]


def subset_walk(n: int, constraints: list[Constraint]) -> tuple[list[int], int]:
    """Counts per size, and the (element, size, sum, last taken) states the DP visits: subsets
    that agree on those are counted together, never listed. The sum is kept only as far as a
    condition needs it (exactly below a bound, or modulo m), the last element only for the
    no-two-consecutive rule."""
    kinds = {c[0] for c in constraints}
    must = {c[1] for c in constraints if c[0] == "include"}
    banned = {c[1] for c in constraints if c[0] == "exclude"}
    mod = next((c[1] for c in constraints if c[0] == "sum_mod"), 0)
    cap = next((c[1] for c in constraints if c[0] in ("sum_eq", "sum_le")), None)
    track_last = "no_consec" in kinds
    states: dict[tuple[int, int, bool], int] = {(0, 0, False): 1}
    visited = 1
    for e in range(1, n + 1):
        nxt: dict[tuple[int, int, bool], int] = {}
        for (k, s, last), ways in states.items():
            if e not in must:
                nxt[(k, s, False)] = nxt.get((k, s, False), 0) + ways
            if e in banned or (track_last and last):
                continue
            total = (s + e) % mod if mod else s + e if cap is not None else 0
            if cap is not None and total > cap:
                continue
            key = (k + 1, total, track_last)
            nxt[key] = nxt.get(key, 0) + ways
        states = nxt
        visited += len(states)
    by_size = [0] * (n + 1)
    size_sum = [c for c in constraints if c[0] not in ("no_consec", "include", "exclude")]
    for (k, s, _), ways in states.items():
        if _size_sum_ok(k, s, size_sum):
            by_size[k] += ways
    return by_size, visited


def _size_sum_ok(k: int, s: int, constraints: list[Constraint]) -> bool:
    for kind, a, b in constraints:
        if kind == "size_eq":
            ok = k == a
        elif kind == "size_le":
            ok = k <= a
        elif kind == "size_ge":
            ok = k >= a
        elif kind == "sum_eq":
            ok = s == a
        elif kind == "sum_le":
            ok = s <= a
        else:
            ok = s % a == b
        if not ok:
            return False
    return True


_SUBSETS = {  # difficulty: (n range, number of constraints, kinds allowed, answer range)
    1: ((3, 6), (1, 1), ("size_eq", "sum_eq"), (1, 10**9)),
    2: ((5, 8), (1, 2), ("size_eq", "sum_eq", "no_consec", "sum_le", "include", "exclude"),
        (2, 10**9)),
    3: ((8, 11), (2, 2), ("size_eq", "size_le", "sum_eq", "sum_le", "no_consec", "sum_mod"),
        (10, 10**9)),
    4: ((12, 15), (3, 3), ("size_eq", "size_ge", "sum_le", "sum_mod", "no_consec", "include",
                           "exclude"), (40, 10**9)),
    5: ((16, 19), (3, 4), ("size_eq", "size_ge", "size_le", "sum_eq", "sum_le", "sum_mod",
                           "no_consec", "include", "exclude"), (300, 30_000)),
}
_GROUP = {"size_eq": "size", "size_le": "size", "size_ge": "size", "sum_eq": "sum",
          "sum_le": "sum", "sum_mod": "sum", "no_consec": "consec", "include": "in",
          "exclude": "out"}


def _pick_constraints(rng: random.Random, n: int, count: int,
                      kinds: tuple[str, ...]) -> list[Constraint]:
    chosen: list[str] = []
    for kind in rng.sample(kinds, len(kinds)):
        if len(chosen) < count and _GROUP[kind] not in {_GROUP[c] for c in chosen}:
            chosen.append(kind)
    model = sorted(rng.sample(range(1, n + 1), rng.randint(1, max(1, n // 2))))
    out: list[Constraint] = []
    for kind in chosen:
        if kind.startswith("size"):
            out.append((kind, rng.randint(1, max(1, (n + 1) // 2)), 0))
        elif kind == "sum_eq":
            out.append((kind, sum(model), 0))
        elif kind == "sum_le":
            out.append((kind, rng.randint(n, 3 * n), 0))
        elif kind == "sum_mod":
            m = rng.randint(3, 7)
            out.append((kind, m, rng.randrange(m)))
        elif kind in ("include", "exclude"):
            out.append((kind, rng.randint(1, n), 0))
        else:
            out.append((kind, 0, 0))
    return out


@generator("enumeration.math.subsets", behavior=Behavior.ENUMERATION, domain=Domain.MATH,
           version=2,
           why="Checking one subset against the stated conditions is trivial; the count (hundreds "
               "to thousands at the top level) needs a split by size or by element that covers "
               "all 2^n subsets without gaps or repeats.")
def subsets(rng: random.Random, difficulty: int) -> Draft:
    """Count subsets of {1..n} under size, sum, divisibility and no-two-consecutive conditions.

    Checking one subset is trivial; the work is a split by size (or by element) that covers the
    2^n subsets without gaps or repeats.
    """
    (nlo, nhi), (clo, chi), kinds, (alo, ahi) = _SUBSETS[difficulty]
    while True:
        n = rng.randint(nlo, nhi)
        cons = _pick_constraints(rng, n, rng.randint(clo, chi), kinds)
        by_size, visited = subset_walk(n, cons)
        answer = sum(by_size)
        if alo <= answer <= ahi and answer < 2 ** n:
            break
    empty_ok = by_size[0] > 0
    conds = [_describe(c) for c in cons]
    cond_text = conds[0] if len(conds) == 1 else ", ".join(conds[:-1]) + " and " + conds[-1]
    universe = "{" + ", ".join(map(str, range(1, n + 1))) + "}" if n <= 6 else f"{{1, 2, ..., {n}}}"
    prompt = (f"How many subsets of {universe}{' (including the empty set)' if empty_ok else ''}"
              f" {cond_text}? {INTEGER_FORM}")
    if sum(1 for c in by_size if c) == 1 and answer > 6:
        steps = _largest_element_steps(n, cons)
    else:
        steps = _size_steps(n, cons, by_size)
    meta = {"n": n, "constraints": [list(c) for c in cons]}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta, work=visited, work_unit="states")


def _largest_element_steps(n: int, cons: list[Constraint]) -> list[str]:
    """One size only: split by the largest element m (subsets of {1..m} that contain m)."""
    steps = ["Every valid subset has the same size; split by its largest element m."]
    parts = []
    for m in range(1, n + 1):
        if any(kind == "include" and a > m for kind, a, _ in cons):
            continue
        local = [c for c in cons if not (c[0] == "exclude" and c[1] > m)] + [("include", m, 0)]
        cnt = sum(subset_walk(m, local)[0])
        if cnt:
            steps.append(f"Largest element {m}: {cnt}")
            parts.append(str(cnt))
    total = sum(int(p) for p in parts)
    steps.append(f"Total: {' + '.join(parts)} = {total}." if len(parts) > 1 else f"Total: {total}.")
    return steps


def _size_steps(n: int, cons: list[Constraint], by_size: list[int]) -> list[str]:
    answer = sum(by_size)
    steps = ["Split the subsets by their number of elements k and count each size."]
    for k, cnt in enumerate(by_size):
        if cnt == 0:
            continue
        listing = ""
        if cnt <= 6 and comb(n, k) <= 500:
            found = [c for c in combinations(range(1, n + 1), k) if subset_ok(c, cons)]
            listing = ": " + ", ".join("{" + ", ".join(map(str, c)) + "}" for c in found)
        steps.append(f"k = {k}: {cnt} subset{'s' if cnt > 1 else ''}{listing}.")
    empty_sizes = [str(k) for k, cnt in enumerate(by_size) if cnt == 0]
    if empty_sizes:
        steps.append(f"No valid subset has k = {', '.join(empty_sizes)}.")
    nonzero = [str(c) for c in by_size if c]
    steps.append(f"Total: {' + '.join(nonzero)} = {answer}." if len(nonzero) > 1
                 else f"Total: {answer}.")
    return steps
