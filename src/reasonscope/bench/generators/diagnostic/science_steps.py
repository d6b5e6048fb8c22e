"""Physics derivations with unit conversions, one of whose steps may carry an injected error.

A derivation is a plan of steps, each computing one named quantity from givens and earlier
results by a known formula. Every step shows its formula, the numbers substituted and the result,
and later steps use the *shown* results, so an error propagates consistently and only the first
wrong step can be located. Errors are the ones students make. At low levels they are visible in
the formula (a conversion turned the wrong way, a ratio inverted); from level 3 on they look
right and need the step re-derived: a factor 2 or a square lost in a rearrangement, an area or
energy unit converted with the factor of the length or watt-hour unit, `p * V / R * T` for
`p * V / (R * T)`, or a correct formula fed a quantity that is not the one it needs (a Celsius
temperature, the total distance instead of the braking distance, g/mol instead of kg/mol).
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
    ErrorSlot,
    verdict_steps,
    work_to_decide,
)
from reasonscope.taxonomy import AnswerType

MIN_REL_ERROR = 0.03
"""An injected error moves a value by at least this much, far above rounding to 5 figures."""


@dataclass(frozen=True)
class Kind:
    """A formula ({i} is the i-th input) and the wrong versions students write: `obvious` ones a
    glance at the formula catches, `subtle` ones that look right until re-derived."""

    correct: str
    obvious: tuple[str, ...] = ()
    subtle: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    "kmh_to_ms": Kind("{0} / 3.6", ("{0} * 3.6",), ("{0} * 1000 / 60",)),
    "ms_to_kmh": Kind("{0} * 3.6", ("{0} / 3.6",), ("{0} * 60 / 1000",)),
    "min_to_s": Kind("{0} * 60", ("{0} / 60", "{0} * 3600")),
    "kohm_to_ohm": Kind("{0} * 1000", ("{0} / 1000", "{0} * 100")),
    "a_to_ma": Kind("{0} * 1000", ("{0} / 1000",)),
    "c_to_k": Kind("{0} + 273.15", ("{0} - 273.15",)),
    "kpa_to_pa": Kind("{0} * 1000", ("{0} / 1000", "{0} * 100")),
    "pa_to_kpa": Kind("{0} / 1000", ("{0} * 1000", "{0} / 100")),
    "l_to_m3": Kind("{0} / 1000", ("{0} * 1000",)),
    "ml_to_m3": Kind("{0} / 1000000", ("{0} * 1000000",), ("{0} / 1000",)),
    "f_to_k": Kind("({0} - 32) * 5 / 9 + 273.15", ("({0} + 32) * 5 / 9 + 273.15",),
                   ("({0} - 32) * 9 / 5 + 273.15", "{0} * 5 / 9 - 32 + 273.15",
                    "({0} - 32) * 5 / 9")),
    "j_to_kj": Kind("{0} / 1000", ("{0} * 1000",)),
    "w_to_kw": Kind("{0} / 1000", ("{0} * 1000",)),
    "g_to_kg": Kind("{0} / 1000", ("{0} * 1000",)),
    "j_to_kwh": Kind("{0} / 3600000", ("{0} * 3600000", "{0} / 1000"), ("{0} / 3600",)),
    "product": Kind("{0} * {1}", ("{0} / {1}",)),
    "quotient": Kind("{0} / {1}", ("{1} / {0}", "{0} * {1}")),
    "sum": Kind("{0} + {1}", ("{0} - {1}",)),
    "difference": Kind("{0} - {1}", ("{0} + {1}",)),
    "v2_over_2a": Kind("{0}^2 / (2 * {1})", ("{0} / (2 * {1})",), ("{0}^2 / {1}",)),
    "parallel": Kind("{0} * {1} / ({0} + {1})", ("{0} + {1}", "({0} + {1}) / 2",
                                                  "1 / {0} + 1 / {1}")),
    "triple_product": Kind("{0} * {1} * {2}", ("{0} * {1} / {2}",)),
    "sq_product": Kind("{0}^2 * {1}", ("{0} * {1}",), ("{0} * {1}^2",)),
    "gas_n": Kind("{0} * {1} / ({2} * {3})", ("{2} * {3} / ({0} * {1})",),
                  ("{0} * {1} / {2} * {3}", "{0} * {3} / ({2} * {1})")),
    "ratio_scale": Kind("{0} * {1} / {2}", ("{0} / ({1} * {2})",), ("{0} * {2} / {1}",)),
    "half_m_v2": Kind("0.5 * {0} * {1}^2", ("0.5 * {0} * {1}",), ("{0} * {1}^2",)),
    "rms_speed": Kind("(3 * {0} * {1} / {2})^0.5", ("3 * {0} * {1} / {2}",),
                      ("(3 * {0} / ({1} * {2}))^0.5", "({0} * {1} / {2})^0.5")),
}
CONVERSIONS = frozenset(k for k in KINDS if "_to_" in k)


@dataclass(frozen=True)
class Spec:
    """One step: quantity `sym` by formula `kind` from `inputs`; `swaps` are other input tuples
    a student plausibly uses instead (each names shown quantities, so the step looks normal)."""

    sym: str
    label: str
    kind: str
    inputs: tuple[str, ...]
    unit: str
    swaps: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Scenario:
    intro: str
    givens: dict[str, tuple[float, str]]  # symbol -> (value, unit)
    plan: tuple[Spec, ...]


SIG_FIGS = 5

# level -> weights of the error kinds: obvious formula, subtle formula, wrong input, slip
_ERROR_MIX = {1: (5, 0, 0, 5), 2: (5, 0, 0, 5), 3: (3, 3, 1, 3), 4: (0, 5, 4, 2),
              5: (0, 5, 4, 1)}


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


def _far(a: Fraction | float, b: Fraction | float) -> bool:
    return abs(Fraction(a) - Fraction(b)) >= MIN_REL_ERROR * abs(Fraction(b))


def _slip(rng: random.Random, v: Fraction | float, difficulty: int) -> str:
    """A wrong result a careless calculation gives: the leading digit off, the second digit off
    by one to three, two digits swapped, or (at low levels) a decimal shift. From level 4 the
    leading digit and the magnitude stay right, so only recomputing the step shows the slip."""
    d = Decimal(fmt(v))
    mag = Decimal(1).scaleb(d.copy_abs().adjusted())
    cands = [d + k * mag / 10 for k in (-3, -2, -1, 1, 2, 3)]
    sign, digits, exp = d.as_tuple()
    if len(digits) >= 3 and digits[1] != digits[2] and isinstance(exp, int):
        cands.append(Decimal((sign, (digits[0], digits[2], digits[1], *digits[3:]), exp)))
    if difficulty <= 3:
        cands += [d + mag, d - mag]
        if len(digits) >= 2 and digits[0] != digits[1] and digits[1] != 0 and isinstance(exp, int):
            cands.append(Decimal((sign, (digits[1], digits[0], *digits[2:]), exp)))
    if difficulty <= 2:
        cands += [d * 10, d / 10]
    ok = [fmt(Fraction(c)) for c in cands if c != 0 and (c > 0) == (d > 0) and _far(Fraction(c), v)]
    return rng.choice(ok) if ok else fmt(Fraction(d + 4 * mag / 10))


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


def value_of(template: str, args: list[str]) -> Fraction | float:
    """Exact value of a formula at the shown (decimal) inputs; a float only through a root."""
    code, consts = _formula(template)
    env: dict[str, Fraction] = dict(consts)
    env.update({f"v_{c}": Fraction(a) for c, a in zip("abcdefgh", args, strict=False)})
    value = eval(code, {"__builtins__": {}}, env)
    assert isinstance(value, Fraction | float)
    return value


@dataclass(frozen=True)
class _Shown:
    template: str
    inputs: tuple[str, ...]
    value: str
    kind: str  # "" when the step is right


def _options(spec: Spec, values: dict[str, str], difficulty: int
             ) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The level's wrong versions of a step (template, inputs) by error kind, each moving the
    value by at least `MIN_REL_ERROR`."""
    k = KINDS[spec.kind]
    nums = [values[s] for s in spec.inputs]
    exact = value_of(k.correct, nums)
    weights = dict(zip(("formula", "subtle", "input"), _ERROR_MIX[difficulty], strict=False))
    options = {
        "formula": [(w, spec.inputs) for w in k.obvious],
        "subtle": [(w, spec.inputs) for w in k.subtle],
        "input": [(k.correct, sw) for sw in spec.swaps],
    }

    def changes_value(template: str, inputs: tuple[str, ...]) -> bool:
        try:
            return _far(value_of(template, [values[s] for s in inputs]), exact)
        except ZeroDivisionError:
            return False

    return {kind: kept for kind, cands in options.items() if weights[kind]
            and (kept := [(t, ins) for t, ins in cands if changes_value(t, ins)])}


