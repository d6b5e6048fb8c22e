"""calculation/science families: kinematics, resistor networks, gas laws.

Each prompt states the formula(s) and every constant and unit conversion it needs, so nothing is
recalled: the model must substitute, convert units and evaluate. Difficulty adds formulas,
conversions, network size and irrelevant quantities. `meta` keeps the problem in SI units so
tests can re-solve it by an independent method (simulation, nodal analysis, equation checks).
"""

from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import Any

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import fmt_num, fmt_sig, sig_instruction
from reasonscope.taxonomy import AnswerType, Behavior, Domain

TOL = 1e-3  # relative; prompts ask for at least 4 significant figures
KMH = "1 km/h = 1/3.6 m/s"


def _draft(prompt: str, value: float, unit: str, steps: list[str], meta: dict[str, Any]) -> Draft:
    answer = fmt_sig(value, 6)
    steps = [*steps, f"The answer is {answer} {unit}."]
    return Draft(prompt=f"{prompt} {sig_instruction(unit)}", answer=answer,
                 answer_type=AnswerType.NUMBER, tolerance=TOL, steps=tuple(steps),
                 meta={**meta, "unit": unit})


# --------------------------------------------------------------------------- kinematics


def _kin_basic(rng: random.Random, difficulty: int) -> Draft:
    if difficulty == 1:
        u, a, t = rng.randint(0, 9), rng.randint(1, 5), rng.randint(1, 9)
        v = u + a * t
        return _draft(f"A cart moving at {u} m/s speeds up at {a} m/s^2 for {t} s. "
                      "Using v = u + a*t, find its final speed.", v, "m/s",
                      [f"v = {u} + {a}×{t} = {v}"],
                      {"kind": "phases", "u": u, "phases": [[a, t]], "ask": "v", "factor": 1.0})
    if rng.random() < 0.5:
        u, a, t = rng.randint(0, 12), rng.randint(1, 6), rng.randint(2, 12)
        dist = u * t + a * t * t / 2
        return _draft(f"A ball starts at {u} m/s and accelerates uniformly at {a} m/s^2 for {t} s. "
                      "Using s = u*t + (1/2)*a*t^2, find the distance it covers.", dist, "m",
                      [f"s = {u}×{t} + 0.5×{a}×{t}^2 = {fmt_sig(dist)}"],
                      {"kind": "phases", "u": u, "phases": [[a, t]], "ask": "s", "factor": 1.0})
    u, a, s = rng.randint(0, 15), rng.randint(1, 9), rng.randint(5, 80)
    speed = math.sqrt(u * u + 2 * a * s)
    return _draft(f"A sled starts at {u} m/s and accelerates at {a} m/s^2 over {s} m. "
                  "Using v^2 = u^2 + 2*a*s, find its final speed.", speed, "m/s",
                  [f"v^2 = {u}^2 + 2×{a}×{s} = {u * u + 2 * a * s}", f"v = {fmt_sig(speed)}"],
                  {"kind": "vsq", "u": u, "a": a, "s": s, "ask": "v", "factor": 1.0})


def _kin_braking(rng: random.Random) -> Draft:
    v_kmh, a = rng.randint(30, 130), rng.choice([2.5, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8])
    v = v_kmh / 3.6
    s = v * v / (2 * a)
    return _draft(f"A car travelling at {v_kmh} km/h brakes with a constant deceleration of {a} "
                  f"m/s^2 until it stops. Using {KMH} and s = v^2/(2*a), find the braking "
                  "distance.", s, "m",
                  [f"v = {v_kmh}/3.6 = {fmt_sig(v)} m/s", f"s = {fmt_sig(v)}^2/(2×{a}) = "
                   f"{fmt_sig(s)}"],
                  {"kind": "phases", "u": v, "phases": [[-a, None]], "ask": "s", "factor": 1.0})


