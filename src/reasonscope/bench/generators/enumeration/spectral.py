"""Enumeration / science: counting emission lines between energy levels under stated rules.

The selection rules (which changes of n, l, j or m are allowed) are given in the prompt, so no
atomic physics is recalled. The solver groups the candidate transitions by shell pair and by
(l, l') pair and walks the fine states inside each group; at the top level that is hundreds to
thousands of candidate state pairs.
"""

from __future__ import annotations

import random
from fractions import Fraction

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."
HALF = Fraction(1, 2)


def sublevels(kind: str, ell: int) -> list[Fraction]:
    """The fine labels inside one (n, l): none for `nl`, j for `nlj`, m for `nlm`."""
    if kind == "nlj":
        return [HALF] if ell == 0 else [ell - HALF, ell + HALF]
    if kind == "nlm":
        return [Fraction(m) for m in range(-ell, ell + 1)]
    return [Fraction(0)]


def shell_pair_lines(kind: str, n: int, n_low: int, lmax: int) -> tuple[int, int]:
    """Allowed transitions from shell n to shell n_low (l changes by 1, the fine label by at most
    1), and the candidate state pairs examined on the way."""
    count = examined = 0
    for ell in range(min(n - 1, lmax) + 1):
        for ell2 in (ell - 1, ell + 1):
            if not 0 <= ell2 <= min(n_low - 1, lmax):
                continue
            for a in sublevels(kind, ell):
                for b in sublevels(kind, ell2):
                    examined += 1
                    count += abs(a - b) <= 1
    return count, examined


_RULE = {
    "nl": "l changes by exactly 1",
    "nlj": "l changes by exactly 1 and j changes by 0 or 1",
    "nlm": "l changes by exactly 1 and m changes by -1, 0 or +1",
}
_STATES = {
    "nl": "every state (n, l) with {lo} <= n <= {hi} and {ls}",
    "nlj": ("every state (n, l, j) with {lo} <= n <= {hi}, {ls} and j = l - 1/2 or l + 1/2 "
            "(j > 0, so only j = 1/2 for l = 0)"),
    "nlm": "every state (n, l, m) with {lo} <= n <= {hi}, {ls} and m = -l, ..., l",
}
_GROUP_RULE = {
    "nl": "each allowed (l, l') pair is one line",
    "nlj": "an (l, l') pair with min(l, l') = 0 has 2 allowed j pairs, any other has 3",
    "nlm": "an (l, l') pair has 3 * (2 * min(l, l') + 1) allowed m pairs",
}


def _lines_prompt(kind: str, lo: int, hi: int, d: int, lmax: int) -> str:
    levels = f"levels n = {lo} to {hi}"
    if kind == "cascade":
        if lo == 1:
            return (f"An electron is excited to level n = {hi} and returns to n = 1 by any "
                    f"sequence of downward jumps. How many different spectral lines can appear?")
        return (f"Atoms are excited among {levels} only. Counting every downward jump between two "
                f"of these levels as one line, how many different lines can be emitted?")
    if kind == "series":
        return (f"Electrons are excited up to level n = {hi}. How many different emission lines "
                f"end on level n = {lo}?")
    if kind == "delta":
        return (f"Consider {levels}. Only downward jumps that change n by at most {d} are allowed. "
                f"How many different emission lines are possible?")
    jump = f" (n decreasing by at most {d})" if d < hi - lo else ""
    ls = "l = 0, ..., n-1" if lmax >= hi - 1 else f"l = 0, ..., min(n-1, {lmax})"
    states = _STATES[kind].format(lo=lo, hi=hi, ls=ls)
    return (f"In a hydrogen-like atom take {states}. Count the emission transitions to a state "
            f"with lower n{jump} that obey the selection rule{'s' * (kind != 'nl')}: "
            f"{_RULE[kind]}. How many are there?")


def _shell_lines(kind: str, lo: int, hi: int, lmax: int, jump: int) -> tuple[int, int, list[str]]:
    answer = examined = 0
    steps = [f"Group by shell pair and by (l, l') pair: {_GROUP_RULE[kind]}."]
    for n in range(lo + 1, hi + 1):
        lows = range(max(lo, n - jump), n)
        per = []
        for n2 in lows:
            c, e = shell_pair_lines(kind, n, n2, lmax)
            per.append(c)
            examined += e
        answer += sum(per)
        steps.append(f"From n = {n}: " + ", ".join(
            f"to n = {n2}: {c}" for n2, c in zip(lows, per, strict=True))
            + f"; subtotal {sum(per)}.")
    return answer, examined, [*steps, f"Total: {answer}."]


def _energy_lines(levels: list[int]) -> tuple[int, int, list[str]]:
    steps, seen, examined = [], set(), 0
    for i in range(len(levels) - 1, 0, -1):
        gaps = [levels[i] - levels[k] for k in range(i - 1, -1, -1)]
        examined += len(gaps)
        seen.update(gaps)
        steps.append(f"From {levels[i]}: " + ", ".join(map(str, gaps)) + ".")
    distinct = sorted(seen)
    steps.append(f"Distinct values: {', '.join(map(str, distinct))}; count {len(distinct)}.")
    return len(distinct), examined, steps


