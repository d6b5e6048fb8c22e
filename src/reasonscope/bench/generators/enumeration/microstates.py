"""Enumeration / science: microstates of small systems (Einstein solids, spins, particles in
levels).

What a microstate is (distinguishable oscillators, identical quanta, exclusion) is stated in the
prompt, so nothing is recalled. The solver hands out quanta (or particles) one holder at a time
and keeps the number of ways per running total: its work is the (holder, total) states visited.
The worked solutions present the same counts the way a person would reach them: stars and bars,
inclusion-exclusion, a sum over macrostates, or a split by the highest occupied level.
"""

from __future__ import annotations

import random
from math import comb

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

INTEGER_FORM = "Give the answer as an integer."


def share(holders: int, total: int, low: int = 0, cap: int | None = None) -> tuple[list[int], int]:
    """Ways for distinguishable holders, each taking low..cap identical units, to hold every
    running total 0..total; and the (holder, total) states visited on the way."""
    layer = {0: 1}
    states = 1
    for _ in range(holders):
        nxt: dict[int, int] = {}
        for s, ways in layer.items():
            top = total - s if cap is None else min(cap, total - s)
            for v in range(low, top + 1):
                nxt[s + v] = nxt.get(s + v, 0) + ways
        layer = nxt
        states += len(layer)
    return [layer.get(s, 0) for s in range(total + 1)], states


def level_fillings(particles: int, top: int, energy: int,
                   exclusive: bool) -> tuple[int, int]:
    """Identical particles in levels 0..top with the given total energy (DP over levels), and
    the (level, particles, energy) states visited."""
    table = {(0, 0): 1}
    states = 1
    for level in range(top + 1):
        nxt: dict[tuple[int, int], int] = {}
        for (count, e), ways in table.items():
            for extra in range(0, 2 if exclusive else particles - count + 1):
                key = (count + extra, e + extra * level)
                if key[0] <= particles and key[1] <= energy:
                    nxt[key] = nxt.get(key, 0) + ways
        table = nxt
        states += len(table)
    return table.get((particles, energy), 0), states


def omega(n: int, q: int) -> int:
    """Einstein-solid multiplicity, C(q + n - 1, q): used only to write the worked solution."""
    return comb(q + n - 1, q) if q >= 0 else 0


_MICRO = {
    1: ("einstein", "spins"), 2: ("einstein_min", "spins_between", "spin_energy"),
    3: ("spin_energy", "capped", "two_solids"), 4: ("capped", "two_range", "fermions", "bosons"),
    5: ("capped", "fermions", "bosons"),
}
_LEAST = {1: 2, 2: 2, 3: 2, 4: 20, 5: 150}
_OSC = "distinguishable oscillators, each holding any whole number of quanta"
Micro = tuple[str, int, int, list[str], dict[str, int | bool]]


