"""Enumeration / math: counting lattice paths and bounded integer solutions (constrained
subsets live in `subsets`).

Each family states every rule in the prompt, so nothing is recalled and the arithmetic stays
additions of small counts; what is tested is organising the case split (a path table,
inclusion-exclusion over violated bounds) so that nothing is missed or counted twice.
"""

from __future__ import annotations

import random
from itertools import combinations
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


_GRID = {  # difficulty: (min side, max side, min blocks, max blocks, waypoint prob., min answer)
    1: (1, 3, 0, 1, 0.0, 1), 2: (2, 5, 1, 2, 0.0, 1), 3: (3, 6, 2, 4, 0.0, 10),
    4: (5, 8, 4, 7, 0.5, 60), 5: (8, 11, 8, 14, 0.7, 500),
}


def _fmt(p: Point) -> str:
    return f"({p[0]}, {p[1]})"


@generator("enumeration.math.grid_paths", behavior=Behavior.ENUMERATION, domain=Domain.MATH,
           version=2,
           why="Each table entry is one addition of small counts; the answer (hundreds to tens of "
               "thousands of paths at the top level) needs every point of the grid accounted for "
               "around the blocks, so the work is the complete, exact case table.")
def grid_paths(rng: random.Random, difficulty: int) -> Draft:
    """Count right/up lattice paths that avoid blocked points (and pass a waypoint at high levels).

    The count is a table of additions; the difficulty is keeping every point of the table right
    around the blocks, which is exactly the complete-and-exact bookkeeping of enumeration.
    """
    lo, hi, bmin, bmax, p_way, least = _GRID[difficulty]
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
        if answer >= least:
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
    cells = sum(len(t) * len(t[0]) for t in tables)
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta, work=cells, work_unit="states")


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


_SUMS = {  # difficulty: (k range, total range, max lower bound, number of upper bounds, least)
    1: ((2, 3), (2, 12), 1, (0, 0), 1), 2: ((3, 3), (5, 12), 2, (1, 1), 1),
    3: ((3, 4), (8, 20), 3, (2, 3), 10), 4: ((4, 5), (14, 32), 4, (3, 4), 100),
    5: ((6, 7), (30, 60), 5, (5, 7), 2000),
}


def _bound_text(i: int, lo: int, hi: int | None) -> str:
    return f"x{i} >= {lo}" if hi is None else f"{lo} <= x{i} <= {hi}"


@generator("enumeration.math.bounded_sums", behavior=Behavior.ENUMERATION, domain=Domain.MATH,
           version=2,
           why="Every term is a binomial coefficient of small numbers; the answer (thousands of "
               "solutions at the top level) needs inclusion-exclusion over every group of broken "
               "upper bounds, which is case enumeration, not calculation or recall.")
def bounded_sums(rng: random.Random, difficulty: int) -> Draft:
    """Count integer solutions of x1 + ... + xk = n with lower and upper bounds on the variables.

    Stars and bars gives the unbounded count; the enumeration skill is the inclusion-exclusion over
    which upper bounds are broken, each term a plain binomial coefficient.
    """
    (klo, khi), (nlo, nhi), lmax, (ulo, uhi), least = _SUMS[difficulty]
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
        if answer >= least and total > sum(lows):
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
    cases = 1  # the unbounded count, then every group of broken bounds that can happen
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
        cases += len(parts)
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
                 steps=tuple(steps), meta=meta, work=cases, work_unit="cases")
