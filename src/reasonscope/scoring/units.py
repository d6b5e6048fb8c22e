"""Is the text after a number a unit (`m/s^2`, `grams`, `kWh`), or more mathematics (`x-2`)?

A unit is read by a small grammar, not a character class: words with optional integer
exponents, joined by spaces, `/`, `·`, `*`, `\\cdot`, `-` or `per`, with parentheses for
grouping. Digits appear only in exponents. What may count as a word is the part that decides
between "a unit" and "a different answer":

- a single letter is a unit only if it is a unit symbol (`m`, `g`, `s`, `K`, `N`, ...), never a
  likely variable (`i`, `x`, `n`, `t`, `d`): `3i` is not 3;
- letters written directly after the number (`5kg`) must be a known symbol, possibly prefixed;
- a separated word (`9 grams`, `18 eggs`) may be any word except connectives and mathematics
  (`or`, `and`, `plus`, `pi`, `sin`, ...): `5 \\text{ or } -3` is two answers, not 5.
"""

from __future__ import annotations

import re

_SINGLE_LETTER_UNITS = frozenset({"m", "g", "s", "h", "K", "N", "J", "W", "V", "A", "C", "F", "H",
                                  "T", "L", "l", "M", "Ω", "Å"})
_PREFIXABLE = ("m", "g", "s", "A", "K", "mol", "cd", "N", "J", "W", "Wh", "V", "Pa", "Hz", "C",
               "Ω", "F", "H", "T", "L", "l", "eV", "bar", "B", "b", "Wb", "S", "Gy", "Sv", "Bq",
               "lm", "lx", "M", "cal", "t")
_PREFIXES = ("Y", "Z", "E", "P", "T", "G", "M", "k", "h", "da", "d", "c", "m", "µ", "μ", "u", "n",
             "p", "f", "a")
_OTHER_SYMBOLS = ("min", "hr", "hrs", "h", "ft", "in", "yd", "mi", "lb", "lbs", "oz", "mph", "kph",
                  "kmh", "gal", "qt", "pt", "atm", "psi", "kcal", "Btu", "rpm", "dB", "AU", "ly",
                  "pc", "amu", "Da", "kDa", "mmHg", "torr", "Torr", "sec", "secs", "cc", "mAh",
                  "kWh", "Å", "K", "rad", "sr", "deg", "mins", "yr", "yrs", "wk", "ppm", "ppb")
# Symbols that may follow the digits directly (`5kg`, `60mph`); `t` (tonne) alone is left out:
# `4t` is far more often a product with a variable.
KNOWN_SYMBOLS = frozenset(
    {p + u for p in _PREFIXES for u in _PREFIXABLE} | set(_PREFIXABLE) | set(_OTHER_SYMBOLS)
) - {"t"}
# Words after a number that make it a different answer, not a unit.
_NOT_UNITS = frozenset({
    "or", "and", "to", "plus", "minus", "times", "over", "divided", "mod", "modulo", "pi", "sin",
    "cos", "tan", "sec", "csc", "cot", "log", "ln", "exp", "sqrt", "is", "are", "equals",
    "equal", "not", "if", "than", "less", "more", "approximately", "approx", "about", "cdot",
    "pm", "mp", "choose", "factorial", "squared", "cubed", "else", "otherwise", "with",
    "remainder", "r", "e", "i", "j", "k", "x", "y", "z", "n", "ab", "xy",
})
_COMMAND_SPELLINGS = {"\\mu": "µ", "\\Omega": "Ω", "\\ohm": "Ω", "\\AA": "Å", "\\cdot": "·",
                      "\\times": "·", "\\degree": "°"}
_COMMAND_RE = re.compile(r"\\(?:mu|Omega|ohm|AA|cdot|times|degree)(?![A-Za-z])")
_MICRO_RE = re.compile(r"(?:\\mu|µ|μ)(?![A-Za-z])\s*(?=[A-Za-z])")  # `\mu m` is one symbol
_TOKEN_RE = re.compile(
    r"(?P<word>[A-Za-zµμΩÅ]+)"
    r"|(?P<exp>\^\s*(?:\{\s*[-+]?\d{1,3}\s*\}|[-+]?\d{1,3}))"
    r"|(?P<sep>\s*(?:/|·|\*)\s*|-)"
    r"|(?P<open>\(\s*)|(?P<close>\s*\))|(?P<ws>\s+)"
)
# A degree or percent sign right after the number (`30^\circ`, `45°`, `12.5\%`).
DEGREE_PCT_RE = re.compile(r"^\s*(?:\^\s*\{?\s*\\circ\s*\}?|\\circ|°|%|\\%)")


def _word_ok(word: str, attached: bool) -> bool:
    if attached:
        return word in KNOWN_SYMBOLS
    if len(word) == 1:
        return word in _SINGLE_LETTER_UNITS
    return word.casefold() not in _NOT_UNITS


def is_unit(text: str, *, attached: bool = False) -> bool:
    """Does `text` (what follows a number) read as a unit? `attached`: no space before it."""
    s = _MICRO_RE.sub("µ", text)
    s = _COMMAND_RE.sub(lambda m: _COMMAND_SPELLINGS[m.group()], s).strip()
    if not s or len(s) > 80:
        return False
    pos = 0
    depth = 0
    words = 0
    expect_factor = True  # a word or "(" must come next
    first = True
    while pos < len(s):
        m = _TOKEN_RE.match(s, pos)
        if m is None:
            return False
        kind = m.lastgroup
        if kind == "word":
            if not _word_ok(m.group(), attached and first):
                return False
            words += 1
            expect_factor = False
            first = False
        elif kind == "exp":
            if expect_factor:
                return False
        elif kind == "sep":
            if expect_factor:
                return False
            expect_factor = True
        elif kind == "open":
            if not expect_factor:
                return False
            depth += 1
        elif kind == "close":
            if expect_factor or depth == 0:
                return False
            depth -= 1
        else:  # whitespace: the next factor multiplies (`N m`, `square meters`)
            expect_factor = True
        pos = m.end()
    return words > 0 and depth == 0 and not expect_factor


def unit_rest_ok(rest: str) -> bool:
    """What follows a number is nothing, a degree/percent sign, or (after it) a unit."""
    m = DEGREE_PCT_RE.match(rest)
    if m is not None:
        rest = rest[m.end():]
        if not rest.strip():
            return True
        return is_unit(rest)  # 30^\circ C, 5 % per year
    if not rest.strip():
        return True
    return is_unit(rest, attached=not rest[0].isspace())
