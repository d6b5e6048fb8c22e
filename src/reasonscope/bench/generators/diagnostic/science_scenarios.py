"""The three derivations of the science diagnostic families, and how each grows with difficulty.

A scenario is the givens (every constant the steps need is stated, so nothing is recalled) and a
plan of 2, 4, 6, 8-9 and 12-13 steps from level 1 to 5. Longer plans carry on the same
physics (work and energy after braking, branch currents and energy after the network, density,
heating and molecular speed after the amount of gas), so a later step is as plausible as an early
one. From level 4 the intro adds a number no step needs, and the givens come in units whose
conversion can go subtly wrong (mL, °F, kΩ beside Ω).
"""

from __future__ import annotations

import random

from reasonscope.bench.generators.diagnostic.science_steps import Scenario, Spec, fmt


def _given_text(givens: dict[str, tuple[float, str]], sym: str) -> str:
    v, unit = givens[sym]
    return f"{sym} = {fmt(v)} {unit}"


def _pick(plan: dict[str, Spec], keys: str) -> tuple[Spec, ...]:
    return tuple(plan[k] for k in keys)


def _givens_text(givens: dict[str, tuple[float, str]]) -> str:
    return ", ".join(_given_text(givens, s) for s in givens)


def kinematics(rng: random.Random, difficulty: int) -> Scenario:
    g: dict[str, tuple[float, str]] = {}
    if difficulty == 1:
        g["v0"] = (rng.choice([18, 36, 54, 72, 90, 108]), "km/h")
        g["t"] = (rng.randint(3, 30), "s")
    else:
        g["v0"] = (rng.randint(30, 130) if difficulty < 4 else rng.randint(300, 1300) / 10,
                   "km/h")
        g["t1"] = (rng.randint(2, 15) if difficulty < 4 else rng.randint(4, 90) / 4, "min")
        g["tb"] = (rng.randint(3, 12), "s")
        g["m"] = (rng.randint(8, 25) * 100, "kg")
    plan = {
        "A": Spec("v", "speed in m/s", "kmh_to_ms", ("v0",), "m/s"),
        "B": Spec("t", "cruising time in s", "min_to_s", ("t1",), "s"),
        "C": Spec("d1", "cruising distance", "product", ("v", "t"), "m",
                  swaps=(("v0", "t"), ("v", "t1"))),
        "D": Spec("a", "braking deceleration", "quotient", ("v", "tb"), "m/s^2",
                  swaps=(("v", "t"), ("v0", "tb"))),
        "E": Spec("d2", "braking distance", "v2_over_2a", ("v", "a"), "m",
                  swaps=(("v0", "a"),)),
        "F": Spec("d", "total distance", "sum", ("d1", "d2"), "m"),
        "G": Spec("F", "braking force", "product", ("m", "a"), "N", swaps=(("m", "v"),)),
        "H": Spec("W", "work done by the brakes", "product", ("F", "d2"), "J",
                  swaps=(("F", "d"), ("F", "d1"))),
        "K": Spec("E", "initial kinetic energy", "half_m_v2", ("m", "v"), "J",
                  swaps=(("m", "v0"),)),
        "L": Spec("P", "mean braking power", "quotient", ("W", "tb"), "W",
                  swaps=(("W", "t"),)),
        "M": Spec("Pk", "that power in kW", "w_to_kw", ("P",), "kW"),
        "T": Spec("tt", "total time", "sum", ("t", "tb"), "s", swaps=(("t1", "tb"),)),
        "N": Spec("u", "mean speed over the trip", "quotient", ("d", "tt"), "m/s",
                  swaps=(("d1", "tt"),)),
        "t": Spec("d", "distance", "product", ("v", "t"), "m"),
    }
    keys = {1: "At", 2: "ABCD", 3: "ABCDEF", 4: "ABCDEFGHK", 5: "ABCDEFGHKLMTN"}[difficulty]
    intro = (f"A car drives at constant speed for a time t. Given {_givens_text(g)}. Find the "
             "distance." if difficulty == 1 else
             "A car of mass m cruises at speed v0 for time t1, then brakes uniformly to rest in "
             f"time tb. Given {_givens_text(g)}.")
    if difficulty >= 4:
        intro += f" Its fuel tank holds {rng.randint(40, 70)} L."
    return Scenario(intro, g, _pick(plan, keys))