def _kin_projectile(rng: random.Random) -> Draft:
    v, th, g = rng.randint(100, 600) / 10, rng.randint(15, 75), 9.81
    ask = rng.choice(["range", "height", "time"])
    rad = math.radians(th)
    val, formula, unit = {
        "range": (v * v * math.sin(2 * rad) / g, "R = v^2*sin(2θ)/g", "m"),
        "height": (v * v * math.sin(rad) ** 2 / (2 * g), "H = v^2*sin(θ)^2/(2g)", "m"),
        "time": (2 * v * math.sin(rad) / g, "T = 2*v*sin(θ)/g", "s"),
    }[ask]
    what = {"range": "horizontal range", "height": "maximum height", "time": "time of flight"}[ask]
    return _draft(f"A projectile is launched from level ground at {fmt_num(v, 1)} m/s at {th} "
                  f"degrees above the horizontal. Take g = {g} m/s^2 and ignore air resistance. "
                  f"Using {formula}, find its {what}.", val, unit,
                  [f"{formula} with v = {fmt_num(v, 1)}, θ = {th}°: {fmt_sig(val)}"],
                  {"kind": "projectile", "v": v, "theta": th, "g": g, "ask": ask, "factor": 1.0})


def _kin_trip(rng: random.Random) -> Draft:
    a1 = rng.choice([0.5, 0.6, 0.8, 1.0, 1.2, 1.5])
    t1, minutes = rng.randint(15, 60), rng.randint(2, 12)
    a3 = rng.choice([0.4, 0.5, 0.75, 0.9, 1.0, 1.25])
    mass = rng.randint(20, 400) * 100
    v = a1 * t1
    s1, s2, s3 = 0.5 * a1 * t1 * t1, v * minutes * 60, v * v / (2 * a3)
    ask = rng.choice(["distance", "average"])
    total_t = t1 + minutes * 60 + v / a3
    if ask == "distance":
        val, unit, factor = (s1 + s2 + s3) / 1000, "km", 1000.0
    else:
        val, unit, factor = (s1 + s2 + s3) / total_t * 3.6, "km/h", 1 / 3.6
    q = "the total distance travelled" if ask == "distance" else "its average speed for the trip"
    return _draft(
        f"A {mass} kg train starts from rest and accelerates at {a1} m/s^2 for {t1} s, then "
        f"cruises at constant speed for {minutes} minutes, then brakes at {a3} m/s^2 until it "
        f"stops. Use v = u + a*t, s = u*t + (1/2)*a*t^2, braking distance s = v^2/(2*a), braking "
        f"time t = v/a, 1 km = 1000 m and {KMH}. Find {q}.", val, unit,
        [f"cruise speed v = {a1}×{t1} = {fmt_sig(v)} m/s", f"phase 1: s = {fmt_sig(s1)} m",
         f"phase 2: s = {fmt_sig(v)}×{minutes * 60} = {fmt_sig(s2)} m",
         f"phase 3: s = {fmt_sig(v)}^2/(2×{a3}) = {fmt_sig(s3)} m, t = {fmt_sig(v / a3)} s",
         f"total distance {fmt_sig(s1 + s2 + s3)} m over {fmt_sig(total_t)} s"],
        {"kind": "phases", "u": 0.0, "phases": [[a1, t1], [0.0, minutes * 60.0], [-a3, None]],
         "ask": "s" if ask == "distance" else "avg", "factor": factor})


@generator("calculation.science.kinematics", behavior=Behavior.CALCULATION, domain=Domain.SCIENCE)
def kinematics(rng: random.Random, difficulty: int) -> Draft:
    """Uniform-acceleration and projectile motion with the formulas given in the prompt.

    The physics is stated (formula, g, unit conversions), so the item measures substitution and
    arithmetic; higher levels chain phases, trigonometry and unit conversions.
    """
    if difficulty <= 2:
        return _kin_basic(rng, difficulty)
    return {3: _kin_braking, 4: _kin_projectile, 5: _kin_trip}[difficulty](rng)