def _mistake(rng: random.Random, spec: Spec, values: dict[str, str], difficulty: int) -> _Shown:
    """The shown version of a wrong step: the level's mix of error kinds, falling back to an
    arithmetic slip when a kind has nothing that changes the value enough."""
    k = KINDS[spec.kind]
    exact = value_of(k.correct, [values[s] for s in spec.inputs])
    options = _options(spec, values, difficulty)
    weights = dict(zip(("formula", "subtle", "input", "slip"), _ERROR_MIX[difficulty],
                       strict=True))
    kinds = [name for name in weights if name in options or name == "slip"]
    kind = rng.choices(kinds, weights=[weights[name] for name in kinds])[0]
    if kind == "slip":
        return _Shown(k.correct, spec.inputs, _slip(rng, exact, difficulty), "slip")
    template, inputs = rng.choice(options[kind])
    value = fmt(value_of(template, [values[s] for s in inputs]))
    if spec.kind in CONVERSIONS:
        kind = "conversion" if kind == "formula" else "subtle_conversion"
    return _Shown(template, inputs, value, kind)


def _error_position(sc: Scenario, difficulty: int, slot: ErrorSlot) -> int:
    """The slot's position; from level 4, moved to the nearest step that has a wrong version
    other than a slip (the slot spreads positions evenly, and such steps are spread through
    every plan), so most hard errors need the step re-derived rather than recomputed."""
    pos = slot.position(range(1, len(sc.plan) + 1))
    if not pos or difficulty < 4:
        return pos
    values = {s: fmt(v) for s, (v, _) in sc.givens.items()}
    capable = []
    for step, spec in enumerate(sc.plan, start=1):
        if _options(spec, values, difficulty):
            capable.append(step)
        values[spec.sym] = fmt(value_of(KINDS[spec.kind].correct,
                                        [values[s] for s in spec.inputs]))
    return min(capable, key=lambda c: (abs(c - pos), c)) if capable else pos


