"""Enumeration / coding: strings a regex accepts, and inputs (or input pairs) a function accepts.

The Python involved is tiny and fully shown; answering needs no execution trace of a long program,
only a complete and exact count of the accepted members of a finite space.
"""

from __future__ import annotations

import random
from math import lcm

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.enumeration.predicates import count_in_range, random_program
from reasonscope.bench.generators.enumeration.regex import (
    count_by_length,
    random_regex,
    render,
    walk_lengths,
)
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."

# ---------------------------------------------------------------- regex strings

_REGEX = {  # difficulty: (alphabet, leaves, lengths, "at most" prob., exclusion prob., answers)
    1: ("ab", (2, 3), (2, 3), 0.0, 0.0, (1, 8)),
    2: ("ab", (3, 5), (3, 5), 0.3, 0.0, (2, 24)),
    3: ("ab", (4, 6), (4, 6), 0.5, 0.2, (4, 60)),
    4: ("abc", (5, 7), (5, 6), 1.0, 0.4, (30, 400)),
    5: ("abc", (6, 9), (7, 8), 1.0, 0.5, (200, 6000)),
}


def _letters(alphabet: str) -> str:
    chars = list(alphabet)
    return ", ".join(chars[:-1]) + " and " + chars[-1]


@generator("enumeration.coding.regex_strings", behavior=Behavior.ENUMERATION,
           domain=Domain.CODING, version=2,
           why="Matching one string against a shown regex is easy; the count (hundreds to "
               "thousands of strings at the top level) needs a length-by-length case split over "
               "the pattern's branches, with no execution and nothing recalled.")
