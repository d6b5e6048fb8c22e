"""Reading a number the way people and models write it, exactly (as a Fraction).

Accepted: signs (also U+2212), thousands separators (`1,234`, `1{,}234`, `1\\,234`, `1,\\!234`),
decimals, scientific notation (`6.02e23`, `6.02 \\times 10^{23}`), closed forms (`\\frac{a}{b}`,
`a/b`, `2^{10}`, `\\binom{4}{2}`, `5!`, `{{42}}`, `2^3 \\cdot 3`; see `arith`), the right-hand side
of a relation (`x =`, `\\lambda_{\\max} =`, `f(3) =`, `\\approx`), currency `$`, and a trailing
unit (`units`), `%` or degree sign. Anything else is "not a number" (None), which the caller
reports as unparseable rather than wrong: `3i`, `3x - 2` and `5 \\text{ or } -3` are not numbers.
A fast regular expression reads the common forms; the closed-form reader handles the rest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from reasonscope.scoring.arith import read_closed_form
from reasonscope.scoring.normalize import strip_math_delimiters
from reasonscope.scoring.texnorm import canonical_tex, relation_rhs
from reasonscope.scoring.units import DEGREE_PCT_RE, is_unit, unit_rest_ok

MAX_NUMBER_CHARS = 1000
MAX_EXPONENT = 1000

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d*)?|\.\d+"
_NUMBER_RE = re.compile(
    rf"""
    (?P<sign>[-+]?)\s*
    (?:
      \\frac\s*\{{\s*(?P<fn>[-+]?(?:{_NUM}))\s*\}}\s*\{{\s*(?P<fd>[-+]?(?:{_NUM}))\s*\}}
    | (?P<pb>\d+)\s*(?:\^|\*\*)\s*(?:\{{\s*(?P<pe>[-+]?\d{{1,6}})\s*\}}|(?P<pe1>[-+]?\d{{1,6}}))
    | (?P<mant>{_NUM})
      (?: [eE](?P<e1>[-+]?\d{{1,6}})
        | \s*(?:\\times|\\cdot|×|·|\*|x)\s*10\s*(?:\^|\*\*)\s*
          (?:\{{\s*(?P<e2>[-+]?\d{{1,6}})\s*\}}|(?P<e3>[-+]?\d{{1,6}}))
      )?
      (?:\s*/\s*(?P<den>{_NUM}))?
    )
    (?P<rest>.*)
    """,
    re.X | re.S,
)
_ANSWER_PREFIX_RE = re.compile(r"^(?:final\s+)?answer\s*(?:is\s*)?[:=]?\s*", re.I)
_DIGIT_SPACE_RE = re.compile(r"(?<=\d)\\[,;: ](?=\d)")  # 1\,234
_SPACE_CMD_RE = re.compile(r"\\[,;: ]|\\q?quad(?![A-Za-z])|~")
# A unit written as text at the very end (`\text{ cm}`, `\mbox{ inches}^2`).
_TRAILING_TEXT_RE = re.compile(
    r"\\(?:text|textrm|mathrm|mbox|textnormal|textit|textbf|mathit|operatorname)\s*"
    r"\{(?P<unit>(?:[^{}]|\{[^{}]*\})*)\}(?:\s*\^\s*\{?\s*\d\s*\}?)?\s*$")
_TEXT_CMD_RE = re.compile(
    r"\\(?:text|textrm|mathrm|mbox|textnormal|textit|textbf|mathit|mathbf|operatorname|texttt"
    r"|textsf|mathsf|mathtt|emph)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_SUPERSCRIPTS = str.maketrans({"²": "^2", "³": "^3", "¹": "^1", "⁰": "^0", "\u2212": "-"})


@dataclass(frozen=True)
class ParsedNumber:
    value: Fraction | float  # a float only for irrational closed forms (`\sqrt{2}`, `2\pi`)
    exact_form: bool  # written without a decimal point and rational: not a rounded value


def _to_fraction(num: str) -> Fraction:
    return Fraction(num.replace(",", ""))


def strip_text_units(s: str) -> str:
    """Drop `\\text{unit}` tails that read as units; `\\text{ or } -3` is left for the reader."""
    for _ in range(3):
        m = _TRAILING_TEXT_RE.search(s)
        if m is None or not m.start() or not is_unit(m.group("unit")):
            break
        s = s[:m.start()].rstrip()
    return s


def _strip_end_punctuation(s: str) -> str:
    """Sentence punctuation at the end; `!` after a digit or bracket is a factorial (`5!!`)."""
    while s:
        c = s[-1]
        if c == "!":
            before = s.rstrip("!").rstrip()  # in math mode `4 !` is `4!`
            if before and (before[-1].isdigit() or before[-1] in ")}"):
                break
        elif c not in ".;,:":
            break
        s = s[:-1].rstrip()
    return s


def clean_number_text(text: str, bare_units: bool) -> str | None:
    """The text a number reader sees: LaTeX spelled one way, no wrappers, no relation's left
    side; None when the text states several things (`x = 1 \\text{ or } x = 3`)."""
    s = strip_math_delimiters(text.translate(_SUPERSCRIPTS))
    s = canonical_tex(s.replace("{,}", ","))
    s = _DIGIT_SPACE_RE.sub("", s)
    s = _SPACE_CMD_RE.sub(" ", s).replace("\\$", "$").replace("\\%", "%")
    s = strip_text_units(s.strip())
    for _ in range(3):
        unwrapped = _TEXT_CMD_RE.sub(lambda m: " " + m.group(1), s)
        if unwrapped == s:
            break
        s = unwrapped
    s = _ANSWER_PREFIX_RE.sub("", s.strip(), count=1)
    rhs = relation_rhs(s)
    if rhs is None:
        return None
    s = _strip_end_punctuation(rhs.strip())
    if s.startswith("$") and not s.endswith("$"):
        s = s[1:].strip()
    elif s.startswith(("-$", "+$")):
        s = s[0] + s[2:]
    return canonical_tex(s) if s.startswith("{") else s


def _rest_ok(rest: str, bare_units: bool, attached_units: bool) -> bool:
    if bare_units and (attached_units or not rest or rest[0].isspace()):
        return unit_rest_ok(rest)
    m = DEGREE_PCT_RE.match(rest)
    return not (rest[m.end():] if m else rest).strip()


def _exponent(m: re.Match[str], *names: str) -> int | None:
    for name in names:
        if m.group(name) is not None:
            return int(m.group(name))
    return None


def parse_number(text: str, *, bare_units: bool = True,
                 attached_units: bool = True) -> ParsedNumber | None:
    """Exact value of `text`, or None when it is not (only) a number.

    `bare_units=False` accepts units only inside `\\text{}`/`\\mathrm{}` (and `%`, degrees), for
    answers where a trailing `x` is a variable, not a unit; `attached_units=False` accepts bare
    units only after a space (`10 inches`, not `2m`, which may be a product).
    """
    if len(text) > MAX_NUMBER_CHARS:
        return None
    s = clean_number_text(text, bare_units)
    if not s:
        return None
    m = _NUMBER_RE.match(s)
    if m is not None and _rest_ok(m.group("rest"), bare_units, attached_units):
        try:
            value = _value(m)
        except (ValueError, ZeroDivisionError, OverflowError):
            return None
        if value is None:
            return None
        if m.group("sign") == "-":
            value = -value
        return ParsedNumber(value, "." not in s[: m.start("rest")])
    reading = read_closed_form(s)
    if reading is None:
        return None
    rest = s[reading.end:]
    if not _rest_ok(rest, bare_units and not reading.is_sum, attached_units):
        return None
    exact = isinstance(reading.value, Fraction) and not reading.used_decimal_point
    return ParsedNumber(reading.value, exact)


def _value(m: re.Match[str]) -> Fraction | None:
    if m.group("fn") is not None:
        return _to_fraction(m.group("fn")) / _to_fraction(m.group("fd"))
    if m.group("pb") is not None:
        base = int(m.group("pb"))
        exp = _exponent(m, "pe", "pe1")
        assert exp is not None
        if base > 1 and abs(exp) * math.log10(base) > MAX_EXPONENT:
            return None
        return Fraction(base) ** exp
    value = _to_fraction(m.group("mant"))
    exp = _exponent(m, "e1", "e2", "e3")
    if exp is not None:
        if abs(exp) > MAX_EXPONENT:
            return None
        value *= Fraction(10) ** exp
    if m.group("den") is not None:
        value /= _to_fraction(m.group("den"))
    return value


def parse_integer_text(text: str) -> int | None:
    """The integer a number answer denotes, if it is integral (`1.0e3` -> 1000)."""
    parsed = parse_number(text)
    if parsed is None or not isinstance(parsed.value, Fraction) or parsed.value.denominator != 1:
        return None
    return parsed.value.numerator
