"""Simulation in the science domain: step a physical or biological model through time.

Each prompt gives the model's update rule in full (the Euler scheme, the per-step decay
fractions, the automaton's rule table), so neither formula recall nor calculus is tested: the
work is applying the same update many times while keeping the state straight.
"""

from __future__ import annotations

import random
from fractions import Fraction

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.taxonomy import AnswerType, Behavior, Domain

# ---------------------------------------------------------------------------------------------
# Euler steps

# (time steps, rule kinds, step-count range, decimals in the coefficients)
_EULER_LEVELS: dict[int, tuple[tuple[str, ...], tuple[str, ...], tuple[int, int], int]] = {
    1: (("1",), ("constant",), (1, 2), 0),
    2: (("1", "0.5"), ("constant", "drag"), (3, 3), 1),
    3: (("0.5", "0.25", "0.2"), ("drag", "spring"), (4, 5), 1),
    4: (("0.1", "0.2", "0.25"), ("spring", "damped"), (6, 8), 1),
    5: (("0.05", "0.1", "0.2"), ("damped", "forced"), (10, 14), 2),
}
_EULER_CONTEXT = {
    "constant": "A cart is pushed by a constant force",
    "drag": "A ball falls through air with linear drag",
    "spring": "A mass oscillates on a spring",
    "damped": "A mass oscillates on a damped spring",
    "forced": "A mass on a damped spring is pushed by a constant extra force",
}
EULER_TOLERANCE = 0.005


def _dec(rng: random.Random, lo: int, hi: int, decimals: int) -> Fraction:
    """A random decimal in [lo, hi] with the given number of decimals (exact)."""
    scale = 10**decimals
    return Fraction(rng.randint(lo * scale, hi * scale), scale)


def fmt_decimal(x: Fraction) -> str:
    """Shortest plain decimal for an exact value (10 significant digits at most)."""
    if x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):.10g}"


def euler_trajectory(x0: Fraction, v0: Fraction, coef: tuple[Fraction, Fraction, Fraction],
                     dt: Fraction, n: int, *, semi_implicit: bool = False
                     ) -> list[tuple[Fraction, Fraction]]:
    """States (x, v) after 0..n steps of a = kx*x + kv*v + f.

    Explicit Euler moves x with the old v; the semi-implicit variant (v first, then x with the
    new v) is only used to make sure the tolerance separates the two schemes.
    """
    kx, kv, f = coef
    states = [(x0, v0)]
    x, v = x0, v0
    for _ in range(n):
        a = kx * x + kv * v + f
        if semi_implicit:
            v = v + a * dt
            x = x + v * dt
        else:
            x, v = x + v * dt, v + a * dt
        states.append((x, v))
    return states


def _accel_text(coef: tuple[Fraction, Fraction, Fraction]) -> str:
    terms = []
    for c, sym in zip(coef, ("x", "v", ""), strict=True):
        if c == 0:
            continue
        mag = fmt_decimal(abs(c))
        body = (mag if not sym or mag != "1" else "") + (f"*{sym}" if sym and mag != "1" else sym)
        terms.append(("-" if c < 0 else "+") + " " + body)
    text = " ".join(terms) or "0"
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


def _euler_coef(rng: random.Random, kind: str, decimals: int) -> tuple[Fraction, Fraction,
                                                                       Fraction]:
    zero = Fraction(0)
    if kind == "constant":
        g = Fraction(rng.choice([-1, 1]) * rng.randint(1, 4)) if decimals == 0 else \
            rng.choice([-1, 1]) * _dec(rng, 1, 5, decimals)
        return zero, zero, g
    if kind == "drag":
        drag = max(_dec(rng, 0, 1, decimals), Fraction(1, 10))
        return zero, -drag, -_dec(rng, 2, 10, decimals)
    kx = -_dec(rng, 1, 6, decimals)
    kv = -_dec(rng, 0, 1, decimals) if kind in ("damped", "forced") else zero
    f = rng.choice([-1, 1]) * _dec(rng, 1, 4, decimals) if kind == "forced" else zero
    return kx, kv, f


@generator("simulation.science.euler_motion", behavior=Behavior.SIMULATION,
           domain=Domain.SCIENCE, version=1)
