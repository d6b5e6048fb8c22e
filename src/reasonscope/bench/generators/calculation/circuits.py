"""calculation/science: Ohm's law and series-parallel resistor networks.

The network is written as an expression and the rules (series sum, parallel reciprocal sum,
V = I*R, P = I^2*R) are given. The solver reduces the network bottom-up and then walks from the
battery to the asked resistor, counting every operation; `meta` keeps the network and values in
SI units so tests re-solve it by nodal analysis.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import fmt_num, fmt_sig, measured_draft, retry
from reasonscope.taxonomy import Behavior, Domain

Tree = str | list[Any]  # "R3" or ["S"|"P", [child, child, ...]]
E12 = (1.0, 1.2, 1.5, 1.8, 2.2, 2.7, 3.3, 3.9, 4.7, 5.6, 6.8, 8.2)


def _net(rng: random.Random, names: list[str], kind: str) -> Tree:
    if len(names) == 1:
        return names[0]
    k = rng.randint(1, len(names) - 1)
    other = "P" if kind == "S" else "S"
    return [kind, [_net(rng, names[:k], other), _net(rng, names[k:], other)]]


def net_text(t: Tree) -> str:
    if isinstance(t, str):
        return t
    parts = [net_text(c) if isinstance(c, str) else f"({net_text(c)})" for c in t[1]]
    return (" + " if t[0] == "S" else " || ").join(parts)


def names_in(t: Tree) -> set[str]:
    return {t} if isinstance(t, str) else set().union(*(names_in(c) for c in t[1]))


@dataclass
class Reduction:
    """Equivalent resistances of every sub-network, with the operations they took."""

    ohms: dict[str, Fraction]
    ops: int = 0
    memo: dict[str, Fraction] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def req(self, t: Tree) -> Fraction:
        key = net_text(t)
        if key in self.memo:
            return self.memo[key]
        if isinstance(t, str):
            value = self.ohms[t]
        else:
            vals = [self.req(c) for c in t[1]]
            if t[0] == "S":
                value = sum(vals, Fraction(0))
                self.ops += len(vals) - 1
            else:
                value = 1 / sum((1 / v for v in vals), Fraction(0))
                self.ops += 2 * len(vals)  # one reciprocal per branch, the sum, one reciprocal
            self.notes.append(f"{key} = {fmt_sig(value)} ohm")
        self.memo[key] = value
        return value

    def across(self, t: Tree, v: Fraction, target: str) -> Fraction | None:
        """Voltage across `target` when `v` is applied across `t` (walking only its branch)."""
        if isinstance(t, str):
            return v if t == target else None
        for child in t[1]:
            if target not in names_in(child):
                continue
            if t[0] == "P":
                return self.across(child, v, target)
            self.ops += 2  # I = V/R of this series chain, V = I*R of the branch
            return self.across(child, v / self.req(t) * self.req(child), target)
        return None


_CIRCUIT_LEVELS = {2: 2, 3: 3, 4: 5, 5: 8}
_ASKS = {2: ("total_current",), 3: ("current", "voltage"), 4: ("current", "voltage"),
         5: ("power", "power", "total_power")}


def _one_resistor(rng: random.Random) -> Draft:
    r, i = rng.randint(1, 12), rng.randint(1, 6)
    return measured_draft(f"A {r * i} V battery is connected across a {r} ohm resistor. Using "
                          "I = V/R, find the current.", i, "A", [f"I = {r * i}/{r} = {i}"],
                          {"kind": "circuit", "tree": "R1", "ohms": {"R1": r}, "volts": r * i,
                           "ask": ["current", "R1"], "factor": 1.0}, 1)


def _network(rng: random.Random, difficulty: int) -> Draft:
    n = _CIRCUIT_LEVELS[difficulty]
    names = [f"R{i + 1}" for i in range(n)]
    tree = _net(rng, names, rng.choice("SP"))
    if difficulty <= 4:
        ohms = {k: Fraction(rng.randint(1, 12) * (10 if difficulty == 4 else 1)) for k in names}
        volts = Fraction(rng.randint(3, 24))
        unit_r, scale, ops = "ohm", Fraction(1), 0
    else:
        ohms = {k: Fraction(str(rng.choice(E12))) * rng.choice([1, 10]) * 1000 for k in names}
        volts = Fraction(rng.randint(30, 240), 10)
        unit_r, scale, ops = "kOhm", Fraction(1, 1000), n  # each value converted to ohm
    red = Reduction(ohms, ops)
    total = red.req(tree)
    target = rng.choice(names)
    ask = rng.choice(_ASKS[difficulty])
    steps = [*red.notes, f"equivalent resistance = {fmt_sig(total)} ohm"]
    if ask in ("total_current", "total_power"):
        red.ops += 1 if ask == "total_current" else 3  # V/R, or V^2, /R and W -> mW
        current = volts / total
        value, unit, factor, question = (
            (current, "A", 1.0, "the current drawn from the battery") if ask == "total_current"
            else (volts**2 / total * 1000, "mW", 1e-3, "the total power delivered"))
        steps.append(f"current from the battery = {fmt_sig(current)} A")
    else:
        v_target = red.across(tree, volts, target)
        assert v_target is not None
        i_target = v_target / ohms[target]
        red.ops += {"voltage": 0, "current": 1, "power": 4}[ask]  # I = V/R; I^2, *R, W -> mW
        value, unit, factor, question = {
            "current": (i_target, "A", 1.0, f"the current through {target}"),
            "voltage": (v_target, "V", 1.0, f"the voltage across {target}"),
            "power": (i_target**2 * ohms[target] * 1000, "mW", 1e-3,
                      f"the power dissipated in {target}"),
        }[ask]
        steps.append(f"voltage across {target} = {fmt_sig(v_target)} V, current = "
                     f"{fmt_sig(i_target)} A")
    steps.append(f"{question} = {fmt_sig(value)} {unit}")
    values = ", ".join(f"{k} = {fmt_num(ohms[k] * scale, 3)} {unit_r}" for k in names)
    rules = "'+' means in series, '||' means in parallel. Series: R = R1 + R2; parallel: " \
        "1/R = 1/R1 + 1/R2; V = I*R"
    rules += "; P = I^2*R; 1 kOhm = 1000 ohm; 1 W = 1000 mW." if difficulty == 5 else "."
    return measured_draft(
        f"A {fmt_num(volts, 1)} V battery drives the network {net_text(tree)} ({rules}) "
        f"Resistances: {values}. Find {question}.", value, unit, steps,
        {"kind": "circuit", "tree": tree, "ohms": {k: float(v) for k, v in ohms.items()},
         "volts": float(volts), "ask": [ask, target], "factor": factor}, red.ops)


@generator("calculation.science.circuits", behavior=Behavior.CALCULATION, domain=Domain.SCIENCE,
           version=2,
           why="The network, every resistance and the series/parallel and power rules are "
               "stated, so no circuit theory is recalled; only the reduction and the arithmetic "
               "remain, growing from one division to eight resistors in kOhm.")
def circuits(rng: random.Random, difficulty: int) -> Draft:
    """Ohm's law and series-parallel resistor networks (current, voltage, power of one part)."""
    if difficulty == 1:
        return _one_resistor(rng)
    return retry(lambda: _network(rng, difficulty))