# --------------------------------------------------------------------------- resistor networks

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


def req(t: Tree, r: dict[str, Fraction]) -> Fraction:
    if isinstance(t, str):
        return r[t]
    vals = [req(c, r) for c in t[1]]
    return sum(vals, Fraction(0)) if t[0] == "S" else 1 / sum((1 / v for v in vals), Fraction(0))


def voltages(t: Tree, r: dict[str, Fraction], v: Fraction, out: dict[str, Fraction]) -> None:
    """Voltage across each resistor when `v` is applied across sub-network `t`."""
    if isinstance(t, str):
        out[t] = v
        return
    if t[0] == "P":
        for c in t[1]:
            voltages(c, r, v, out)
        return
    current = v / req(t, r)
    for c in t[1]:
        voltages(c, r, current * req(c, r), out)


_CIRCUIT_LEVELS = {2: 2, 3: 3, 4: 5, 5: 7}


@generator("calculation.science.circuits", behavior=Behavior.CALCULATION, domain=Domain.SCIENCE)
def circuits(rng: random.Random, difficulty: int) -> Draft:
    """Ohm's law and series-parallel resistor networks (current, voltage, power of one part).

    The network is written as an expression and the rules (series sum, parallel reciprocal sum,
    V = I*R, P = I^2*R) are given; only the evaluation is left, and it grows with the network.
    """
    if difficulty == 1:
        r, i = rng.randint(1, 12), rng.randint(1, 6)
        return _draft(f"A {r * i} V battery is connected across a {r} ohm resistor. Using "
                      "I = V/R, find the current.", i, "A", [f"I = {r * i}/{r} = {i}"],
                      {"kind": "circuit", "tree": "R1", "ohms": {"R1": r}, "volts": r * i,
                       "ask": ["current", "R1"], "factor": 1.0})
    n = _CIRCUIT_LEVELS[difficulty]
    names = [f"R{i + 1}" for i in range(n)]
    tree = _net(rng, names, rng.choice("SP"))
    if difficulty <= 4:
        ohms = {k: Fraction(rng.randint(1, 12) * (10 if difficulty == 4 else 1)) for k in names}
        volts = Fraction(rng.randint(3, 24))
        unit_r, scale = "ohm", Fraction(1)
    else:
        ohms = {k: Fraction(str(rng.choice(E12))) * rng.choice([1, 10]) * 1000 for k in names}
        volts = Fraction(rng.randint(30, 240), 10)
        unit_r, scale = "kOhm", Fraction(1, 1000)
    total = req(tree, ohms)
    v_each: dict[str, Fraction] = {}
    voltages(tree, ohms, volts, v_each)
    target = rng.choice(names)
    ask = {2: rng.choice(["req", "total_current"]), 3: rng.choice(["req", "total_current"]),
           4: rng.choice(["current", "voltage"]),
           5: rng.choice(["power", "power", "total_power"])}[difficulty]
    i_target = v_each[target] / ohms[target]
    value, unit, factor, question = {
        "req": (total, "ohm", 1.0, "the equivalent resistance of the network"),
        "total_current": (volts / total, "A", 1.0, "the current drawn from the battery"),
        "current": (i_target, "A", 1.0, f"the current through {target}"),
        "voltage": (v_each[target], "V", 1.0, f"the voltage across {target}"),
        "power": (i_target**2 * ohms[target] * 1000, "mW", 1e-3, f"the power dissipated in "
                  f"{target}"),
        "total_power": (volts**2 / total * 1000, "mW", 1e-3, "the total power delivered"),
    }[ask]
    values = ", ".join(f"{k} = {fmt_num(ohms[k] * scale, 3)} {unit_r}" for k in names)
    rules = "'+' means in series, '||' means in parallel. Series: R = R1 + R2; parallel: " \
        "1/R = 1/R1 + 1/R2; V = I*R"
    rules += "; P = I^2*R; 1 kOhm = 1000 ohm; 1 W = 1000 mW." if difficulty == 5 else "."
    steps = [f"equivalent resistance = {fmt_sig(total)} ohm",
             f"current from the battery = {fmt_sig(volts / total)} A"]
    if ask in ("current", "voltage", "power"):
        steps.append(f"voltage across {target} = {fmt_sig(v_each[target])} V, "
                     f"current = {fmt_sig(i_target)} A")
    return _draft(f"A {fmt_num(volts, 1)} V battery drives the network {net_text(tree)} "
                  f"({rules}) Resistances: {values}. Find {question}.", float(value), unit,
                  steps, {"kind": "circuit", "tree": tree,
                          "ohms": {k: float(v) for k, v in ohms.items()},
                          "volts": float(volts), "ask": [ask, target], "factor": factor})