def euler_motion(rng: random.Random, difficulty: int) -> Draft:
    """Advance a 1-D particle by explicit Euler steps under a given acceleration rule.

    The scheme and the force law are stated, so no physics is recalled or derived; the item
    checks that x and v are both carried (with the old values used in each update) over steps.
    """
    dts, kinds, (n_lo, n_hi), decimals = _EULER_LEVELS[difficulty]
    while True:
        dt = Fraction(rng.choice(dts))
        kind = rng.choice(kinds)
        coef = _euler_coef(rng, kind, decimals)
        x0 = Fraction(rng.randint(-5, 9)) if difficulty < 4 else _dec(rng, -3, 5, 1)
        v0 = Fraction(rng.randint(-3, 5)) if difficulty < 4 else _dec(rng, -3, 3, 1)
        n = rng.randint(n_lo, n_hi)
        ask = "x" if difficulty == 1 or rng.random() < 0.6 else "v"
        idx = 0 if ask == "x" else 1
        traj = euler_trajectory(x0, v0, coef, dt, n + 1)
        value = traj[n][idx]
        rivals = [traj[n - 1][idx], traj[n + 1][idx],
                  euler_trajectory(x0, v0, coef, dt, n, semi_implicit=True)[n][idx]]
        scale = max(abs(s[idx]) for s in traj)
        if value != 0 and abs(value) >= scale / 20 and all(
                abs(r - value) > 3 * EULER_TOLERANCE * abs(value) for r in rivals):
            break
    unit = "m" if ask == "x" else "m/s"
    update = "x_new = x + v*dt, v_new = v + a*dt"
    if kind != "constant":
        update = f"a from the current x and v, then {update}"
    prompt = (f"{_EULER_CONTEXT[kind]}: x = {fmt_decimal(x0)} m and v = {fmt_decimal(v0)} m/s "
              f"at t = 0, acceleration a = {_accel_text(coef)} m/s^2. Take {n} explicit Euler "
              f"step{'s' if n > 1 else ''} of dt = {fmt_decimal(dt)} s ({update}). What is {ask} "
              f"after {'them' if n > 1 else 'it'}? Give the answer in {unit} as a decimal number.")
    steps = (*(f"Step {k}: x = {fmt_decimal(x)} m, v = {fmt_decimal(v)} m/s"
               for k, (x, v) in enumerate(traj[1:n + 1], 1)),
             f"The answer is {fmt_decimal(value)} {unit}.")
    meta = {"x0": str(x0), "v0": str(v0), "coef": [str(c) for c in coef], "dt": str(dt), "n": n,
            "ask": ask, "kind": kind}
    return Draft(prompt=prompt, answer=fmt_decimal(value), answer_type=AnswerType.NUMBER,
                 tolerance=EULER_TOLERANCE, steps=steps, meta=meta)


# ---------------------------------------------------------------------------------------------
# Decay over half-lives

_TIME_UNITS = ("minutes", "hours", "days", "years")
_SPECIES = ("A", "B", "C")


