"""Simulation in the science domain: radioactive decay followed through time, step by step.

Low levels follow one isotope over half-lives with material added or removed (exact rational
amounts). The top levels follow a decay chain counted in whole atoms: in each step every
species loses a stated fraction of its atoms, rounded down, to the next one. The rounding makes
the chain non-linear (no matrix power or Bateman formula gives the answer), so the counts are
carried step by step; each step is a few integer divisions.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

_TIME_UNITS = ("minutes", "hours", "days", "years")
_SPECIES = ("A", "B", "C", "D")
# (species, step-count range, additions, start range of A) for the chains at levels 4 and 5
_CHAIN_LEVELS = {4: (3, (6, 7), 1, (1_000, 4_999)), 5: (4, (8, 9), 2, (2_000, 9_999))}
_CHAIN_MIN_WORK = {4: 16, 5: 32}


def fmt_rational(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def halving_states(n0: Fraction, k: int, events: list[tuple[int, Fraction]]) -> list[Fraction]:
    """Amounts after 0..k half-lives; events (after half-life w, change) apply after decay."""
    out = [n0]
    for step in range(1, k + 1):
        out.append(out[-1] / 2 + sum((c for w, c in events if w == step), Fraction(0)))
    return out


def chain_states(start: list[int], divisors: list[int], k: int,
                 events: list[tuple[int, int, int]]) -> list[list[int]]:
    """Atom counts after 0..k steps: species i loses floor(N_i / divisors[i]) atoms to species
    i+1 (the last one's leave the chain), all from the counts at the start of the step; events
    (after step w, species, atoms added) apply after that step's decay."""
    state = list(start)
    out = [list(state)]
    for step in range(1, k + 1):
        lost = [n // d for n, d in zip(state, divisors, strict=True)]
        state = [n - lost[i] + (lost[i - 1] if i else 0) for i, n in enumerate(state)]
        for when, species, atoms in events:
            if when == step:
                state[species] += atoms
        out.append(list(state))
    return out


def _decay_single(rng: random.Random, difficulty: int) -> Draft:
    k = {1: rng.randint(1, 2), 2: rng.randint(3, 4), 3: rng.randint(5, 6)}[difficulty]
    n_events = difficulty - 1
    half = rng.randint(2, 12)
    unit = rng.choice(_TIME_UNITS)
    mass = rng.choice(["grams", "milligrams"])
    n0 = Fraction(rng.randint(1, 20) * 2**k) if difficulty == 1 else Fraction(rng.randint(10, 999))
    events: list[tuple[int, Fraction]] = []
    for when in sorted(rng.sample(range(1, k), n_events)):
        present = halving_states(n0, when, events)[-1]
        if rng.random() < 0.35 and present >= 4:
            change = -Fraction(rng.randint(1, int(present) // 2))
        else:
            change = Fraction(rng.randint(5, 200))
        events.append((when, change))
    states = halving_states(n0, k, events)
    answer = states[-1]
    said = "".join(
        f" At {when * half} {unit}, {fmt_rational(abs(c))} {mass} of the isotope is "
        f"{'added to' if c > 0 else 'removed from'} the sample." for when, c in events)
    prompt = (f"A sample holds {fmt_rational(n0)} {mass} of an isotope with a half-life of "
              f"{half} {unit}.{said} How many {mass} of the isotope remain after {k * half} "
              f"{unit}? Answer with an exact number (an integer or a fraction in lowest terms).")
    steps = (*(f"After {s * half} {unit}: {fmt_rational(st)} {mass}"
               for s, st in enumerate(states[1:], 1)),
             f"The answer is {fmt_rational(answer)}.")
    return Draft(prompt=prompt, answer=fmt_rational(answer), answer_type=AnswerType.RATIONAL,
                 steps=steps, work=k + len(events), work_unit="amount changes",
                 meta={"model": "halving", "start": str(n0), "k": k,
                       "events": [[w, str(c)] for w, c in events]})


def _chain_work(states: list[list[int]], events: list[tuple[int, int, int]]) -> int:
    """Count changes: each (step, species) whose count moved, plus each addition."""
    moved = sum(a != b for prev, cur in itertools.pairwise(states)
                for a, b in zip(prev, cur, strict=True))
    return moved + len(events)


_Chain = tuple[list[int], list[int], int, int, list[tuple[int, int, int]], list[list[int]]]


def _draw_chain(rng: random.Random, difficulty: int) -> _Chain:
    """(divisors, start, steps, asked species, additions, states) for a chain in which every
    species loses atoms in every step (no count falls below its divisor, where the rounding
    would freeze it), enough counts change, and every addition still reaches the asked
    species by the end (an addition that cannot is one a solver could skip)."""
    n_sp, (k_lo, k_hi), n_events, (a_lo, a_hi) = _CHAIN_LEVELS[difficulty]
    while True:
        divisors = [rng.randint(2, 5) for _ in range(n_sp)]
        k = rng.randint(k_lo, k_hi)
        ask = n_sp - 1 if difficulty == 5 else rng.randint(1, n_sp - 1)
        start = [rng.randint(a_lo, a_hi)] + [rng.randint(0, 999) if difficulty == 5 else 0
                                             for _ in range(n_sp - 1)]
        events = []
        for w in sorted(rng.sample(range(1, k), n_events)):
            species = rng.randint(1, ask)
            if w + ask - species <= k:
                events.append((w, species, rng.randint(10, 300)))
        states = chain_states(start, divisors, k, events)
        alive = all(n >= d for st in states[1:] for n, d in zip(st, divisors, strict=True))
        if (len(events) == n_events and alive
                and _chain_work(states, events) >= _CHAIN_MIN_WORK[difficulty]):
            return divisors, start, k, ask, events, states


def _decay_chain(rng: random.Random, difficulty: int) -> Draft:
    divisors, start, k, ask, events, states = _draw_chain(rng, difficulty)
    n_sp = len(divisors)
    names = _SPECIES[:n_sp]
    rules = []
    for i, (nm, d) in enumerate(zip(names, divisors, strict=True)):
        goes = (f"which become {names[i + 1]}" if i + 1 < n_sp
                else "which leave the chain as a stable product that is not counted")
        rules.append(f"{nm} loses floor({nm}/{d}) atoms, {goes}")
    said = "".join(f" Right after step {w}, {atoms} atoms of {names[sp]} are added."
                   for w, sp, atoms in events)
    init = ", ".join(f"{nm} = {n}" for nm, n in zip(names, start, strict=True))
    prompt = (f"A decay chain {' -> '.join(names)} is modelled in whole atoms, step by step. In "
              f"each step, using the counts at the start of the step (floor rounds down): "
              f"{'; '.join(rules)}. At the start, {init} atoms.{said} How many atoms of "
              f"{names[ask]} are there after {k} steps? Give the answer as an integer.")
    steps = (*(f"After step {s}: " + ", ".join(f"{nm} = {n}" for nm, n in
                                                zip(names, st, strict=True))
               for s, st in enumerate(states[1:], 1)),
             f"The answer is {states[-1][ask]}.")
    return Draft(prompt=prompt, answer=str(states[-1][ask]), answer_type=AnswerType.INTEGER,
                 steps=steps, work=_chain_work(states, events), work_unit="amount changes",
                 meta={"model": "chain", "start": start, "divisors": divisors, "k": k,
                       "ask": ask, "events": [list(e) for e in events]})


@generator("simulation.science.decay", behavior=Behavior.SIMULATION, domain=Domain.SCIENCE,
           version=2,
           why="amounts are followed through a stated timeline of half-lives, additions and "
               "(at the top levels) a rounded-down decay chain with no closed form, so every "
               "step is applied in turn; the decay rules are given, so no physics is recalled")
def decay(rng: random.Random, difficulty: int) -> Draft:
    """Track radioactive material over half-lives, with additions/removals and decay chains.

    One isotope (levels 1-3) is halved exactly, so its answer is a rational number; chains
    (levels 4-5) count whole atoms with stated per-step losses rounded down.
    """
    return _decay_single(rng, difficulty) if difficulty <= 3 else _decay_chain(rng, difficulty)
