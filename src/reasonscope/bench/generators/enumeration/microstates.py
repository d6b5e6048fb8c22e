"""Enumeration / science: microstates of small systems (Einstein solids, spins, particles in
levels).

What a microstate is (distinguishable oscillators, identical quanta, exclusion) is stated in the
prompt, so nothing is recalled; the count runs from stars and bars to inclusion-exclusion and
sums over macrostates.
"""

from __future__ import annotations

import random
from math import comb

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."


def omega(n: int, q: int) -> int:
    """Einstein-solid multiplicity: q quanta among n oscillators, C(q + n - 1, q)."""
    return comb(q + n - 1, q) if q >= 0 else 0


def level_fillings(particles: int, top: int, energy: int, exclusive: bool) -> int:
    """Identical particles in levels 0..top with the given total energy (DP over levels)."""
    table = {(0, 0): 1}
    for level in range(top + 1):
        nxt: dict[tuple[int, int], int] = {}
        for (count, e), ways in table.items():
            for extra in range(0, 2 if exclusive else particles - count + 1):
                key = (count + extra, e + extra * level)
                if key[0] <= particles and key[1] <= energy:
                    nxt[key] = nxt.get(key, 0) + ways
        table = nxt
    return table.get((particles, energy), 0)


_MICRO = {
    1: ("einstein", "spins"), 2: ("einstein_min", "spins_between", "spin_energy"),
    3: ("spin_energy", "capped", "two_solids"), 4: ("capped", "two_range", "fermions", "bosons"),
    5: ("capped", "two_range", "fermions", "bosons"),
}
_OSC = "distinguishable oscillators, each holding any whole number of quanta"
Micro = tuple[str, int, list[str], dict[str, int | bool]]


def _micro_einstein(rng: random.Random, kind: str, d: int) -> Micro:
    if kind == "einstein":
        n, q = rng.randint(2, 4), rng.randint(1, 6)
        a = omega(n, q)
        return (f"How many ways can {q} identical energy quanta be shared among {n} {_OSC}?", a,
                [f"Stars and bars: C({q} + {n} - 1, {q}) = {a}."], {"n": n, "q": q, "low": 0})
    if kind == "einstein_min":
        n, low = rng.randint(2, 8), rng.randint(0, 2)
        q = rng.randint(n * low + 1, n * low + 16)
        a = omega(n, q - n * low)
        return (f"{q} identical quanta are shared among {n} distinguishable oscillators, each "
                f"holding at least {low}. How many microstates are there?", a,
                [f"Give each oscillator {low} first: {q - n * low} quanta remain.",
                 f"Stars and bars: C({q - n * low + n - 1}, {n - 1}) = {a}."],
                {"n": n, "q": q, "low": low})
    n, cap = rng.randint(3, d + 3), rng.randint(2, d + 1)
    q = rng.randint(cap + 1, n * cap - 1)
    steps = [f"Without the cap (stars and bars): C({q + n - 1}, {n - 1}) = {omega(n, q)}."]
    a = 0
    for j in range(n + 1):
        left = q - j * (cap + 1)
        if left < 0:
            break
        term = (-1) ** j * comb(n, j) * omega(n, left)
        a += term
        if j:
            steps.append(f"{j} oscillator{'s' if j > 1 else ''} forced above {cap}: "
                         f"{'-' if term < 0 else '+'}C({n}, {j}) x C({left + n - 1}, {n - 1}) = "
                         f"{term:+d}.")
    steps.append(f"Total: {a}.")
    return (f"{q} identical quanta are shared among {n} distinguishable oscillators, each "
            f"holding at most {cap} quanta. How many microstates are there?", a, steps,
            {"n": n, "q": q, "cap": cap})


