"""Physics derivations with unit conversions, one of whose steps may carry an injected error.

A derivation is a plan of steps, each computing one named quantity from givens and earlier
results by a known formula. Every step shows its formula, the numbers substituted and the result,
and later steps use the *shown* results, so an error propagates consistently and only the first
wrong step can be located. Errors are the ones students make: a wrong conversion factor, a wrongly
rearranged formula, an arithmetic slip.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from reasonscope.bench.generators.base import Draft
from reasonscope.bench.generators.diagnostic.common import (
    STEP_QUESTION,
    is_clean,
    pick_position,
    verdict_steps,
)
from reasonscope.taxonomy import AnswerType

MIN_REL_ERROR = 0.03
"""An injected error moves a value by at least this much, far above rounding to 5 figures."""

# kind -> (correct template, wrong templates); {i} is the i-th input
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kmh_to_ms": ("{0} / 3.6", ("{0} * 3.6", "{0} / 36")),
    "min_to_s": ("{0} * 60", ("{0} / 60", "{0} * 100")),
    "kohm_to_ohm": ("{0} * 1000", ("{0} * 100", "{0} / 1000")),
    "a_to_ma": ("{0} * 1000", ("{0} * 100", "{0} / 1000")),
    "c_to_k": ("{0} + 273.15", ("{0} - 273.15", "{0} + 237.15")),
    "kpa_to_pa": ("{0} * 1000", ("{0} * 100", "{0} / 1000")),
    "pa_to_kpa": ("{0} / 1000", ("{0} / 100", "{0} * 1000")),
    "l_to_m3": ("{0} / 1000", ("{0} / 100", "{0} * 1000")),
    "j_to_kj": ("{0} / 1000", ("{0} / 100", "{0} * 1000")),
    "product": ("{0} * {1}", ("{0} / {1}",)),
    "quotient": ("{0} / {1}", ("{1} / {0}", "{0} * {1}")),
    "sum": ("{0} + {1}", ("{0} - {1}",)),
    "v2_over_2a": ("{0}^2 / (2 * {1})", ("{0}^2 / {1}", "{0} / (2 * {1})")),
    "parallel": ("{0} * {1} / ({0} + {1})", ("{0} + {1}", "({0} + {1}) / 2")),
    "sq_product": ("{0}^2 * {1}", ("{0} * {1}^2", "{0} * {1}")),
    "gas_n": ("{0} * {1} / ({2} * {3})", ("{0} * {3} / ({2} * {1})", "{2} * {3} / ({0} * {1})")),
    "ratio_scale": ("{0} * {1} / {2}", ("{0} * {2} / {1}",)),
    "half_m_v2": ("0.5 * {0} * {1}^2", ("{0} * {1}^2", "0.5 * {0} * {1}")),
}
CONVERSIONS = frozenset(k for k in KINDS if "_to_" in k)


@dataclass(frozen=True)
class Spec:
    sym: str
    label: str
    kind: str
    inputs: tuple[str, ...]
    unit: str


SIG_FIGS = 5


def fmt(v: Fraction | float | int) -> str:
    """Five significant figures, rounded half up, as a plain decimal (scientific when tiny)."""
    if isinstance(v, Fraction):
        d = Decimal(v.numerator) / Decimal(v.denominator)
    else:
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    if d == 0:
        return "0"
    exp = d.copy_abs().adjusted()
    rounded = d.quantize(Decimal(1).scaleb(exp - SIG_FIGS + 1), rounding=ROUND_HALF_UP)
    if rounded.copy_abs().adjusted() != exp:  # 9.99995 -> 10.000: one digit fewer after rounding
        rounded = d.quantize(Decimal(1).scaleb(exp - SIG_FIGS + 2), rounding=ROUND_HALF_UP)
    if abs(rounded) < Decimal("0.0001"):
        return f"{rounded.normalize():e}".replace("e-0", "e-")
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _slip(rng: random.Random, v: Fraction, difficulty: int) -> str:
    """A wrong result a careless calculation gives: a leading digit off, two digits swapped, or
    (at low levels) a decimal shift."""
    d = Decimal(fmt(v))
    mag = Decimal(1).scaleb(d.copy_abs().adjusted())
    cands = [d + mag, d - mag, d + mag / 10, d - mag / 10]
    sign, digits, exp = d.as_tuple()
    if len(digits) >= 2 and digits[0] != digits[1] and digits[1] != 0 and isinstance(exp, int):
        cands.append(Decimal((sign, (digits[1], digits[0], *digits[2:]), exp)))
    if difficulty <= 2:
        cands += [d * 10, d / 10]
    ok = [fmt(Fraction(c)) for c in cands
          if c > 0 and abs(Fraction(c) - v) >= MIN_REL_ERROR * abs(v)]
    return rng.choice(ok) if ok else fmt(v * 3 / 2)


@functools.lru_cache(maxsize=256)
def _formula(template: str) -> tuple[Any, dict[str, Fraction]]:
    """The template compiled once, its numeric literals bound as exact fractions."""
    consts: dict[str, Fraction] = {}

    def const(m: re.Match[str]) -> str:
        name = f"c_{'abcdefghij'[len(consts)]}"
        consts[name] = Fraction(m.group())
        return name

    names = template.format(*(f"v_{c}" for c in "abcdefgh"))
    expr = re.sub(r"(?<![\w.])\d+(?:\.\d+)?", const, names).replace("^", "**")
    return compile(expr, "<formula>", "eval"), consts


def _value(template: str, args: list[str]) -> Fraction:
    """Exact value of a formula at the shown (decimal) inputs."""
    code, consts = _formula(template)
    env: dict[str, Fraction] = dict(consts)
    env.update({f"v_{c}": Fraction(a) for c, a in zip("abcdefgh", args, strict=False)})
    value = eval(code, {"__builtins__": {}}, env)
    assert isinstance(value, Fraction)
    return value


@dataclass(frozen=True)
class Scenario:
    intro: str
    givens: dict[str, tuple[float, str]]  # symbol -> (value, unit)
    plan: tuple[Spec, ...]


def derive(rng: random.Random, difficulty: int, sc: Scenario) -> Draft:
    n = len(sc.plan)
    pos = 0 if is_clean(rng) else pick_position(rng, range(1, n + 1), difficulty)
    values = {s: fmt(v) for s, (v, _) in sc.givens.items()}
    original = dict(values)
    lines, checks, record = [], [], []
    kind = ""
    for step, spec in enumerate(sc.plan, start=1):
        template, wrongs = KINDS[spec.kind]
        nums = [values[s] for s in spec.inputs]
        correct = fmt(_value(template, nums))
        shown_t, value = template, correct
        if step == pos:
            exact = _value(template, nums)
            options = [w for w in wrongs
                       if abs(_value(w, nums) - exact) >= MIN_REL_ERROR * abs(exact)]
            if options and rng.random() < 0.6:
                kind = "conversion" if spec.kind in CONVERSIONS else "formula"
                shown_t = rng.choice(options)
                value = fmt(_value(shown_t, nums))
            else:
                kind = "slip"
                value = _slip(rng, exact, difficulty)
        values[spec.sym] = value
        original[spec.sym] = correct if not pos or step < pos else fmt(
            _value(template, [original[s] for s in spec.inputs]))
        symbolic, numeric = shown_t.format(*spec.inputs), shown_t.format(*nums)
        body = f"{spec.sym} = {symbolic} = {numeric}" if symbolic != numeric else \
            f"{spec.sym} = {numeric}"
        lines.append(f"Step {step}: {spec.label}: {body} = {value} {spec.unit}")
        want = f"{spec.sym} = {template.format(*nums)} = {correct} {spec.unit}"
        checks.append((want if value == correct else f"{want}, not {value}", value == correct))
        record.append({"kind": spec.kind, "sym": spec.sym, "inputs": list(spec.inputs),
                       "value": value})
    prompt = (f"{sc.intro}\n" + "\n".join(lines) + "\nResults are rounded to 5 significant "
              f"figures. Which step is the first wrong one? {STEP_QUESTION}")
    return Draft(
        prompt=prompt, answer=str(pos), answer_type=AnswerType.LINE,
        steps=tuple(verdict_steps(checks, "Step", pos)),
        meta={"givens": {s: fmt(v) for s, (v, _) in sc.givens.items()}, "derivation": record,
              "original_values": {s.sym: original[s.sym] for s in sc.plan},
              "error": {"step": pos, "kind": kind} if pos else None},
    )


def _given_text(sc_givens: dict[str, tuple[float, str]], sym: str) -> str:
    v, unit = sc_givens[sym]
    return f"{sym} = {fmt(v)} {unit}"


def _pick(plan: dict[str, Spec], keys: str) -> tuple[Spec, ...]:
    return tuple(plan[k] for k in keys)


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
        "C": Spec("d1", "cruising distance", "product", ("v", "t"), "m"),
        "D": Spec("a", "braking deceleration", "quotient", ("v", "tb"), "m/s^2"),
        "E": Spec("d2", "braking distance", "v2_over_2a", ("v", "a"), "m"),
        "F": Spec("d", "total distance", "sum", ("d1", "d2"), "m"),
        "G": Spec("F", "braking force", "product", ("m", "a"), "N"),
        "H": Spec("W", "work done by the brakes", "product", ("F", "d2"), "J"),
        "I": Spec("Wk", "that work in kJ", "j_to_kj", ("W",), "kJ"),
        "K": Spec("E", "initial kinetic energy", "half_m_v2", ("m", "v"), "J"),
    }
    keys = {1: "AC", 2: "ABC", 3: rng.choice(["ADEG", "ADGK"]), 4: "ABCDEF",
            5: rng.choice(["ABCDEFGHI", "ABCDEFGK"])}[difficulty]
    given = ", ".join(_given_text(g, s) for s in g)
    intro = (f"A car drives at constant speed for a time t. Given {given}. Find the distance."
             if difficulty == 1 else
             f"A car of mass m cruises at speed v0 for time t1, then brakes uniformly to rest in "
             f"time tb. Given {given}.")
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
                   else (rng.randint(10, 99) / 10, "kΩ"))
    if difficulty >= 4:
        g["R3"] = (rng.randint(10, 999), "Ω")
        g["tm"] = (rng.randint(2, 60), "min")
    plan = {
        "A": Spec("r1", "R1 in ohms", "kohm_to_ohm", ("R1",), "Ω"),
        "B": Spec("r2", "R2 in ohms", "kohm_to_ohm", ("R2",), "Ω"),
        "S": Spec("R", "series resistance", "sum", ("r1", "R2"), "Ω"),
        "C": Spec("Rp", "R1 parallel R2", "parallel", ("r1", "r2"), "Ω"),
        "D": Spec("R", "total resistance", "sum", ("Rp", "R3"), "Ω"),
        "E": Spec("I", "current", "quotient", ("U", "R"), "A"),
        "e": Spec("I", "current", "quotient", ("U", "Rp"), "A"),
        "1": Spec("I", "current", "quotient", ("U", "r1"), "A"),
        "F": Spec("mA", "current in mA", "a_to_ma", ("I",), "mA"),
        "G": Spec("U3", "voltage across R3", "product", ("I", "R3"), "V"),
        "H": Spec("P", "power drawn", "sq_product", ("I", "R"), "W"),
        "h": Spec("P", "power drawn", "sq_product", ("I", "Rp"), "W"),
        "T": Spec("ts", "time in s", "min_to_s", ("tm",), "s"),
        "J": Spec("Q", "energy used", "product", ("P", "ts"), "J"),
    }
    keys = {1: "A1", 2: "ASE", 3: rng.choice(["ABCeh", "ABCeF"]), 4: "ABCDEG",
            5: rng.choice(["ABCDEHTJ", "ABCDEGHTJ"])}[difficulty]
    layout = {1: "A resistor R1 is connected across a supply of voltage U.",
              2: "Resistors R1 and R2 are in series across a supply of voltage U.",
              3: "Resistors R1 and R2 are in parallel across a supply of voltage U."}.get(
        difficulty, "Resistors R1 and R2 are in parallel; the pair is in series with R3, across "
                    "a supply of voltage U, for a time tm.")
    given = ", ".join(_given_text(g, s) for s in g)
    intro = f"{layout} Given {given}."
    if difficulty >= 4:
        intro += f" The connecting wires are {rng.randint(20, 150)} cm long."
    return Scenario(intro, g, _pick(plan, keys))


def gas(rng: random.Random, difficulty: int) -> Scenario:
    g: dict[str, tuple[float, str]] = {"T1": (rng.randint(-20, 60), "°C")}
    if difficulty <= 2:
        g["V1" if difficulty == 1 else "P1"] = ((rng.randint(2, 40), "L") if difficulty == 1
                                                else (rng.randint(80, 300), "kPa"))
        g["T2"] = (rng.randint(70, 250), "°C")
    else:
        g["P1"] = (rng.randint(80, 400) if difficulty < 5 else rng.randint(800, 4000) / 10,
                   "kPa")
        g["V"] = (rng.randint(2, 50) if difficulty < 5 else rng.randint(20, 500) / 10, "L")
        g["R"] = (8.314, "J/(mol·K)")
        if difficulty >= 4:
            g["M"] = (rng.choice([2.016, 4.003, 28.01, 32.00, 44.01, 16.04]), "g/mol")
        if difficulty == 5:
            g["T2"] = (rng.randint(70, 250), "°C")
    plan = {
        "A": Spec("T", "T1 in kelvin", "c_to_k", ("T1",), "K"),
        "G": Spec("Tb", "T2 in kelvin", "c_to_k", ("T2",), "K"),
        "V": Spec("V2", "new volume", "ratio_scale", ("V1", "Tb", "T"), "L"),
        "Q": Spec("P2", "new pressure", "ratio_scale", ("P1", "Tb", "T"), "kPa"),
        "B": Spec("p", "P1 in pascals", "kpa_to_pa", ("P1",), "Pa"),
        "C": Spec("Vm", "volume in m^3", "l_to_m3", ("V",), "m^3"),
        "D": Spec("n", "amount of gas", "gas_n", ("p", "Vm", "R", "T"), "mol"),
        "E": Spec("mass", "mass of gas", "product", ("n", "M"), "g"),
        "F": Spec("rho", "density", "quotient", ("mass", "V"), "g/L"),
        "H": Spec("p2", "pressure after heating", "ratio_scale", ("p", "Tb", "T"), "Pa"),
        "I": Spec("P2", "that pressure in kPa", "pa_to_kpa", ("p2",), "kPa"),
    }
    keys = {1: "AV", 2: "AGQ", 3: "ABCD", 4: "ABCDEF",
            5: rng.choice(["ABCDEFGHI", "ABCDGHI"])}[difficulty]
    if difficulty == 1:
        g["T2"] = (g["T2"][0] + 273, "K")
        plan["V"] = Spec("V2", "new volume", "ratio_scale", ("V1", "T2", "T"), "L")
    given = ", ".join(_given_text(g, s) for s in g)
    what = {1: "A gas at constant pressure is heated from T1 to T2.",
            2: "A gas in a rigid container is heated from T1 to T2."}.get(
        difficulty, "A rigid container holds an ideal gas." + (
            " It is then heated to T2." if difficulty == 5 else ""))
    intro = f"{what} Given {given}."
    if difficulty >= 4:
        intro += f" The container's steel walls are {rng.randint(2, 9)} mm thick."
    return Scenario(intro, g, _pick(plan, keys))