def fmt_rational(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def decay_states(start: list[Fraction], keep: list[Fraction], k: int,
                 events: list[tuple[int, int, Fraction]]) -> list[list[Fraction]]:
    """Amounts of each species after 0..k steps of a chain A -> B -> C.

    In one step species i keeps the fraction keep[i] and passes the rest to species i+1 (the
    last one's losses leave the chain). Events (after step, species, change) apply after decay.
    """
    state = list(start)
    out = [list(state)]
    for step in range(1, k + 1):
        lost = [amt * (1 - kp) for amt, kp in zip(state, keep, strict=True)]
        state = [amt - ls + (lost[i - 1] if i else 0)
                 for i, (amt, ls) in enumerate(zip(state, lost, strict=True))]
        for when, sp, change in events:
            if when == step:
                state[sp] += change
        out.append(list(state))
    return out


def _fraction_text(f: Fraction) -> str:
    return {Fraction(1, 2): "half", Fraction(1, 4): "a quarter",
            Fraction(3, 4): "three quarters"}[f]


def _decay_single(rng: random.Random, difficulty: int) -> Draft:
    k = {1: rng.randint(1, 2), 2: rng.randint(3, 4), 3: rng.randint(5, 6)}[difficulty]
    n_events = difficulty - 1
    half = rng.randint(2, 12)
    unit = rng.choice(_TIME_UNITS)
    mass = rng.choice(["grams", "milligrams"])
    n0 = Fraction(rng.randint(1, 20) * 2**k) if difficulty == 1 else Fraction(rng.randint(10, 999))
    events: list[tuple[int, int, Fraction]] = []
    for when in sorted(rng.sample(range(1, k), n_events)):
        present = decay_states([n0], [Fraction(1, 2)], when, events)[-1][0]
        if rng.random() < 0.35 and present >= 4:
            change = -Fraction(rng.randint(1, int(present) // 2))
        else:
            change = Fraction(rng.randint(5, 200))
        events.append((when, 0, change))
    states = decay_states([n0], [Fraction(1, 2)], k, events)
    answer = states[-1][0]
    said = "".join(
        f" At {when * half} {unit}, {fmt_rational(abs(c))} {mass} of the isotope is "
        f"{'added to' if c > 0 else 'removed from'} the sample." for when, _, c in events)
    prompt = (f"A sample holds {fmt_rational(n0)} {mass} of an isotope with a half-life of "
              f"{half} {unit}.{said} How many {mass} of the isotope remain after {k * half} "
              f"{unit}? Answer with an exact number (an integer or a fraction in lowest terms).")
    steps = (*(f"After {s * half} {unit}: {fmt_rational(st[0])} {mass}"
               for s, st in enumerate(states[1:], 1)),
             f"The answer is {fmt_rational(answer)}.")
    return Draft(prompt=prompt, answer=fmt_rational(answer), answer_type=AnswerType.RATIONAL,
                 steps=steps, meta={"start": [str(n0)], "keep": ["1/2"], "k": k, "ask": 0,
                                    "events": [[w, s, str(c)] for w, s, c in events]})


def _decay_chain(rng: random.Random, difficulty: int) -> Draft:
    n_sp = 2 if difficulty == 4 else 3
    k = rng.randint(6, 7) if difficulty == 4 else rng.randint(7, 9)
    choices = [Fraction(1, 2)] if difficulty == 4 else [Fraction(1, 2), Fraction(1, 4),
                                                         Fraction(3, 4)]
    keep = [rng.choice(choices) for _ in range(n_sp - 1)] + [Fraction(1)]
    if difficulty == 5:
        keep[-1] = rng.choice(choices)  # the end of the chain decays away too
    unit = rng.choice(_TIME_UNITS[:3])
    start = [Fraction(rng.randint(50, 999))] + [Fraction(rng.randint(0, 99) if difficulty == 5
                                                         else 0) for _ in range(n_sp - 1)]
    events = [(w, rng.randrange(n_sp - 1), Fraction(rng.randint(10, 200)))
              for w in sorted(rng.sample(range(1, k), difficulty - 3))]
    ask = rng.randint(1, n_sp - 1)
    states = decay_states(start, keep, k, events)
    names = _SPECIES[:n_sp]
    rules = []
    for i in range(n_sp):
        lost = _fraction_text(1 - keep[i]) if keep[i] != 1 else ""
        if i + 1 < n_sp:
            rules.append(f"{lost} of the {names[i]} present at the start of the step turns into "
                         f"{names[i + 1]}")
        elif lost:
            rules.append(f"{lost} of the {names[i]} present at the start of the step decays "
                         "into a stable product that is not counted")
        else:
            rules.append(f"{names[i]} is stable")
    said = "".join(f" Right after step {w}, {fmt_rational(c)} g of {names[s]} is added."
                   for w, s, c in events)
    init = ", ".join(f"{nm} = {fmt_rational(a)} g" for nm, a in zip(names, start, strict=True))
    prompt = (f"A decay chain {' -> '.join(names)} is modelled in steps of one {unit[:-1]}. In "
              f"each step, {'; '.join(rules)}. At the start, {init}.{said} How many grams of "
              f"{names[ask]} are present after {k} steps? "
              "Answer with an exact number (an integer or a fraction in lowest terms).")
    steps = (*(f"After step {s}: " + ", ".join(f"{nm} = {fmt_rational(a)}"
                                                for nm, a in zip(names, st, strict=True))
               for s, st in enumerate(states[1:], 1)),
             f"The answer is {fmt_rational(states[-1][ask])}.")
    return Draft(prompt=prompt, answer=fmt_rational(states[-1][ask]),
                 answer_type=AnswerType.RATIONAL, steps=steps,
                 meta={"start": [str(a) for a in start], "keep": [str(x) for x in keep], "k": k,
                       "ask": ask, "events": [[w, s, str(c)] for w, s, c in events]})


@generator("simulation.science.decay", behavior=Behavior.SIMULATION, domain=Domain.SCIENCE,
           version=1)
def decay(rng: random.Random, difficulty: int) -> Draft:
    """Track radioactive material over half-lives, with additions/removals and decay chains.

    Amounts are exact (halving per half-life, stated per-step fractions for chains), so the
    answer is a rational number and the only skill is following the timeline step by step.
    """
    return _decay_single(rng, difficulty) if difficulty <= 3 else _decay_chain(rng, difficulty)


# ---------------------------------------------------------------------------------------------
# Elementary cellular automaton

# (width, steps, wrap-around)
_CA_LEVELS = {1: (5, 1, False), 2: (7, 2, False), 3: (10, 3, False), 4: (14, 6, True),
              5: (24, 12, True)}
NEIGHBOURHOODS = ("111", "110", "101", "100", "011", "010", "001", "000")


def rule_table(rule: int) -> dict[str, str]:
    """Wolfram's numbering: the new state for neighbourhood lcr is bit (4l + 2c + r) of rule."""
    return {nb: str((rule >> int(nb, 2)) & 1) for nb in NEIGHBOURHOODS}


def ca_step(row: str, table: dict[str, str], wrap: bool) -> str:
    padded = (row[-1] + row + row[0]) if wrap else ("0" + row + "0")
    return "".join(table[padded[i:i + 3]] for i in range(len(row)))


def _inputs_used(rule: int) -> int:
    """How many of (left, self, right) the rule depends on (a shift or copy uses one)."""
    table = rule_table(rule)
    return sum(any(table[nb] != table[nb[:i] + str(1 - int(nb[i])) + nb[i + 1:]]
                   for nb in NEIGHBOURHOODS) for i in range(3))


@generator("simulation.science.cellular_automaton", behavior=Behavior.SIMULATION,
           domain=Domain.SCIENCE, version=1)
def cellular_automaton(rng: random.Random, difficulty: int) -> Draft:
    """Run an elementary (1-D, two-state) cellular automaton for k steps from a given row.

    The full rule table is printed, so nothing about Wolfram codes needs recalling; all cells
    update at once, which is exactly the bookkeeping the behavior is about.
    """
    width, k, wrap = _CA_LEVELS[difficulty]
    while True:
        rule = rng.randint(1, 254)
        if difficulty > 1 and _inputs_used(rule) < 2:
            continue
        table = rule_table(rule)
        rows = ["".join(rng.choice("01") for _ in range(width))]
        for _ in range(k):
            rows.append(ca_step(rows[-1], table, wrap))
        final = rows[-1]
        if len(set(final)) > 1 and final not in rows[:-1] and "1" in rows[0]:
            break
    shown = " ".join(f"{nb}->{table[nb]}" for nb in NEIGHBOURHOODS)
    edge = ("The row wraps around (the first and last cells are neighbours)." if wrap
            else "Cells beyond the ends count as 0.")
    name = f"rule {rule}" if difficulty > 1 else "rule"
    prompt = (f"A row of 0/1 cells updates at once; a cell's next value comes from (left, self, "
              f"right) by {name}: {shown}. {edge} Start: {rows[0]}. Row after "
              f"{k} step{'s' if k > 1 else ''}? Answer with the row as a string of 0s and 1s.")
    steps = (*(f"After step {s}: {r}" for s, r in enumerate(rows[1:], 1)),
             f"The answer is {final}.")
    return Draft(prompt=prompt, answer=final, answer_type=AnswerType.STRING, steps=steps,
                 meta={"rule": rule, "start": rows[0], "k": k, "wrap": wrap})
