"""Enumeration / math: counting lattice paths, constrained subsets and bounded integer solutions.

Each family states every rule in the prompt, so nothing is recalled and the arithmetic stays
additions of small counts; what is tested is organising the case split (a path table, a split by
subset size, inclusion-exclusion over violated bounds) so that nothing is missed or counted twice.
"""

from __future__ import annotations

import random
from itertools import combinations, pairwise
from math import comb

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."

Point = tuple[int, int]


# ---------------------------------------------------------------- grid paths


def path_table(start: Point, end: Point, blocked: frozenset[Point]) -> list[list[int]]:
    """f[y][x] = monotone paths from `start` to (x0 + x, y0 + y) that avoid every blocked point."""
    (x0, y0), (x1, y1) = start, end
    f = [[0] * (x1 - x0 + 1) for _ in range(y1 - y0 + 1)]
    for y in range(y1 - y0 + 1):
        for x in range(x1 - x0 + 1):
            if (x0 + x, y0 + y) in blocked:
                continue
            if x == 0 and y == 0:
                f[y][x] = 1
            else:
                f[y][x] = (f[y][x - 1] if x else 0) + (f[y - 1][x] if y else 0)
    return f


_GRID = {  # difficulty: (min side, max side, min blocks, max blocks, waypoint probability)
    1: (1, 3, 0, 1, 0.0), 2: (2, 5, 1, 2, 0.0), 3: (3, 5, 2, 4, 0.0),
    4: (4, 7, 3, 6, 0.5), 5: (6, 9, 6, 10, 1.0),
}


def _fmt(p: Point) -> str:
    return f"({p[0]}, {p[1]})"


@generator("enumeration.math.grid_paths", behavior=Behavior.ENUMERATION, domain=Domain.MATH)
def grid_paths(rng: random.Random, difficulty: int) -> Draft:
    """Count right/up lattice paths that avoid blocked points (and pass a waypoint at high levels).

    The count is a table of additions; the difficulty is keeping every point of the table right
    around the blocks, which is exactly the complete-and-exact bookkeeping of enumeration.
    """
    lo, hi, bmin, bmax, p_way = _GRID[difficulty]
    while True:
        w, h = rng.randint(lo, hi), rng.randint(lo, hi)
        inner = [(x, y) for y in range(h + 1) for x in range(w + 1)
                 if (x, y) not in ((0, 0), (w, h))]
        way: Point | None = rng.choice(inner) if rng.random() < p_way else None
        free = [p for p in inner if p != way]
        blocked = sorted(rng.sample(free, min(len(free), rng.randint(bmin, bmax))),
                         key=lambda p: (p[1], p[0]))
        bset = frozenset(blocked)
        legs = [((0, 0), way), (way, (w, h))] if way else [((0, 0), (w, h))]
        tables = [path_table(a, b, bset) for a, b in legs]
        counts = [t[-1][-1] for t in tables]
        answer = counts[0] * (counts[1] if len(counts) > 1 else 1)
        if answer > 0:
            break
    steps: list[str] = []
    if blocked:
        steps.append("Let f(x, y) count allowed paths to (x, y): f = 1 at the start, 0 at a "
                     "blocked point, otherwise f(x, y) = f(x-1, y) + f(x, y-1).")
    else:
        steps.append("Let f(x, y) count paths to (x, y): f = 1 at the start, otherwise "
                     "f(x, y) = f(x-1, y) + f(x, y-1).")
    for (a, b), table in zip(legs, tables, strict=True):
        if way:
            steps.append(f"Paths from {_fmt(a)} to {_fmt(b)}:")
        for y, row in enumerate(table):
            steps.append(f"y = {a[1] + y} (x = {a[0]}..{b[0]}): " + ", ".join(map(str, row)))
    if way:
        steps.append(f"Every path passes {_fmt(way)}, so multiply the two legs: "
                     f"{counts[0]} * {counts[1]} = {answer}.")
    else:
        steps.append(f"f({w}, {h}) = {answer}.")
    if difficulty == 1:
        avoid = f" and avoid {_fmt(blocked[0])}" if blocked else ""
        prompt = (f"How many paths go from (0, 0) to ({w}, {h}) using unit steps right or up"
                  f"{avoid}? {INTEGER_FORM}")
    else:
        parts = [f"A path goes from (0, 0) to ({w}, {h}) on the integer grid, each step moving one "
                 "unit right (+x) or up (+y)."]
        parts.append(f"It may not visit the blocked point{'s' if len(blocked) > 1 else ''} "
                     + ", ".join(_fmt(p) for p in blocked) + ".")
        if way:
            parts.append(f"It must pass through {_fmt(way)}.")
        parts.append(f"How many such paths are there? {INTEGER_FORM}")
        prompt = " ".join(parts)
    meta = {"width": w, "height": h, "blocked": [list(p) for p in blocked],
            "waypoint": list(way) if way else None}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta)


