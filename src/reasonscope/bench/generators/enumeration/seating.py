"""Enumeration / general: seatings in a row or around a table under simple conditions.

The count comes from a seat-by-seat dynamic programme over (who is seated, who sat last), never
from listing permutations, so brute force over all permutations is an independent check.
"""

from __future__ import annotations

import random
from math import factorial

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."
NAMES = ("Ana", "Ben", "Cal", "Dia", "Eli", "Fay", "Gus", "Hal", "Ivy")

# (kind, person a, person b or seat number); seats are numbered 1..n from the left.
Rule = tuple[str, int, int]
ROW_KINDS = ("apart", "together", "left_of", "just_left", "end", "not_end", "seat", "not_seat")
ROUND_KINDS = ("apart", "together", "just_left")


def describe(rule: Rule, names: list[str], round_table: bool) -> str:
    kind, a, b = rule
    x, y = names[a], names[b] if kind not in ("end", "not_end", "seat", "not_seat") else ""
    if kind == "just_left":
        return (f"{y} sits in the seat immediately clockwise from {x}" if round_table
                else f"{x} sits immediately to the left of {y}")
    return {
        "apart": f"{x} and {y} do not sit next to each other",
        "together": f"{x} and {y} sit next to each other",
        "left_of": f"{x} sits somewhere to the left of {y}",
        "end": f"{x} sits at one of the two ends",
        "not_end": f"{x} does not sit at either end",
        "seat": f"{x} sits in seat {b}",
        "not_seat": f"{x} does not sit in seat {b}",
    }[kind]


def _can_place(x: int, pos: int, last: int, mask: int, n: int, rules: list[Rule],
               round_table: bool) -> bool:
    """Whether person x may take position `pos` right after `last` (mask = people seated)."""
    for kind, a, b in rules:
        if kind in ("seat", "not_seat"):
            here = x == a and pos == b - 1
            if (kind == "seat" and (x == a) != (pos == b - 1)) or (kind == "not_seat" and here):
                return False
        elif kind in ("end", "not_end") and x == a:
            if (pos in (0, n - 1)) != (kind == "end"):
                return False
        elif kind == "apart":
            if {x, last} == {a, b}:
                return False
        elif kind == "left_of":
            if x == b and not mask >> a & 1:
                return False
        elif kind == "together":
            for p, q in ((a, b), (b, a)):
                wraps = round_table and q == 0 and pos == n - 1
                if x == p and mask >> q & 1 and last != q and not wraps:
                    return False  # p arrives after its partner but not beside it
                if last == p and not mask >> q & 1 and x != q and not (round_table and p == 0):
                    return False  # p's only remaining neighbour seat is this one
        elif kind == "just_left":
            if round_table and b == 0:
                if x == a and pos != n - 1:
                    return False
                continue
            if (x == b and last != a) or (last == a and x != b):
                return False
    return True


def _closes(last: int, rules: list[Rule], round_table: bool) -> bool:
    """The final check around a round table: the last seat touches person 0's seat."""
    if not round_table:
        return True
    return all(not (kind == "apart" and {last, 0} == {a, b}) for kind, a, b in rules)


def count_seatings(n: int, rules: list[Rule], round_table: bool,
                   first: int | None = None, second: int | None = None) -> int:
    """Seat-by-seat DP over (seated set, last seated). Around a table person 0 takes the first
    seat, which removes rotations; `first`/`second` pin the first seats for case splits."""
    return seating_walk(n, rules, round_table, first, second)[0]