def circuit(rng: random.Random, difficulty: int) -> Scenario:
    g: dict[str, tuple[float, str]] = {"U": (rng.choice([3, 5, 6, 9, 12, 24, 48]), "V")}
    if difficulty >= 4:
        g["U"] = (rng.randint(3, 240), "V")
    g["R1"] = (rng.randint(1, 9) if difficulty < 3 else rng.randint(10, 99) / 10, "kΩ")
    if difficulty >= 2:
        g["R2"] = ((rng.randint(1, 20) * 10, "Ω") if difficulty == 2
                   else (rng.randint(10, 99) / 10, "kΩ") if difficulty == 3
                   else (rng.randint(12, 99) * 10, "Ω"))
    if difficulty >= 4:
        g["R3"] = (rng.randint(10, 999), "Ω")
    if difficulty >= 5:
        g["tm"] = (rng.randint(2, 90), "min")
    plan = {
        "A": Spec("r1", "R1 in ohms", "kohm_to_ohm", ("R1",), "Ω"),
        "B": Spec("r2", "R2 in ohms", "kohm_to_ohm", ("R2",), "Ω"),
        "S": Spec("R", "series resistance", "sum", ("r1", "R2"), "Ω"),
        "C": Spec("Rp", "R1 parallel R2", "parallel", ("r1", "r2"), "Ω"),
        "c": Spec("Rp", "R1 parallel R2", "parallel", ("r1", "R2"), "Ω",
                  swaps=(("R1", "R2"),)),
        "D": Spec("R", "total resistance", "sum", ("Rp", "R3"), "Ω",
                  swaps=(("r1", "R3"), ("R2", "R3"))),
        "E": Spec("I", "current", "quotient", ("U", "R"), "A", swaps=(("U", "Rp"),)),
        "e": Spec("I", "current", "quotient", ("U", "Rp"), "A", swaps=(("U", "r1"),)),
        "s": Spec("I", "current", "quotient", ("U", "R"), "A", swaps=(("U", "r1"),)),
        "1": Spec("I", "current", "quotient", ("U", "r1"), "A"),
        "F": Spec("mA", "current in mA", "a_to_ma", ("I",), "mA"),
        "G": Spec("U3", "voltage across R3", "product", ("I", "R3"), "V",
                  swaps=(("I", "Rp"),)),
        "V": Spec("Up", "voltage across the pair", "difference", ("U", "U3"), "V"),
        "I": Spec("I1", "current through R1", "quotient", ("Up", "r1"), "A",
                  swaps=(("U", "r1"),)),
        "K": Spec("I2", "current through R2", "quotient", ("Up", "R2"), "A",
                  swaps=(("U", "R2"),)),
        "H": Spec("P", "power drawn", "sq_product", ("I", "R"), "W", swaps=(("I", "Rp"),)),
        "h": Spec("P", "power drawn", "sq_product", ("I", "Rp"), "W"),
        "T": Spec("ts", "time in s", "min_to_s", ("tm",), "s"),
        "J": Spec("Q", "energy used", "product", ("P", "ts"), "J", swaps=(("P", "tm"),)),
        "W": Spec("kWh", "that energy in kWh", "j_to_kwh", ("Q",), "kWh"),
    }
    keys = {1: "A1", 2: "ASsH", 3: "ABCehF", 4: "AcDEGVIH", 5: "AcDEGVIKHTJW"}[difficulty]
    layout = {1: "A resistor R1 is connected across a supply of voltage U.",
              2: "Resistors R1 and R2 are in series across a supply of voltage U.",
              3: "Resistors R1 and R2 are in parallel across a supply of voltage U.",
              4: "Resistors R1 and R2 are in parallel; the pair is in series with R3, across "
                 "a supply of voltage U."}.get(
        difficulty, "Resistors R1 and R2 are in parallel; the pair is in series with R3, across "
                    "a supply of voltage U, for a time tm.")
    if difficulty == 2:  # the series plan's power uses the series resistance
        plan["H"] = Spec("P", "power drawn", "sq_product", ("I", "R"), "W", swaps=(("I", "r1"),))
    intro = f"{layout} Given {_givens_text(g)}."
    if difficulty >= 4:
        intro += f" The connecting wires are {rng.randint(20, 150)} cm long."
    return Scenario(intro, g, _pick(plan, keys))