# --------------------------------------------------------------------------- gas laws

R_GAS = 8.314


def _gas_simple(rng: random.Random, difficulty: int) -> Draft:
    if difficulty == 1:
        p1, v1 = rng.randint(1, 9), rng.randint(2, 12)
        v2 = rng.choice([d for d in range(1, p1 * v1 + 1) if (p1 * v1) % d == 0 and d != v1])
        p2 = p1 * v1 // v2
        return _draft(f"A gas at {p1} atm fills {v1} L. At constant temperature its volume "
                      f"becomes {v2} L. Using P1*V1 = P2*V2, find the new pressure.", p2, "atm",
                      [f"P2 = {p1}×{v1}/{v2} = {p2}"],
                      {"kind": "gas", "states": [[p1, v1, 1, None], [p2, v2, 1, None]],
                       "unknown": [1, 0], "factor": 1.0})
    v1, t1, t2 = rng.randint(2, 30), rng.randint(200, 400), rng.randint(200, 500)
    new_v = v1 * t2 / t1
    return _draft(f"A gas occupies {v1} L at {t1} K. At constant pressure it is brought to {t2} "
                  "K. Using V1/T1 = V2/T2, find its new volume.", new_v, "L",
                  [f"V2 = {v1}×{t2}/{t1} = {fmt_sig(new_v)}"],
                  {"kind": "gas", "states": [[1, v1, t1, None], [1, new_v, t2, None]],
                   "unknown": [1, 1], "factor": 1.0})


def _gas_combined(rng: random.Random) -> Draft:
    p1, v1, c1 = rng.randint(80, 300), rng.randint(10, 90) / 10, rng.randint(-20, 60)
    p2, c2 = rng.randint(80, 300), rng.randint(-20, 120)
    t1, t2 = c1 + 273.15, c2 + 273.15
    v2 = p1 * v1 * t2 / (t1 * p2)
    return _draft(f"A gas at {p1} kPa, {fmt_num(v1, 1)} L and {c1} °C is changed to {p2} kPa and "
                  f"{c2} °C. Using P1*V1/T1 = P2*V2/T2 with T in kelvin (T = °C + 273.15), find "
                  "its new volume.", v2, "L",
                  [f"T1 = {fmt_num(t1, 2)} K, T2 = {fmt_num(t2, 2)} K",
                   f"V2 = {p1}×{fmt_num(v1, 1)}×{fmt_num(t2, 2)}/({fmt_num(t1, 2)}×{p2}) = "
                   f"{fmt_sig(v2)}"],
                  {"kind": "gas", "states": [[p1, v1, t1, None], [p2, v2, t2, None]],
                   "unknown": [1, 1], "factor": 1.0})