def seating_walk(n: int, rules: list[Rule], round_table: bool, first: int | None = None,
                 second: int | None = None) -> tuple[int, int]:
    """The count of `count_seatings`, and the (seated set, last seated) states visited."""
    if round_table:
        layer = {(1, 0): 1}
    else:
        layer = {(1 << x, x): 1 for x in range(n) if _can_place(x, 0, -1, 0, n, rules, False)
                 and first in (None, x)}
    states = len(layer)
    for pos in range(1, n):
        nxt: dict[tuple[int, int], int] = {}
        for (mask, last), ways in layer.items():
            for x in range(n):
                if mask >> x & 1 or not _can_place(x, pos, last, mask, n, rules, round_table):
                    continue
                if round_table and pos == 1 and second is not None and x != second:
                    continue
                key = (mask | 1 << x, x)
                nxt[key] = nxt.get(key, 0) + ways
        layer = nxt
        states += len(layer)
    return sum(w for (_, last), w in layer.items() if _closes(last, rules, round_table)), states


_SEATING = {  # difficulty: (sizes, number of rules, round-table probability, least answer)
    1: ((3, 3), (1, 1), 0.0, 1), 2: ((4, 4), (1, 2), 0.0, 1), 3: ((5, 5), (2, 3), 0.25, 4),
    4: ((6, 7), (3, 4), 0.3, 30), 5: ((8, 8), (4, 6), 0.3, 200),
}


def _random_rule(rng: random.Random, n: int, round_table: bool) -> Rule:
    kind = rng.choice(ROUND_KINDS if round_table else ROW_KINDS)
    a, b = rng.sample(range(n), 2)
    if kind in ("seat", "not_seat"):
        return (kind, a, rng.randint(1, n))
    if kind in ("end", "not_end"):
        return (kind, a, 0)
    return (kind, a, b)


@generator("enumeration.general.seating", behavior=Behavior.ENUMERATION, domain=Domain.GENERAL,
           version=2,
           why="Each stated condition is easy to check for one seating and nothing is recalled; "
               "the count (hundreds to thousands of the 8! seatings at the top level) needs the "
               "arrangements split into cases so none is missed or counted twice.")
def seating(rng: random.Random, difficulty: int) -> Draft:
    """Count the seatings of named people in a row or around a table under a few conditions.

    Each condition is easy to check for one seating; counting all of them means organising the
    n! arrangements by cases so none is missed or counted twice.
    """
    (nlo, nhi), (rlo, rhi), p_round, least = _SEATING[difficulty]
    while True:
        n = rng.randint(nlo, nhi)
        round_table = rng.random() < p_round
        names = sorted(rng.sample(NAMES, n))
        rules: list[Rule] = []
        for _ in range(rng.randint(rlo, rhi)):
            rule = _random_rule(rng, n, round_table)
            if rule not in rules:
                rules.append(rule)
        answer, states = seating_walk(n, rules, round_table)
        total = factorial(n - 1) if round_table else factorial(n)
        if least <= answer < total:
            break
    people = ", ".join(names[:-1]) + " and " + names[-1]
    conds = "; ".join(describe(r, names, round_table) for r in rules)
    if round_table:
        setting = (f"{people} sit around a round table with {n} seats. Seatings that differ only "
                   f"by a rotation count as the same.")
    elif any(r[0] in ("seat", "not_seat") for r in rules):
        setting = f"{people} sit in a row of {n} seats, numbered 1 to {n} from the left."
    else:
        setting = f"{people} sit in a row of {n} seats."
    prompt = f"{setting} Conditions: {conds}. How many seatings are possible? {INTEGER_FORM}"
    if round_table:
        steps = [f"Fix {names[0]}'s seat to remove rotations; split by who sits clockwise next "
                 f"to {names[0]}."]
        cases = [(x, count_seatings(n, rules, True, second=x)) for x in range(1, n)]
    else:
        steps = ["Split by who sits in the leftmost seat."]
        cases = [(x, count_seatings(n, rules, False, first=x)) for x in range(n)]
    steps += [f"{names[x]}: {c}" for x, c in cases]
    steps.append(f"Total: {answer}.")
    meta = {"names": names, "round": round_table, "rules": [list(r) for r in rules]}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta, work=states, work_unit="states")