def derive(rng: random.Random, difficulty: int, sc: Scenario, slot: ErrorSlot) -> Draft:
    n = len(sc.plan)
    pos = _error_position(sc, difficulty, slot)
    values = {s: fmt(v) for s, (v, _) in sc.givens.items()}
    original = dict(values)
    lines, checks, record = [], [], []
    kind = ""
    for step, spec in enumerate(sc.plan, start=1):
        nums = [values[s] for s in spec.inputs]
        template = KINDS[spec.kind].correct
        correct = fmt(value_of(template, nums))
        shown = (_mistake(rng, spec, values, difficulty) if step == pos
                 else _Shown(template, spec.inputs, correct, ""))
        kind = shown.kind or kind
        values[spec.sym] = shown.value
        original[spec.sym] = fmt(value_of(template, [original[s] for s in spec.inputs]))
        shown_nums = [values[s] for s in shown.inputs]
        symbolic, numeric = shown.template.format(*shown.inputs), shown.template.format(*shown_nums)
        body = f"{spec.sym} = {symbolic} = {numeric}" if symbolic != numeric else \
            f"{spec.sym} = {numeric}"
        lines.append(f"Step {step}: {spec.label}: {body} = {shown.value} {spec.unit}")
        want = f"{spec.sym} = {template.format(*spec.inputs)} = {template.format(*nums)} = " \
               f"{correct} {spec.unit}"
        ok = shown.value == correct
        checks.append((want if ok else f"{want}, not {shown.value}", ok))
        record.append({"kind": spec.kind, "sym": spec.sym, "inputs": list(spec.inputs),
                       "value": shown.value})
    prompt = (f"{sc.intro}\n" + "\n".join(lines) + "\nResults are rounded to 5 significant "
              f"figures. Which step is the first wrong one? {STEP_QUESTION}")
    return Draft(
        prompt=prompt, answer=str(pos), answer_type=AnswerType.LINE,
        steps=tuple(verdict_steps(checks, "Step", pos)),
        work=work_to_decide(pos, range(1, n + 1)), work_unit="steps",
        meta={"givens": {s: fmt(v) for s, (v, _) in sc.givens.items()}, "derivation": record,
              "original_values": {s.sym: original[s.sym] for s in sc.plan},
              "error": {"step": pos, "kind": kind} if pos else None},
    )