def _gas_ideal(rng: random.Random) -> Draft:
    v_l, c = rng.randint(5, 500) / 10, rng.randint(-30, 150)
    t = c + 273.15
    head = f"Use PV = nRT with R = {R_GAS} J/(mol·K), T = °C + 273.15, 1 L = 0.001 m^3, " \
        "1 kPa = 1000 Pa."
    if rng.random() < 0.5:
        p_kpa = rng.randint(50, 900)
        n = p_kpa * 1000 * v_l / 1000 / (R_GAS * t)
        return _draft(f"{head} A {fmt_num(v_l, 1)} L container holds an ideal gas at {p_kpa} kPa "
                      f"and {c} °C. Find the amount of gas.", n, "mol",
                      [f"n = PV/(RT) = {p_kpa * 1000}×{fmt_num(v_l / 1000, 4)}/({R_GAS}×"
                       f"{fmt_num(t, 2)}) = {fmt_sig(n)}"],
                      {"kind": "gas", "states": [[p_kpa * 1000, v_l / 1000, t, n]],
                       "unknown": [0, 3], "factor": 1.0})
    n = rng.randint(5, 300) / 100
    p = n * R_GAS * t / (v_l / 1000)
    return _draft(f"{head} {fmt_num(n, 2)} mol of an ideal gas is held in {fmt_num(v_l, 1)} L "
                  f"at {c} °C. Find its pressure.", p / 1000, "kPa",
                  [f"P = nRT/V = {fmt_num(n, 2)}×{R_GAS}×{fmt_num(t, 2)}/"
                   f"{fmt_num(v_l / 1000, 4)} = {fmt_sig(p)} Pa"],
                  {"kind": "gas", "states": [[p, v_l / 1000, t, n]], "unknown": [0, 0],
                   "factor": 1000.0})


_GASES = (("N2", 28.02), ("O2", 32.00), ("CO2", 44.01), ("He", 4.003), ("Ar", 39.95),
          ("CH4", 16.04), ("Ne", 20.18), ("H2", 2.016))


def _gas_two_stage(rng: random.Random) -> Draft:
    name, molar = rng.choice(_GASES)
    mass, v1, c1 = rng.randint(20, 900) / 10, rng.randint(20, 400) / 10, rng.randint(-10, 40)
    v2, c2 = rng.randint(5, 300) / 10, rng.randint(50, 250)
    tank = rng.randint(15, 90) / 10
    t1, t2 = c1 + 273.15, c2 + 273.15
    n = mass / molar
    p1 = n * R_GAS * t1 / (v1 / 1000)
    p2 = p1 * v1 * t2 / (t1 * v2)
    atm = 101325.0
    return _draft(
        f"A {tank} kg steel cylinder holds {fmt_num(mass, 1)} g of {name} (molar mass {molar} "
        f"g/mol) in {fmt_num(v1, 1)} L at {c1} °C. The gas is then moved to {fmt_num(v2, 1)} L "
        f"and heated to {c2} °C. Treat it as ideal: PV = nRT with R = {R_GAS} J/(mol·K), "
        "T = °C + 273.15, 1 L = 0.001 m^3, 1 atm = 101325 Pa. Find its final pressure.",
        p2 / atm, "atm",
        [f"n = {fmt_num(mass, 1)}/{molar} = {fmt_sig(n)} mol",
         f"P1 = nRT1/V1 = {fmt_sig(p1)} Pa",
         f"P2 = P1×V1×T2/(T1×V2) = {fmt_sig(p2)} Pa = {fmt_sig(p2 / atm)} atm"],
        {"kind": "gas", "states": [[p1, v1 / 1000, t1, n], [p2, v2 / 1000, t2, n]],
         "unknown": [1, 0], "factor": atm})


@generator("calculation.science.gas_laws", behavior=Behavior.CALCULATION, domain=Domain.SCIENCE)
def gas_laws(rng: random.Random, difficulty: int) -> Draft:
    """Boyle, Charles, combined and ideal gas law evaluations with R and conversions given.

    The law to use is named with its formula and every constant is stated, so the item isolates
    rearranging and evaluating; higher levels add temperature/volume/pressure conversions and a
    two-stage process with a distractor quantity.
    """
    if difficulty <= 2:
        return _gas_simple(rng, difficulty)
    return {3: _gas_combined, 4: _gas_ideal, 5: _gas_two_stage}[difficulty](rng)