def gas(rng: random.Random, difficulty: int) -> Scenario:
    """From level 4 the volume is in mL, and at level 5 the temperatures are in °F and a molar
    heat capacity is given, so that conversions and the heating step can go subtly wrong."""
    g: dict[str, tuple[float, str]] = {}
    if difficulty <= 2:
        g["T1"] = (rng.randint(-20, 60), "°C")
        g["V1" if difficulty == 1 else "P1"] = ((rng.randint(2, 40), "L") if difficulty == 1
                                                else (rng.randint(80, 300), "kPa"))
        g["T2"] = (rng.randint(70, 250), "°C")
    else:
        g["T1"] = (rng.randint(-20, 60), "°C") if difficulty < 5 else (rng.randint(0, 140), "°F")
        g["P1"] = (rng.randint(80, 400) if difficulty < 5 else rng.randint(800, 4000) / 10,
                   "kPa")
        g["V"] = ((rng.randint(2, 50), "L") if difficulty == 3
                  else (rng.randint(200, 5000) * 10, "mL"))
        g["R"] = (8.314, "J/(mol·K)")
        g["M"] = (rng.choice([2.016, 4.003, 28.01, 32.00, 44.01, 16.04, 39.95, 20.18]), "g/mol")
        if difficulty >= 4:
            g["T2"] = ((rng.randint(70, 250), "°C") if difficulty == 4
                       else (rng.randint(160, 480), "°F"))
        if difficulty == 5:
            g["Cv"] = (rng.choice([12.47, 20.79, 20.85, 21.0, 28.46]), "J/(mol·K)")
    to_k = "c_to_k" if difficulty < 5 else "f_to_k"
    plan = {
        "A": Spec("T", "T1 in kelvin", to_k, ("T1",), "K"),
        "G": Spec("Tb", "T2 in kelvin", to_k, ("T2",), "K"),
        "V": Spec("V2", "new volume", "ratio_scale", ("V1", "Tb", "T"), "L"),
        "Q": Spec("P2", "new pressure", "ratio_scale", ("P1", "Tb", "T"), "kPa"),
        "d": Spec("dP", "pressure rise", "difference", ("P2", "P1"), "kPa"),
        "B": Spec("p", "P1 in pascals", "kpa_to_pa", ("P1",), "Pa"),
        "C": Spec("Vm", "volume in m^3", "l_to_m3" if difficulty == 3 else "ml_to_m3", ("V",),
                  "m^3"),
        "D": Spec("n", "amount of gas", "gas_n", ("p", "Vm", "R", "T"), "mol",
                  swaps=(("p", "Vm", "R", "T1"), ("p", "V", "R", "T"))),
        "E": Spec("mass", "mass of gas", "product", ("n", "M"), "g"),
        "F": Spec("rho", "density", "quotient", ("mass", "V"), "g/L"),
        "m": Spec("Mk", "molar mass in kg/mol", "g_to_kg", ("M",), "kg/mol"),
        "e": Spec("mkg", "mass of gas", "product", ("n", "Mk"), "kg", swaps=(("n", "M"),)),
        "f": Spec("rho", "density", "quotient", ("mkg", "Vm"), "kg/m^3", swaps=(("mkg", "V"),)),
        "H": Spec("p2", "pressure after heating", "ratio_scale", ("p", "Tb", "T"), "Pa",
                  swaps=(("p", "T2", "T1"),)),
        "I": Spec("P2", "that pressure in kPa", "pa_to_kpa", ("p2",), "kPa"),
        "t": Spec("dT", "temperature rise", "difference", ("Tb", "T"), "K",
                  swaps=(("T2", "T1"), ("Tb", "T1"))),
        "q": Spec("Qh", "heat taken in", "triple_product", ("n", "Cv", "dT"), "J",
                  swaps=(("n", "Cv", "Tb"),)),
        "U": Spec("vr", "rms molecular speed after heating", "rms_speed", ("R", "Tb", "Mk"),
                  "m/s", swaps=(("R", "Tb", "M"), ("R", "T", "Mk"))),
    }
    keys = {1: "AV", 2: "AGQd", 3: "ABCDEF", 4: "ABCDmefGH", 5: "ABCDmefGHItqU"}[difficulty]
    if difficulty == 1:
        g["T2"] = (g["T2"][0] + 273, "K")
        plan["V"] = Spec("V2", "new volume", "ratio_scale", ("V1", "T2", "T"), "L")
    what = {1: "A gas at constant pressure is heated from T1 to T2.",
            2: "A gas in a rigid container is heated from T1 to T2."}.get(
        difficulty, "A rigid container holds an ideal gas of molar mass M." + (
            " It is then heated to T2." if difficulty >= 4 else "") + (
            " Cv is its molar heat capacity at constant volume." if difficulty == 5 else ""))
    intro = f"{what} Given {_givens_text(g)}."
    if difficulty >= 4:
        intro += f" The container's steel walls are {rng.randint(2, 9)} mm thick."
    return Scenario(intro, g, _pick(plan, keys))