def _micro_spins(rng: random.Random, kind: str, d: int) -> Micro:
    n = rng.randint(2, 6) if d == 1 else rng.randint(4, 12) if d == 2 else rng.randint(6, 6 * d)
    up = rng.randint(1, n - 1)
    if kind == "spins":
        a = comb(n, up)
        return (f"{n} distinguishable spins each point up or down. How many microstates have "
                f"exactly {up} spin{'s' * (up > 1)} up?", a,
                [f"Choose the up spins: C({n}, {up}) = {a}."], {"n": n, "up": up})
    if kind == "spins_between":
        top = rng.randint(up + 1, min(n, up + 3))
        a = sum(comb(n, k) for k in range(up, top + 1))
        return (f"{n} distinguishable spins each point up or down. How many microstates have "
                f"between {up} and {top} spins up (inclusive)?", a,
                [" + ".join(f"C({n}, {k})" for k in range(up, top + 1)) + f" = {a}."],
                {"n": n, "up": up, "top": top})
    e, a = n - 2 * up, comb(n, up)
    return (f"{n} distinguishable spins in a field each have energy -1 (aligned) or +1 "
            f"(anti-aligned) in units of mu B. How many microstates have total energy {e}?", a,
            [f"aligned - anti = {-e} and aligned + anti = {n}, so {up} aligned.",
             f"C({n}, {up}) = {a}."], {"n": n, "up": up})


def _micro_pair(rng: random.Random, kind: str, d: int) -> Micro:
    na, nb = rng.randint(2, d + 1), rng.randint(2, d + 2)
    q = rng.randint(4, 5 * d)
    qa_lo = rng.randint(0, q)
    qa_hi = qa_lo if kind == "two_solids" else rng.randint(qa_lo, min(q, qa_lo + 2 * d))
    parts = [omega(na, x) * omega(nb, q - x) for x in range(qa_lo, qa_hi + 1)]
    a = sum(parts)
    cond = (f"exactly {qa_lo}" if qa_lo == qa_hi
            else f"between {qa_lo} and {qa_hi} (inclusive)")
    return (f"Einstein solid A has {na} oscillators and solid B has {nb}; together they hold "
            f"{q} identical quanta (oscillators are distinguishable). How many microstates of "
            f"the pair have {cond} of the quanta in solid A?", a,
            [f"qA = {x}: C({x + na - 1}, {x}) x C({q - x + nb - 1}, {q - x}) = {p}"
             for x, p in zip(range(qa_lo, qa_hi + 1), parts, strict=True)]
            + [f"Total: {a}."], {"na": na, "nb": nb, "q": q, "qa_lo": qa_lo, "qa_hi": qa_hi})


def _micro_levels(rng: random.Random, kind: str, d: int) -> Micro:
    particles = rng.randint(d - 2, d - 1)
    top = rng.randint(4, 3 + 2 * d)
    exclusive = kind == "fermions"
    energy = rng.randint(particles, particles * top - 1)
    a = level_fillings(particles, top, energy, exclusive)
    what = ("identical fermions (at most one per level)" if exclusive
            else "identical bosons (any number per level)")
    return (f"{particles} {what} occupy non-degenerate levels with energies 0, 1, ..., {top} "
            f"(units of epsilon). How many microstates have total energy {energy}?", a,
            [f"Count the {'sets of distinct' if exclusive else 'multisets of'} {particles} levels "
             f"from 0..{top} whose energies sum to {energy}: {a}."],
            {"particles": particles, "top": top, "energy": energy, "exclusive": exclusive})


_MICRO_BUILD = {"einstein": _micro_einstein, "einstein_min": _micro_einstein,
                "capped": _micro_einstein, "spins": _micro_spins, "spins_between": _micro_spins,
                "spin_energy": _micro_spins, "two_solids": _micro_pair, "two_range": _micro_pair,
                "fermions": _micro_levels, "bosons": _micro_levels}


@generator("enumeration.science.microstates", behavior=Behavior.ENUMERATION,
           domain=Domain.SCIENCE)
def microstates(rng: random.Random, difficulty: int) -> Draft:
    """Count microstates of small systems: Einstein solids, spins, particles in levels.

    The definitions (distinguishable oscillators, identical quanta, exclusion) are stated; the
    task is counting the arrangements, from stars and bars to inclusion-exclusion and sums over
    macrostates.
    """
    while True:
        kind = rng.choice(_MICRO[difficulty])
        text, answer, steps, params = _MICRO_BUILD[kind](rng, kind, difficulty)
        if answer > 1:
            break
    return Draft(prompt=f"{text} {INTEGER_FORM}", answer=str(answer),
                 answer_type=AnswerType.INTEGER, steps=tuple(steps),
                 meta={"kind": kind, **params})
