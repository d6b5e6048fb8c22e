"""calculation/science: Boyle, Charles, combined and ideal gas law evaluations.

The law is named with its formula and every constant and conversion is stated, so the item
isolates rearranging and evaluating. The generator evaluates the stated formulas through `Tally`
(work = operations). `meta.states` lists every state as [P (Pa or the prompt's unit), V, T, n]
so tests check each against the gas law.
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.base import Draft, generator
from reasonscope.bench.generators.calculation.common import fmt_num, fmt_sig, measured_draft, retry
from reasonscope.bench.generators.calculation.formula import Tally
from reasonscope.taxonomy import Behavior, Domain

R_GAS = 8.314
ATM = 101325
CONVERSIONS = "T = °C + 273.15, 1 L = 0.001 m^3, 1 kPa = 1000 Pa"


def _boyle(rng: random.Random) -> Draft:
    p1, v1 = rng.randint(1, 9), rng.randint(2, 12)
    v2 = rng.choice([d for d in range(1, p1 * v1 + 1) if (p1 * v1) % d == 0 and d != v1])
    tally = Tally()
    p2 = tally.eval("p2", "p1*v1/v2", p1=p1, v1=v1, v2=v2)
    return measured_draft(f"A gas at {p1} atm fills {v1} L. At constant temperature its volume "
                          f"becomes {v2} L. Using P1*V1 = P2*V2, find the new pressure.", p2,
                          "atm", [f"P2 = {p1}×{v1}/{v2} = {p2}"],
                          {"kind": "gas", "states": [[p1, v1, 1, None], [float(p2), v2, 1, None]],
                           "unknown": [1, 0], "factor": 1.0}, tally.ops)


def _charles(rng: random.Random) -> Draft:
    v1, c1, c2 = rng.randint(2, 30), rng.randint(-20, 80), rng.randint(0, 200)
    tally = Tally()
    t1 = tally.eval("t1", "c1 + 273.15", c1=c1)
    t2 = tally.eval("t2", "c2 + 273.15", c2=c2)
    v2 = tally.eval("v2", "v1*t2/t1", v1=v1)
    return measured_draft(f"A gas occupies {v1} L at {c1} °C. At constant pressure it is brought "
                          f"to {c2} °C. Using V1/T1 = V2/T2 with T in kelvin (T = °C + 273.15), "
                          "find its new volume.", v2, "L",
                          [f"T1 = {fmt_num(t1, 2)} K, T2 = {fmt_num(t2, 2)} K",
                           f"V2 = {v1}×{fmt_num(t2, 2)}/{fmt_num(t1, 2)} = {fmt_sig(v2)}"],
                          {"kind": "gas", "states": [[1, v1, float(t1), None],
                                                     [1, float(v2), float(t2), None]],
                           "unknown": [1, 1], "factor": 1.0}, tally.ops)


def _combined(rng: random.Random) -> Draft:
    p1, v1, c1 = rng.randint(80, 300), rng.randint(10, 90) / 10, rng.randint(-20, 60)
    p2, c2 = rng.randint(80, 300), rng.randint(-20, 120)
    tally = Tally()
    t1 = tally.eval("t1", "c1 + 273.15", c1=c1)
    t2 = tally.eval("t2", "c2 + 273.15", c2=c2)
    v2 = tally.eval("v2", "p1*v1*t2/(t1*p2)", p1=p1, v1=v1, p2=p2)
    return measured_draft(
        f"A gas at {p1} kPa, {fmt_num(v1, 1)} L and {c1} °C is changed to {p2} kPa and {c2} °C. "
        "Using P1*V1/T1 = P2*V2/T2 with T in kelvin (T = °C + 273.15), find its new volume.",
        v2, "L", [f"T1 = {fmt_num(t1, 2)} K, T2 = {fmt_num(t2, 2)} K",
                  f"V2 = {p1}×{fmt_num(v1, 1)}×{fmt_num(t2, 2)}/({fmt_num(t1, 2)}×{p2}) = "
                  f"{fmt_sig(v2)}"],
        {"kind": "gas", "states": [[p1, v1, float(t1), None], [p2, float(v2), float(t2), None]],
         "unknown": [1, 1], "factor": 1.0}, tally.ops)


_GASES = (("N2", 28.02), ("O2", 32.00), ("CO2", 44.01), ("He", 4.003), ("Ar", 39.95),
          ("CH4", 16.04), ("Ne", 20.18), ("H2", 2.016))


def _ideal(rng: random.Random) -> Draft:
    name, molar = rng.choice(_GASES)
    mass, v_l, c = rng.randint(5, 900) / 10, rng.randint(5, 500) / 10, rng.randint(-30, 150)
    tally = Tally()
    n = tally.eval("n", "m/M", m=mass, M=molar)
    t = tally.eval("t", "c + 273.15", c=c)
    vol = tally.eval("vol", "v_l*0.001", v_l=v_l)
    p = tally.eval("p", "n*R*t/vol", R=R_GAS)
    kpa = tally.eval("kpa", "p/1000")
    return measured_draft(
        f"Use PV = nRT with R = {R_GAS} J/(mol·K), n = mass/molar mass, {CONVERSIONS}. A "
        f"{fmt_num(v_l, 1)} L container holds {fmt_num(mass, 1)} g of {name} (molar mass {molar} "
        f"g/mol) at {c} °C. Find its pressure.", kpa, "kPa",
        [f"n = {fmt_num(mass, 1)}/{molar} = {fmt_sig(n)} mol", f"T = {fmt_num(t, 2)} K, "
         f"V = {fmt_num(vol, 4)} m^3", f"P = nRT/V = {fmt_sig(p)} Pa"],
        {"kind": "gas", "states": [[float(p), float(vol), float(t), float(n)]],
         "unknown": [0, 0], "factor": 1000.0}, tally.ops)


def _three_stage(rng: random.Random) -> Draft:
    name, molar = rng.choice(_GASES)
    mass, v1, c1 = rng.randint(20, 900) / 10, rng.randint(20, 400) / 10, rng.randint(-10, 40)
    v2, c3 = rng.randint(5, 300) / 10, rng.randint(50, 250)
    pct, tank = rng.choice([10, 15, 20, 25, 30, 40]), rng.randint(15, 90) / 10
    tally = Tally()
    n = tally.eval("n", "m/M", m=mass, M=molar)
    t1 = tally.eval("t1", "c1 + 273.15", c1=c1)
    vol1 = tally.eval("vol1", "v1*0.001", v1=v1)
    p1 = tally.eval("p1", "n*R*t1/vol1", R=R_GAS)
    p2 = tally.eval("p2", "p1*v1/v2", v1=v1, v2=v2)
    t3 = tally.eval("t3", "c3 + 273.15", c3=c3)
    p3 = tally.eval("p3", "p2*t3/t1")
    p4 = tally.eval("p4", "p3*(1 - pct/100)", pct=pct)
    atm = tally.eval("atm", "p4/101325")
    vol2, n4 = v2 / 1000, n * (1 - pct / 100)
    return measured_draft(
        f"A {tank} kg steel cylinder holds {fmt_num(mass, 1)} g of {name} (molar mass {molar} "
        f"g/mol) in {fmt_num(v1, 1)} L at {c1} °C. The gas is compressed at constant temperature "
        f"to {fmt_num(v2, 1)} L, then heated at constant volume to {c3} °C, then {pct}% of the "
        "gas is let out at constant volume and temperature. Treat it as ideal: PV = nRT with "
        f"R = {R_GAS} J/(mol·K), {CONVERSIONS}, 1 atm = {ATM} Pa. Find its final pressure.",
        atm, "atm",
        [f"n = {fmt_num(mass, 1)}/{molar} = {fmt_sig(n)} mol, T1 = {fmt_num(t1, 2)} K",
         f"P1 = nRT1/V1 = {fmt_sig(p1)} Pa", f"P2 = P1×V1/V2 = {fmt_sig(p2)} Pa",
         f"P3 = P2×T3/T1 = {fmt_sig(p3)} Pa (T3 = {fmt_num(t3, 2)} K)",
         f"P4 = P3×{1 - pct / 100:g} = {fmt_sig(p4)} Pa = {fmt_sig(atm)} atm"],
        {"kind": "gas", "states": [[float(p1), float(vol1), float(t1), float(n)],
                                   [float(p2), vol2, float(t1), float(n)],
                                   [float(p3), vol2, float(t3), float(n)],
                                   [float(p4), vol2, float(t3), float(n4)]],
         "unknown": [3, 0], "factor": float(ATM)}, tally.ops)


@generator("calculation.science.gas_laws", behavior=Behavior.CALCULATION, domain=Domain.SCIENCE,
           version=2,
           why="The gas law is named with its formula and R, molar masses and conversions are "
               "given, so nothing is recalled; the work is rearranging and evaluating, up to a "
               "four-state process with a distractor.")
def gas_laws(rng: random.Random, difficulty: int) -> Draft:
    """Boyle, Charles, combined and ideal gas law evaluations with R and conversions given."""
    draw = {1: _boyle, 2: _charles, 3: _combined, 4: _ideal, 5: _three_stage}[difficulty]
    return retry(lambda: draw(rng))
