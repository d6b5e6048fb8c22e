"""Simulation in the science domain: step a physical or biological model through time.

Each prompt gives the model's update rule in full (the Euler scheme and force law, the
automaton's rule table), so neither formula recall nor calculus is tested: the work is applying
the same update many times while keeping the state straight. Decay lives in `decay`.
"""

from __future__ import annotations

import itertools
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
    3: (("0.5", "0.25", "0.2"), ("drag", "spring"), (5, 6), 1),
    4: (("0.1", "0.2", "0.25"), ("spring", "damped"), (8, 10), 1),
    5: (("0.1", "0.2", "0.25"), ("damped", "forced"), (15, 17), 1),
}
_EULER_CONTEXT = {
    "constant": "A cart is pushed by a constant force",
    "drag": "A ball falls through air with linear drag",
    "spring": "A mass oscillates on a spring",
    "damped": "A mass oscillates on a damped spring",
    "forced": "A mass on a damped spring is pushed by a constant extra force",
}
EULER_SIG = 3
"""Significant figures asked for; the tolerance is half a unit in the last of them."""


def round_sig(x: Fraction, sig: int) -> tuple[Fraction, Fraction]:
    """(x rounded half-up to `sig` significant figures, one unit in the last of them)."""
    if x == 0:
        return Fraction(0), Fraction(1)
    exp = len(str(abs(x.numerator) // abs(x.denominator))) if abs(x) >= 1 else 0
    while abs(x) < Fraction(10) ** (exp - 1):
        exp -= 1
    unit = Fraction(10) ** (exp - sig)
    q = abs(x) / unit
    n = int(q) + (q - int(q) >= Fraction(1, 2))
    return (n * unit if x > 0 else -n * unit), unit


def plain_decimal(x: Fraction) -> str:
    """A terminating decimal written out in full (no exponent)."""
    sign, x = ("-" if x < 0 else ""), abs(x)
    whole, rest = divmod(x.numerator, x.denominator)
    digits = ""
    while rest:
        rest *= 10
        digits += str(rest // x.denominator)
        rest %= x.denominator
        if len(digits) > 40:
            raise ValueError(f"{x} does not terminate")
    return sign + str(whole) + ("." + digits if digits else "")


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


def _euler_answer(traj: list[tuple[Fraction, Fraction]], n: int, idx: int, rival: Fraction
                  ) -> tuple[Fraction, Fraction] | None:
    """(the asked value rounded, its rounding unit), or None when the item would be unfair:
    a value near zero (its leading digits are noise), an exact value close to a rounding
    boundary (carrying one digit too few could flip the last figure), or a wrong scheme (one
    step too few or too many, the semi-implicit update) that rounds to a nearby answer."""
    value = traj[n][idx]
    if value == 0 or abs(value) < max(abs(s[idx]) for s in traj) / 20:
        return None
    rounded, unit = round_sig(value, EULER_SIG)
    offset = abs(value) / unit - int(abs(value) / unit)
    if abs(offset - Fraction(1, 2)) < Fraction(1, 10):
        return None
    if any(abs(r - value) <= 2 * unit for r in (traj[n - 1][idx], traj[n + 1][idx], rival)):
        return None
    return rounded, unit


@generator("simulation.science.euler_motion", behavior=Behavior.SIMULATION,
           domain=Domain.SCIENCE, version=2,
           why="x and v are advanced together by a stated explicit Euler update, each step "
               "using the previous step's values, for many steps; the force law and scheme are "
               "given, so no physics is recalled and each step is a few multiplications")
def euler_motion(rng: random.Random, difficulty: int) -> Draft:
    """Advance a 1-D particle by explicit Euler steps under a given acceleration rule.

    The scheme and the force law are stated, so no physics is recalled or derived; the item
    checks that x and v are both carried (with the old values used in each update) over steps.
    The answer is asked to 3 significant figures and the tolerance is half a unit in the last
    of them, so a value wrong in the third figure is wrong.
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
        rival = euler_trajectory(x0, v0, coef, dt, n, semi_implicit=True)[n][idx]
        answer = _euler_answer(traj, n, idx, rival)
        if answer is not None:
            break
    rounded, unit_size = answer
    unit = "m" if ask == "x" else "m/s"
    update = "x_new = x + v*dt, v_new = v + a*dt"
    if kind != "constant":
        update = f"a from the current x and v, then {update}"
    prompt = (f"{_EULER_CONTEXT[kind]}: x = {fmt_decimal(x0)} m and v = {fmt_decimal(v0)} m/s "
              f"at t = 0, acceleration a = {_accel_text(coef)} m/s^2. Take {n} explicit Euler "
              f"step{'s' if n > 1 else ''} of dt = {fmt_decimal(dt)} s ({update}). What is {ask} "
              f"after {'them' if n > 1 else 'it'}? Give the answer in {unit}, rounded to "
              f"{EULER_SIG} significant figures.")
    steps = (*(f"Step {k}: x = {float(x):.7g} m, v = {float(v):.7g} m/s"
               for k, (x, v) in enumerate(traj[1:n + 1], 1)),
             f"The answer is {plain_decimal(rounded)} {unit}.")
    work = sum((a[0] != b[0]) + (a[1] != b[1]) for a, b in itertools.pairwise(traj[:n + 1]))
    meta = {"x0": str(x0), "v0": str(v0), "coef": [str(c) for c in coef], "dt": str(dt), "n": n,
            "ask": ask, "kind": kind, "exact": str(traj[n][idx])}
    return Draft(prompt=prompt, answer=plain_decimal(rounded), answer_type=AnswerType.NUMBER,
                 tolerance=float(unit_size / 2 / abs(rounded)) * (1 + 1e-9), steps=steps,
                 meta=meta, work=work, work_unit="state updates")


# ---------------------------------------------------------------------------------------------
# Elementary cellular automaton

# (width, steps, wrap-around)
_CA_LEVELS = {1: (5, 1, False), 2: (7, 2, False), 3: (10, 3, False), 4: (14, 6, True),
              5: (24, 14, True)}
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


def _flips(rows: list[str]) -> int:
    return sum(a != b for prev, cur in itertools.pairwise(rows)
               for a, b in zip(prev, cur, strict=True))


@generator("simulation.science.cellular_automaton", behavior=Behavior.SIMULATION,
           domain=Domain.SCIENCE, version=2,
           why="every cell of the row is recomputed from its neighbourhood at once, step after "
               "step, and no row repeats (no cycle to exploit); the full rule table is printed, "
               "so no Wolfram-code knowledge is needed")
def cellular_automaton(rng: random.Random, difficulty: int) -> Draft:
    """Run an elementary (1-D, two-state) cellular automaton for k steps from a given row.

    The full rule table is printed, so nothing about Wolfram codes needs recalling; all cells
    update at once, which is exactly the bookkeeping the behavior is about. From level 3 at
    least a fifth of the cell updates flip a cell (a rule that freezes the row is a shortcut),
    and the top levels use rules that read all three cells.
    """
    width, k, wrap = _CA_LEVELS[difficulty]
    needed_inputs = 1 if difficulty == 1 else 2 if difficulty <= 3 else 3
    while True:
        rule = rng.randint(1, 254)
        if _inputs_used(rule) < needed_inputs:
            continue
        table = rule_table(rule)
        rows = ["".join(rng.choice("01") for _ in range(width))]
        for _ in range(k):
            rows.append(ca_step(rows[-1], table, wrap))
        final = rows[-1]
        lively = difficulty < 3 or 5 * _flips(rows) >= width * k
        if len(set(final)) > 1 and final not in rows[:-1] and "1" in rows[0] and lively:
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
                 meta={"rule": rule, "start": rows[0], "k": k, "wrap": wrap, "flips": _flips(rows)},
                 work=width * k, work_unit="cell updates")
