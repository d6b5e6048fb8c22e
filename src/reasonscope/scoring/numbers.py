"""Reading a number the way people and models write it, exactly (as a Fraction).

Accepted: signs (also U+2212), thousands separators (`1,234`, `1{,}234`, `1\\,234`), decimals,
scientific notation (`6.02e23`, `6.02 \\times 10^{23}`), `\\frac{a}{b}` and `a/b`, integer powers
(`2^{10}`), a leading `x =` / `\\approx`, currency `$`, and a trailing unit, `%` or degree sign.
Anything else is "not a number" (None), which the caller reports as unparseable rather than wrong.
Exponents are bounded so that `10^{10^{10}}`-style input is rejected instantly instead of computed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from reasonscope.scoring.normalize import strip_math_delimiters, unwrap_text_commands

MAX_NUMBER_CHARS = 1000
MAX_EXPONENT = 1000

_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d*)?|\.\d+"
_NUMBER_RE = re.compile(
    rf"""
    (?P<sign>[-+]?)\s*
    (?:
      \\frac\s*(?:\{{\s*(?P<fn>[-+]?(?:{_NUM}))\s*\}}|(?P<fn1>\d))
            \s*(?:\{{\s*(?P<fd>[-+]?(?:{_NUM}))\s*\}}|(?P<fd1>\d))
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
_PREFIX_RE = re.compile(
    r"^(?:(?:final\s+)?answer\s*(?:is\s*)?[:=]?\s*"
    r"|[A-Za-z][A-Za-z0-9_{}\\ ]{0,40}?\s*(?:=|\\approx|≈)\s*(?=[-+.$\\\d])"
    r"|(?:=|\\approx|≈|\\sim|~)\s*)",
    re.I,
)
_LEFT_RIGHT_RE = re.compile(r"\\(?:left|right)(?![A-Za-z])")
_TIGHT_SPACE_RE = re.compile(r"\\[,;:! ]")
_TRAILING_TEXT_UNIT_RE = re.compile(
    r"\s*\\(?:text|textrm|mathrm|mbox|textnormal)\s*\{[^{}0-9]*\}\s*$")
_DEGREE_PCT_RE = re.compile(r"^(?:\^\s*\{?\s*\\circ\s*\}?|\\circ|°|%|\\%)")
_UNIT_CHARS_RE = re.compile(r"[A-Za-zµμΩÅ°%/^{}()\s\d.·*\\-]+")
_LOOSE_DIGIT_RE = re.compile(r"(?<![\^{\w.\\-])\d")
_SUPERSCRIPTS = str.maketrans({"²": "^2", "³": "^3", "¹": "^1", "⁰": "^0"})


@dataclass(frozen=True)
class ParsedNumber:
    value: Fraction
    exact_form: bool  # written without a decimal point (so not a possibly rounded value)


def _to_fraction(num: str) -> Fraction:
    return Fraction(num.replace(",", ""))


def _clean(text: str, bare_units: bool) -> str:
    s = text.translate(_SUPERSCRIPTS).replace("\u2212", "-")
    s = strip_math_delimiters(s)
    s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("{,}", ",")
    s = _LEFT_RIGHT_RE.sub("", s)
    s = _TIGHT_SPACE_RE.sub("", s).replace("\\$", "$").replace("\\%", "%")
    if not bare_units:
        for _ in range(3):
            s = _TRAILING_TEXT_UNIT_RE.sub("", s)
    s = unwrap_text_commands(s).strip()
    s = _PREFIX_RE.sub("", s, count=1).strip()
    s = s.rstrip(".;,:!").strip()
    if s.startswith("$") and not s.endswith("$"):
        s = s[1:].strip()
    elif s.startswith(("-$", "+$")):
        s = s[0] + s[2:]
    return s


def _unit_ok(rest: str, bare_units: bool) -> bool:
    r = _DEGREE_PCT_RE.sub("", rest.strip()).strip()
    if not r:
        return True
    if not bare_units or not (r[0].isalpha() or r[0] in "µμΩÅ°"):
        return False
    return bool(_UNIT_CHARS_RE.fullmatch(r)) and not _LOOSE_DIGIT_RE.search(r)


def _exponent(m: re.Match[str], *names: str) -> int | None:
    for name in names:
        if m.group(name) is not None:
            return int(m.group(name))
    return None


def parse_number(text: str, *, bare_units: bool = True) -> ParsedNumber | None:
    """Exact value of `text`, or None when it is not (only) a number.

    `bare_units=False` accepts units only inside `\\text{}`/`\\mathrm{}` (and `%`, degrees), for
    expression answers where a trailing `x` is a variable, not a unit.
    """
    if len(text) > MAX_NUMBER_CHARS:
        return None
    s = _clean(text, bare_units)
    m = _NUMBER_RE.match(s)
    if m is None or not _unit_ok(m.group("rest"), bare_units):
        return None
    try:
        value = _value(m)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    if value is None:
        return None
    if m.group("sign") == "-":
        value = -value
    exact = "." not in s[: m.start("rest")]
    return ParsedNumber(value, exact)


def _value(m: re.Match[str]) -> Fraction | None:
    if m.group("fn") is not None or m.group("fn1") is not None:
        num = _to_fraction(m.group("fn") or m.group("fn1"))
        den = _to_fraction(m.group("fd") or m.group("fd1"))
        return num / den
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
    if parsed is None or parsed.value.denominator != 1:
        return None
    return parsed.value.numerator