def _level_lines(kind: str, lo: int, hi: int, d: int) -> tuple[int, int, list[str]]:
    """Level pairs (upper, lower) walked one by one; the steps give the closed count."""
    m = hi - lo + 1
    reach = {"cascade": m, "series": m, "delta": d}[kind]
    pairs = [(u, v) for u in range(lo + 1, hi + 1) for v in range(max(lo, u - reach), u)
             if kind != "series" or v == lo]
    answer = len(pairs)
    if kind == "cascade":
        return answer, answer, [f"{m} levels; every pair gives one line: C({m}, 2) = {answer}."]
    if kind == "series":
        return answer, answer, [f"Lines end on n = {lo} and start from n = {lo + 1}..{hi}: "
                                f"{answer}."]
    return answer, answer, [f"A jump of size s fits {m} - s times among {m} levels.",
                            " + ".join(f"({m} - {s})" for s in range(1, d + 1)) + f" = {answer}."]


_LINES = {  # difficulty: kinds (repeats weight the draw)
    1: ("cascade", "series"), 2: ("cascade", "delta", "energies"),
    3: ("delta", "nl", "energies", "energies"), 4: ("nl", "nlj", "energies", "energies"),
    5: ("nl", "nlj", "nlm"),
}
_SHELLS = {  # (difficulty, kind): range of the top shell
    (3, "nl"): (4, 5), (4, "nl"): (5, 8), (5, "nl"): (9, 13),
    (4, "nlj"): (4, 6), (5, "nlj"): (6, 10), (5, "nlm"): (5, 9),
}
_ENERGY_LEVELS = {2: (5, 6), 3: (7, 8), 4: (9, 11)}
_LEVEL_SPAN = {  # (difficulty, kind): number of levels for cascade/series/delta
    (1, "cascade"): (3, 6), (1, "series"): (3, 9), (2, "cascade"): (5, 8), (2, "delta"): (5, 9),
    (3, "delta"): (10, 16),
}
_LEAST = {1: 1, 2: 1, 3: 1, 4: 20, 5: 150}


def _draw(rng: random.Random, difficulty: int) -> tuple[str, int, int, list[str], dict]:
    kind = rng.choice(_LINES[difficulty])
    lo, hi, d, lmax, levels = 1, 0, 0, 0, [0]
    if kind == "energies":
        count = rng.randint(*_ENERGY_LEVELS[difficulty])
        levels = [0, *sorted(rng.sample(range(1, 4 * count + 1), count - 1))]
        answer, work, steps = _energy_lines(levels)
        if answer == count * (count - 1) // 2:
            answer = 0  # no coincident differences: nothing to de-duplicate; draw again
        prompt = (f"An atom has energy levels at {', '.join(map(str, levels))} (in eV). A "
                  f"downward jump between any two levels emits a photon whose energy is their "
                  f"difference. How many different photon energies are possible?")
    elif kind in ("nl", "nlj", "nlm"):
        hi = rng.randint(*_SHELLS[difficulty, kind])
        lo = rng.randint(1, max(1, hi - 4))
        lmax = rng.randint(max(1, hi // 2), hi - 1) if kind == "nl" else hi - 1
        d = rng.randint(1, hi - lo) if rng.random() < 0.6 else hi - lo
        answer, work, steps = _shell_lines(kind, lo, hi, lmax, d)
        prompt = _lines_prompt(kind, lo, hi, d, lmax)
    else:
        span = rng.randint(*_LEVEL_SPAN[difficulty, kind])
        lo = 1 if (difficulty, kind) == (1, "cascade") else rng.randint(1, 2 + 3 * difficulty)
        hi = lo + span - 1
        d = rng.randint(1, max(1, span - 2))
        answer, work, steps = _level_lines(kind, lo, hi, d)
        prompt = _lines_prompt(kind, lo, hi, d, lmax)
    meta = {"kind": kind, "lo": lo, "hi": hi, "max_jump": d, "lmax": lmax, "levels": levels}
    return prompt, answer, work, steps, meta


@generator("enumeration.science.spectral_lines", behavior=Behavior.ENUMERATION,
           domain=Domain.SCIENCE, version=2,
           why="The selection rules are stated, so no atomic physics is recalled and each "
               "transition is easy to check; the count (hundreds to thousands of state pairs at "
               "the top level) needs them grouped by shell pair and (l, l') pair without gaps.")
def spectral_lines(rng: random.Random, difficulty: int) -> Draft:
    """Count emission lines between energy levels, with selection rules at the higher levels.

    Each line is a pair of levels allowed by a stated rule (or a distinct energy difference);
    counting them grouped by the upper level is the whole task.
    """
    while True:
        prompt, answer, work, steps, meta = _draw(rng, difficulty)
        if answer >= _LEAST[difficulty]:
            break
    return Draft(prompt=f"{prompt} {INTEGER_FORM}", answer=str(answer),
                 answer_type=AnswerType.INTEGER, steps=tuple(steps), meta=meta, work=work,
                 work_unit="cases")