def _micro_einstein(rng: random.Random, kind: str, d: int) -> Micro:
    if kind == "einstein":
        n, q = rng.randint(2, 4), rng.randint(1, 6)
        ways, states = share(n, q)
        a = ways[q]
        return (f"How many ways can {q} identical energy quanta be shared among {n} {_OSC}?", a,
                states, [f"Stars and bars: C({q} + {n} - 1, {q}) = {a}."],
                {"n": n, "q": q, "low": 0})
    if kind == "einstein_min":
        n, low = rng.randint(2, 6), rng.randint(0, 2)
        q = rng.randint(n * low + 1, n * low + 10)
        ways, states = share(n, q, low)
        a = ways[q]
        return (f"{q} identical quanta are shared among {n} distinguishable oscillators, each "
                f"holding at least {low}. How many microstates are there?", a, states,
                [f"Give each oscillator {low} first: {q - n * low} quanta remain.",
                 f"Stars and bars: C({q - n * low + n - 1}, {n - 1}) = {a}."],
                {"n": n, "q": q, "low": low})
    n = rng.randint(*{3: (4, 6), 4: (5, 8), 5: (7, 10)}[d])
    cap = rng.randint(2, 3 if d == 3 else 4)
    q = rng.randint(max(cap + 1, n * cap // 3), n * cap - 2)
    ways, states = share(n, q, 0, cap)
    a = ways[q]
    steps = [f"Without the cap (stars and bars): C({q + n - 1}, {n - 1}) = {omega(n, q)}."]
    for j in range(1, n + 1):
        left = q - j * (cap + 1)
        if left < 0:
            break
        term = (-1) ** j * comb(n, j) * omega(n, left)
        steps.append(f"{j} oscillator{'s' if j > 1 else ''} forced above {cap}: "
                     f"{'-' if term < 0 else '+'}C({n}, {j}) x C({left + n - 1}, {n - 1}) = "
                     f"{term:+d}.")
    steps.append(f"Total: {a}.")
    return (f"{q} identical quanta are shared among {n} distinguishable oscillators, each "
            f"holding at most {cap} quanta. How many microstates are there?", a, states, steps,
            {"n": n, "q": q, "cap": cap})


def _micro_spins(rng: random.Random, kind: str, d: int) -> Micro:
    n = rng.randint(2, 6) if d == 1 else rng.randint(4, 12) if d == 2 else rng.randint(9, 6 * d)
    up = rng.randint(1, n - 1)
    top = rng.randint(up + 1, min(n, up + 3)) if kind == "spins_between" else up
    ways, states = share(n, top, 0, 1)
    if kind == "spins":
        a = ways[up]
        return (f"{n} distinguishable spins each point up or down. How many microstates have "
                f"exactly {up} spin{'s' * (up > 1)} up?", a, states,
                [f"Choose the up spins: C({n}, {up}) = {a}."], {"n": n, "up": up})
    if kind == "spins_between":
        a = sum(ways[up:top + 1])
        return (f"{n} distinguishable spins each point up or down. How many microstates have "
                f"between {up} and {top} spins up (inclusive)?", a, states,
                [" + ".join(f"C({n}, {k})" for k in range(up, top + 1)) + f" = {a}."],
                {"n": n, "up": up, "top": top})
    e, a = n - 2 * up, ways[up]
    return (f"{n} distinguishable spins in a field each have energy -1 (aligned) or +1 "
            f"(anti-aligned) in units of mu B. How many microstates have total energy {e}?", a,
            states, [f"aligned - anti = {-e} and aligned + anti = {n}, so {up} aligned.",
                     f"C({n}, {up}) = {a}."], {"n": n, "up": up})


def _micro_pair(rng: random.Random, kind: str, d: int) -> Micro:
    na, nb = rng.randint(2, d + 1), rng.randint(2, d + 2)
    q = rng.randint(4, 5 * d)
    qa_lo = rng.randint(0, q)
    qa_hi = qa_lo if kind == "two_solids" else rng.randint(qa_lo, min(q, qa_lo + 2 * d))
    ways_a, states_a = share(na, q)
    ways_b, states_b = share(nb, q)
    parts = [ways_a[x] * ways_b[q - x] for x in range(qa_lo, qa_hi + 1)]
    a = sum(parts)
    cond = (f"exactly {qa_lo}" if qa_lo == qa_hi
            else f"between {qa_lo} and {qa_hi} (inclusive)")
    return (f"Einstein solid A has {na} oscillators and solid B has {nb}; together they hold "
            f"{q} identical quanta (oscillators are distinguishable). How many microstates of "
            f"the pair have {cond} of the quanta in solid A?", a, states_a + states_b,
            [f"qA = {x}: C({x + na - 1}, {x}) x C({q - x + nb - 1}, {q - x}) = {p}"
             for x, p in zip(range(qa_lo, qa_hi + 1), parts, strict=True)]
            + [f"Total: {a}."], {"na": na, "nb": nb, "q": q, "qa_lo": qa_lo, "qa_hi": qa_hi})


def _micro_levels(rng: random.Random, kind: str, d: int) -> Micro:
    exclusive = kind == "fermions"
    particles = rng.randint(3, 4) if d == 4 else rng.randint(4, 6)
    top = rng.randint(*{(4, False): (7, 10), (4, True): (9, 12), (5, False): (9, 14),
                        (5, True): (12, 18)}[d, exclusive])
    floor = particles * (particles - 1) // 2 if exclusive else 0
    energy = rng.randint(max(particles, floor + 2, particles * top // 3), particles * top // 2)
    a, states = level_fillings(particles, top, energy, exclusive)
    what = ("identical fermions (at most one per level)" if exclusive
            else "identical bosons (any number per level)")
    steps = [f"Split by the highest occupied level h; the other {particles - 1} particles sit "
             f"{'below h' if exclusive else 'at h or below'} with energy {energy} - h."]
    for h in range(min(top, energy) + 1):
        below = h - 1 if exclusive else h
        part = level_fillings(particles - 1, below, energy - h, exclusive)[0] if below >= 0 \
            else 0
        if part:
            steps.append(f"h = {h}: {part}")
    steps.append(f"Total: {a}.")
    return (f"{particles} {what} occupy non-degenerate levels with energies 0, 1, ..., {top} "
            f"(units of epsilon). How many microstates have total energy {energy}?", a, states,
            steps, {"particles": particles, "top": top, "energy": energy,
                    "exclusive": exclusive})


_MICRO_BUILD = {"einstein": _micro_einstein, "einstein_min": _micro_einstein,
                "capped": _micro_einstein, "spins": _micro_spins, "spins_between": _micro_spins,
                "spin_energy": _micro_spins, "two_solids": _micro_pair, "two_range": _micro_pair,
                "fermions": _micro_levels, "bosons": _micro_levels}


@generator("enumeration.science.microstates", behavior=Behavior.ENUMERATION,
           domain=Domain.SCIENCE, version=2,
           why="What a microstate is (distinguishable oscillators, identical quanta, exclusion) "
               "is stated, so no physics is recalled and the arithmetic is small; the count "
               "(hundreds to thousands at the top level) needs inclusion-exclusion over caps or "
               "a case split of level fillings.")
def microstates(rng: random.Random, difficulty: int) -> Draft:
    """Count microstates of small systems: Einstein solids, spins, particles in levels.

    The definitions (distinguishable oscillators, identical quanta, exclusion) are stated; the
    task is counting the arrangements, from stars and bars to inclusion-exclusion and sums over
    macrostates.
    """
    while True:
        kind = rng.choice(_MICRO[difficulty])
        text, answer, states, steps, params = _MICRO_BUILD[kind](rng, kind, difficulty)
        if answer >= _LEAST[difficulty]:
            break
    return Draft(prompt=f"{text} {INTEGER_FORM}", answer=str(answer),
                 answer_type=AnswerType.INTEGER, steps=tuple(steps),
                 meta={"kind": kind, **params}, work=states, work_unit="states")