# ---------------------------------------------------------------- subsets


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
    kinds = {c[0] for c in constraints}
    must = {c[1] for c in constraints if c[0] == "include"}
    banned = {c[1] for c in constraints if c[0] == "exclude"}
    states: dict[tuple[int, int, bool], int] = {(0, 0, False): 1}
    for e in range(1, n + 1):
        nxt: dict[tuple[int, int, bool], int] = {}
        for (k, s, last), ways in states.items():
            if e not in must:
                nxt[(k, s, False)] = nxt.get((k, s, False), 0) + ways
            if e not in banned and not ("no_consec" in kinds and last):
                key = (k + 1, s + e, True)
                nxt[key] = nxt.get(key, 0) + ways
        states = nxt
    by_size = [0] * (n + 1)
    size_sum = [c for c in constraints if c[0] not in ("no_consec", "include", "exclude")]
    for (k, s, _), ways in states.items():
        if _size_sum_ok(k, s, size_sum):
            by_size[k] += ways
    return by_size


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


_SUBSETS = {  # difficulty: (n range, number of constraints, kinds allowed)
    1: ((3, 6), (1, 1), ("size_eq", "sum_eq")),
    2: ((5, 8), (1, 2), ("size_eq", "sum_eq", "no_consec", "sum_le", "include", "exclude")),
    3: ((7, 10), (2, 2), ("size_eq", "size_le", "sum_eq", "sum_le", "no_consec", "sum_mod")),
    4: ((10, 13), (3, 3), ("size_eq", "size_ge", "sum_le", "sum_mod", "no_consec", "include",
                           "exclude")),
    5: ((13, 16), (3, 4), ("size_eq", "size_ge", "size_le", "sum_eq", "sum_le", "sum_mod",
                           "no_consec", "include", "exclude")),
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


@generator("enumeration.math.subsets", behavior=Behavior.ENUMERATION, domain=Domain.MATH)
def subsets(rng: random.Random, difficulty: int) -> Draft:
    """Count subsets of {1..n} under size, sum, divisibility and no-two-consecutive conditions.

    Checking one subset is trivial; the work is a split by size (or by element) that covers the
    2^n subsets without gaps or repeats.
    """
    (nlo, nhi), (clo, chi), kinds = _SUBSETS[difficulty]
    while True:
        n = rng.randint(nlo, nhi)
        cons = _pick_constraints(rng, n, rng.randint(clo, chi), kinds)
        by_size = subset_counts_by_size(n, cons)
        answer = sum(by_size)
        if 0 < answer < 2 ** n:
            break
    empty_ok = by_size[0] > 0
    conds = [_describe(c) for c in cons]
    cond_text = conds[0] if len(conds) == 1 else ", ".join(conds[:-1]) + " and " + conds[-1]
    universe = "{" + ", ".join(map(str, range(1, n + 1))) + "}" if n <= 6 else f"{{1, 2, ..., {n}}}"
    prompt = (f"How many subsets of {universe}{' (including the empty set)' if empty_ok else ''}"
              f" {cond_text}? {INTEGER_FORM}")
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
    meta = {"n": n, "constraints": [list(c) for c in cons]}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta)


# ---------------------------------------------------------------- bounded integer solutions


def bounded_solutions(total: int, lows: list[int], highs: list[int | None]) -> list[int]:
    """Inclusion-exclusion terms: entry j is the signed sum over j violated upper bounds."""
    k, rest = len(lows), total - sum(lows)
    caps = [(i, h - lo) for i, (lo, h) in enumerate(zip(lows, highs, strict=True)) if h is not None]
    terms = [0] * (len(caps) + 1)
    for j in range(len(caps) + 1):
        for group in combinations(caps, j):
            left = rest - sum(c + 1 for _, c in group)
            if left >= 0:
                terms[j] += (-1) ** j * comb(left + k - 1, k - 1)
    return terms