def regex_strings(rng: random.Random, difficulty: int) -> Draft:
    """Count the strings up to a length over a small alphabet that `re.fullmatch` accepts.

    Matching one string is easy; the count requires organising all strings of the space (by
    length, by the pattern's branches) so none is skipped or counted twice.
    """
    alphabet, (slo, shi), (llo, lhi), p_most, p_excl, (alo, ahi) = _REGEX[difficulty]
    while True:
        pattern = random_regex(rng, alphabet, rng.randint(slo, shi))
        reject = random_regex(rng, alphabet, rng.randint(2, 2 + difficulty // 2)) \
            if rng.random() < p_excl else None
        length = rng.randint(llo, lhi)
        at_most = rng.random() < p_most
        counts, visited = walk_lengths(alphabet, length, pattern, reject)
        answer = sum(counts) if at_most else counts[-1]
        space = sum(len(alphabet) ** k for k in range(length + 1)) if at_most \
            else len(alphabet) ** length
        if not alo <= answer <= ahi or answer >= space or (difficulty >= 4 and 2 * answer > space):
            continue
        if difficulty == 5 and any(2 * c > len(alphabet) ** k for k, c in enumerate(counts)):
            continue  # some length accepts most strings: a complement count would shortcut
        if difficulty >= 2 and not any(ch in render(pattern) for ch in "[|*+?{"):
            continue  # a plain literal accepts one string: nothing to enumerate
        plain = count_by_length(alphabet, length, pattern)
        if reject is not None and plain == counts:
            continue  # the exclusion must remove something
        break
    source = render(pattern)
    which = (f"with len(s) <= {length} (the empty string included)" if at_most
             else f"of length {length}")
    test = f"re.fullmatch(r'{source}', s) return a match"
    if reject is not None:
        test += f" while re.fullmatch(r'{render(reject)}', s) returns None"
    prompt = f"How many strings s {which} over the letters {_letters(alphabet)} make {test}? "
    prompt += INTEGER_FORM
    lengths = range(length + 1) if at_most else [length]
    steps = ["Count length by length, following which parts of the pattern a prefix can still "
             "be inside."]
    for k in lengths:
        if reject is None:
            steps.append(f"Length {k}: {counts[k]} accepted.")
        else:
            steps.append(f"Length {k}: {plain[k]} match the first pattern, {plain[k] - counts[k]} "
                         f"of them also match the second; {counts[k]} accepted.")
    if at_most:
        steps.append(f"Total: {' + '.join(str(counts[k]) for k in lengths)} = {answer}.")
    meta = {"pattern": source, "reject": render(reject) if reject is not None else None,
            "alphabet": alphabet, "length": length, "at_most": at_most}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta, work=visited, work_unit="states")


# ---------------------------------------------------------------- inputs a function accepts

_INPUTS = {  # difficulty: (atoms, styles, atom kinds, max modulus, range length, periods)
    1: ((1, 1), ("expr",), ("mod_eq", "mod_ne", "mod_lt"), 5, (10, 20), (1, 5)),
    2: ((1, 2), ("expr",), ("mod_eq", "mod_ne", "mod_lt", "mod_in"), 7, (20, 60), (2, 35)),
    3: ((2, 3), ("expr", "rules"), ("mod_eq", "mod_ne", "mod_in", "and_zero", "bit", "block"), 9,
        (100, 300), (4, 72)),
    4: ((3, 4), ("expr", "rules", "counter", "loop"), ("mod_eq", "mod_ne", "mod_lt", "mod_in",
                                                       "and_zero", "bit", "block", "lin"), 10,
        (300, 1500), (12, 180)),
    5: ((4, 5), ("rules", "counter", "loop"), ("mod_eq", "mod_ne", "mod_in", "and_zero", "bit",
                                               "block", "lin"), 12, (1000, 5000), (36, 420)),
}


@generator("enumeration.coding.true_inputs", behavior=Behavior.ENUMERATION,
           domain=Domain.CODING, version=2,
           why="The shown function is a few modular tests, trivial to run on one x; the count over "
               "a long range needs the residues of a whole period sorted into True and False, "
               "then full periods plus a leftover, not a trace of a long program.")
def true_inputs(rng: random.Random, difficulty: int) -> Draft:
    """Count the integers in a range for which a small periodic Python predicate returns True.

    The function depends on x only through x mod a period, so the count is one period's
    True-residues times the number of full periods plus a leftover: a structured enumeration
    rather than a long execution.
    """
    (alo, ahi), styles, kinds, max_mod, (rlo, rhi), (plo, phi) = _INPUTS[difficulty]
    while True:
        program = random_program(rng, rng.choice(styles), rng.randint(alo, ahi), kinds, max_mod)
        if not plo <= program.period <= phi:
            continue
        size = rng.randint(rlo, rhi)
        start = rng.randint(-size, size // 2) if difficulty == 5 else rng.randint(0, 5 * difficulty)
        answer, period, good, tail = count_in_range(program, start, start + size)
        if 0 < answer < size and 0 < len(good) < period:
            break
    stop = start + size
    prompt = (f"{program.code()}\n\nHow many integers x in range({start}, {stop}) make f(x) "
              f"return True? {INTEGER_FORM}")
    full = size // period
    listed = ", ".join(map(str, good)) if len(good) <= 40 else f"{len(good)} residues"
    steps = [f"f(x) depends only on x mod {period}.",
             f"In one period (x mod {period} = 0..{period - 1}) f is True for {listed}: "
             f"{len(good)} value{'s' if len(good) > 1 else ''}.",
             f"range({start}, {stop}) has {size} integers: {full} full periods and "
             + (f"{size - full * period} more ({start + full * period}..{stop - 1})."
                if size > full * period else "nothing left over."),
             f"Leftover values that pass: {tail}.",
             f"Total: {full} * {len(good)} + {tail} = {answer}."]
    meta = {"code": program.code(), "start": start, "stop": stop}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta, work=period + size - full * period,
                 work_unit="checks")


# ---------------------------------------------------------------- pairs a function accepts

Cond = tuple[str, int, int, int, int]  # lin: (a, b, m, r) ; bound kinds use the first field


def _cond_code(c: Cond, negate: bool = False) -> str:
    kind, a, b, m, r = c
    if kind in ("lin_eq", "lin_ne"):
        terms = [t for t in (f"{a} * i" if a > 1 else "i" if a else "",
                             f"{b} * j" if b > 1 else "j") if t]
        eq = (kind == "lin_eq") != negate
        lhs = terms[0] if terms == ["j"] else f"({' + '.join(terms)})"
        return f"{lhs} % {m} {'==' if eq else '!='} {r}"
    op = {"sum_lt": ("i + j", "<", ">="), "gap_le": ("j - i", "<=", ">"),
          "gap_ge": ("j - i", ">=", "<"), "ratio": ("j", "<=", ">")}[kind]
    rhs = f"{a} * i" if kind == "ratio" else str(a)
    return f"{op[0]} {op[2] if negate else op[1]} {rhs}"


def _cond_holds(c: Cond, i: int, j: int) -> bool:
    kind, a, b, m, r = c
    if kind == "lin_eq":
        return (a * i + b * j) % m == r
    if kind == "lin_ne":
        return (a * i + b * j) % m != r
    return {"sum_lt": i + j < a, "gap_le": j - i <= a, "gap_ge": j - i >= a,
            "ratio": j <= a * i}[kind]


def _random_cond(rng: random.Random, kind: str, n: int) -> Cond:
    if kind.startswith("lin"):
        m = rng.randint(2, 7)
        b = rng.choice([c for c in (1, 2, 3) if c % m])  # b = 0 mod m would ignore j
        return (kind, rng.randint(0, 3), b, m, rng.randrange(m))
    if kind == "sum_lt":
        return (kind, rng.randint(n // 2, 2 * n - 3), 0, 0, 0)
    if kind == "ratio":
        return (kind, rng.randint(2, 3), 0, 0, 0)
    return (kind, rng.randint(2, max(2, n // 2)), 0, 0, 0)


_PAIRS = {  # difficulty: (n range, number of conditions, kinds)
    1: ((4, 8), 1, ("lin_eq", "sum_lt", "gap_le")),
    2: ((7, 12), 2, ("lin_eq", "lin_ne", "sum_lt", "gap_le", "gap_ge")),
    3: ((12, 24), 2, ("lin_eq", "lin_ne", "sum_lt", "gap_le", "gap_ge", "ratio")),
    4: ((24, 45), 3, ("lin_eq", "lin_ne", "sum_lt", "gap_le", "gap_ge", "ratio")),
    5: ((60, 100), 4, ("lin_eq", "lin_ne", "sum_lt", "gap_le", "gap_ge", "ratio")),
}
_PAIRS_MIN = {1: 1, 2: 1, 3: 1, 4: 40, 5: 200}  # the smallest answer kept per level


def pair_counts(n: int, conds: list[Cond]) -> tuple[list[tuple[int, int, int, int]], int]:
    """Per i: (i, lowest j, highest j + 1, count), and the checks made (one interval per row,
    one test per residue, one per leftover j). Bounds cut an interval of j; the congruences
    select residues of j modulo their lcm, counted by full periods plus a leftover."""
    lins = [c for c in conds if c[0].startswith("lin")]
    period = lcm(*(c[3] for c in lins)) if lins else 1
    rows, checks = [], 0
    for i in range(n):
        lo, hi = i + 1, n
        for kind, a, *_ in conds:
            if kind == "sum_lt":
                hi = min(hi, a - i)
            elif kind == "gap_le":
                hi = min(hi, i + a + 1)
            elif kind == "gap_ge":
                lo = max(lo, i + a)
            elif kind == "ratio":
                hi = min(hi, a * i + 1)
        checks += 1
        count = 0
        if hi - lo > period:  # long interval: one period of residues, then full periods
            good = [res for res in range(period) if all(_cond_holds(c, i, res) for c in lins)]
            full = (hi - lo) // period
            tail = sum(1 for j in range(lo + full * period, hi) if j % period in good)
            count = full * len(good) + tail
            checks += (period if lins else 0) + hi - lo - full * period
        elif hi > lo:  # short interval: test each j
            count = sum(1 for j in range(lo, hi) if all(_cond_holds(c, i, j) for c in lins))
            checks += hi - lo
        rows.append((i, lo, hi, count))
    return rows, checks


@generator("enumeration.coding.true_pairs", behavior=Behavior.ENUMERATION, domain=Domain.CODING,
           version=2,
           why="Each condition of the shown function is one comparison or congruence; counting "
               "the accepted pairs (hundreds at the top level) needs a row-by-row split into "
               "intervals and residues, with no long execution and nothing recalled.")
def true_pairs(rng: random.Random, difficulty: int) -> Draft:
    """Count the pairs 0 <= i < j < n for which a small Python function of (i, j) returns True.

    A two-dimensional space cut by bounds and congruences: counted row by row (fixed i) it is a
    sum of short interval counts, which is the bookkeeping the cell is about.
    """
    (nlo, nhi), n_conds, kinds = _PAIRS[difficulty]
    while True:
        n = rng.randint(nlo, nhi)
        chosen = rng.sample(kinds, n_conds)
        if difficulty >= 3 and not any(k.startswith("lin") for k in chosen):
            continue  # a congruence makes the rows more than interval lengths
        conds = [_random_cond(rng, k, n) for k in chosen]
        rows, checks = pair_counts(n, conds)
        answer = sum(r[3] for r in rows)
        if _PAIRS_MIN[difficulty] <= answer < n * (n - 1) // 2:
            break
    lines = ["def g(i, j):"]
    if difficulty >= 4:
        for c in conds[:-1]:
            lines += [f"    if {_cond_code(c, negate=True)}:", "        return False"]
        lines.append(f"    return {_cond_code(conds[-1])}")
    else:
        lines.append("    return " + " and ".join(_cond_code(c) for c in conds))
    code = "\n".join(lines)
    prompt = (f"{code}\n\nHow many pairs (i, j) with 0 <= i < j < {n} make g(i, j) return True? "
              f"{INTEGER_FORM}")
    steps = ["Fix i; the bounds leave an interval of j and the congruences keep some residues "
             "of j."]
    steps += _row_steps(rows)
    steps.append(f"Total: {answer}.")
    meta = {"code": code, "n": n}
    return Draft(prompt=prompt, answer=str(answer), answer_type=AnswerType.INTEGER,
                 steps=tuple(steps), meta=meta, work=checks, work_unit="checks")


def _row_steps(rows: list[tuple[int, int, int, int]]) -> list[str]:
    """One line per i for short ranges; blocks of ten counts (empty rows merged) for long ones."""
    if len(rows) <= 30:
        return [f"i = {i}: j in {lo}..{hi - 1}: {cnt}" if hi > lo else f"i = {i}: no j"
                for i, lo, hi, cnt in rows]
    last = max((r[0] for r in rows if r[3]), default=0)
    lines = [f"i = {rows[k][0]}..{min(k + 9, last)}: "
             + ", ".join(str(r[3]) for r in rows[k:min(k + 10, last + 1)])
             + f" (sum {sum(r[3] for r in rows[k:min(k + 10, last + 1)])})"
             for k in range(0, last + 1, 10)]
    if last < len(rows) - 1:
        lines.append(f"i = {last + 1}..{len(rows) - 1}: no j")
    return lines