_SUMS = {  # difficulty: (k range, total range, max lower bound, number of upper bounds)
    1: ((2, 3), (2, 12), 1, (0, 0)), 2: ((3, 3), (5, 12), 2, (1, 1)),
    3: ((3, 4), (8, 20), 3, (1, 2)), 4: ((4, 5), (12, 30), 4, (2, 4)),
    5: ((5, 6), (20, 45), 5, (4, 6)),
}


def _bound_text(i: int, lo: int, hi: int | None) -> str:
    return f"x{i} >= {lo}" if hi is None else f"{lo} <= x{i} <= {hi}"


@generator("enumeration.math.bounded_sums", behavior=Behavior.ENUMERATION, domain=Domain.MATH)
def bounded_sums(rng: random.Random, difficulty: int) -> Draft:
    """Count integer solutions of x1 + ... + xk = n with lower and upper bounds on the variables.

    Stars and bars gives the unbounded count; the enumeration skill is the inclusion-exclusion over
    which upper bounds are broken, each term a plain binomial coefficient.
    """
    (klo, khi), (nlo, nhi), lmax, (ulo, uhi) = _SUMS[difficulty]
    while True:
        k, total = rng.randint(klo, khi), rng.randint(nlo, nhi)
        if difficulty == 1:
            lows = [rng.randint(0, 1)] * k
        else:
            lows = [rng.randint(0, lmax) for _ in range(k)]
        capped = set(rng.sample(range(k), min(k, rng.randint(ulo, uhi))))
        share = max(1, (total - sum(lows)) // k)
        highs: list[int | None] = [lows[i] + rng.randint(max(1, share // 2), 2 * share + 1)
                                   if i in capped else None for i in range(k)]
        terms = bounded_solutions(total, lows, highs)
        answer = sum(terms)
        if answer > 0 and total > sum(lows):
            break
    names = ", ".join(f"x{i + 1}" for i in range(k))
    equation = " + ".join(f"x{i + 1}" for i in range(k)) + f" = {total}"
    if difficulty == 1:
        kind = "non-negative" if lows[0] == 0 else "positive"
        prompt = f"How many ordered {k}-tuples ({names}) of {kind} integers satisfy {equation}? "
    else:
        bounds = ", ".join(_bound_text(i + 1, lo, hi) for i, (lo, hi) in
                           enumerate(zip(lows, highs, strict=True)))
        prompt = f"How many integer solutions ({names}) does {equation} have with {bounds}? "
    prompt += INTEGER_FORM
    rest = total - sum(lows)
    steps = []
    if any(lows):
        steps.append(f"Substitute y_i = x_i - (lower bound of x_i) >= 0: the y_i sum to "
                     f"{total} - {sum(lows)} = {rest}.")
    caps = [(i, h - lo) for i, (lo, h) in enumerate(zip(lows, highs, strict=True)) if h is not None]
    if caps:
        steps.append("Upper bounds become " + ", ".join(f"y{i + 1} <= {c}" for i, c in caps) + ".")
    steps.append(f"Without upper bounds (stars and bars): C({rest} + {k - 1}, {k - 1}) = "
                 f"{comb(rest + k - 1, k - 1)}.")
    for j in range(1, len(terms)):
        if terms[j] == 0:
            steps.append(f"Breaking {j} upper bounds at once is impossible (it needs more than "
                         f"{rest}); no further terms.")
            break
        parts = []
        for group in combinations(caps, j):
            left = rest - sum(c + 1 for _, c in group)
            if left >= 0:
                parts.append(f"C({left + k - 1}, {k - 1})")
        verb = "subtract it" if j % 2 else "add it back"
        steps.append(f"{j} bound{'s' if j > 1 else ''} broken (y_i >= cap + 1, shift and recount): "
                     f"{' + '.join(parts)} = {abs(terms[j])}; {verb}.")
    if len(terms) > 1:
        expr = str(terms[0]) + "".join(f" {'-' if t < 0 else '+'} {abs(t)}" for t in terms[1:] if t)
        steps.append(f"Total: {expr} = {answer}.")
    else:
        steps.append(f"Total: {answer}.")
    meta = {"total": total, "lows": lows, "highs": highs}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta)
