"""The elements of a `list` or `set` answer, however the listing is written.

`3, 1, 2`, `[3, 1, 2]`, `3; 1; 2`, `3 1 2`, `1, 2, and 3`, `x = 1 \\text{ or } x = 3`,
`\\lambda = 1, 3`, `\\pm 2`, `1 \\pm \\sqrt{5}`, and (where the expected answer has several
elements) a factor list `2^2 \\times 3` (= 2, 2, 3). Each element becomes a key: its exact value
when it reads as a number (`0.5` and `\\frac{1}{2}` are one key), else its normalized text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from reasonscope.scoring.normalize import normalize_string, strip_math_delimiters
from reasonscope.scoring.numbers import parse_number
from reasonscope.scoring.texnorm import balanced as _balanced
from reasonscope.scoring.texnorm import (
    canonical_tex,
    has_top_level_separator,
    relation_parts,
    relation_rhs,
    top_level_spans,
)

MAX_TEXT_CHARS = 10_000
MAX_ELEMENTS = 1000
MAX_FACTOR_POWER = 64

ElementKey = tuple[str, Any]

_OPEN_CLOSE = (("\\left[", "\\right]"), ("\\left(", "\\right)"), ("\\{", "\\}"),
               ("[", "]"), ("(", ")"), ("{", "}"))
_TEXT_CMD_RE = re.compile(
    r"\\(?:text|textrm|mathrm|mbox|textnormal|textit|textbf|mathit|mathbf|operatorname|texttt"
    r"|textsf|mathsf|mathtt|emph)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
# Between two elements: a comma or semicolon (maybe followed by and/or), and/or, \quad.
_SEPARATOR_RE = re.compile(
    r"\s*[,;]\s*(?:(?:and|or)(?![A-Za-z])\s*)?"
    r"|\s*(?<![A-Za-z\\])(?:and|or)(?![A-Za-z])\s*"
    r"|\s*\\q?quad(?![A-Za-z])\s*|\s*\\&\s*",
    re.I)
_FACTOR_SEP_RE = re.compile(r"\\times(?![A-Za-z])|\\cdot(?![A-Za-z])|×|·|(?<!\*)\*(?!\*)")
_POWER_RE = re.compile(r"^\s*(\d{1,12})\s*\^\s*(?:\{\s*(\d{1,2})\s*\}|(\d{1,2}))\s*$")
_PM_RE = re.compile(r"\\pm(?![A-Za-z])|±|\\mp(?![A-Za-z])|∓")
_SYMBOL_SPACE_RE = re.compile(r"\s*([^\w\s])\s*")


def _strip_outer_brackets(s: str) -> str:
    s = s.strip()
    for left, right in _OPEN_CLOSE:
        if s.startswith(left) and s.endswith(right) and len(s) >= len(left) + len(right):
            inner = s[len(left):len(s) - len(right)]
            if _balanced(inner):
                return inner.strip()
    return s


def _split_listing(s: str) -> list[str]:
    """Split at top-level separators; an empty piece (`3,,2`) stays, for the caller to refuse."""
    top: list[bool] | None = None
    parts: list[str] = []
    pos = 0
    for m in _SEPARATOR_RE.finditer(s):
        if m.end() == m.start():
            continue
        if top is None:
            top = top_level_spans(s)
        if top[m.start()]:
            parts.append(s[pos:m.start()])
            pos = m.end()
    parts.append(s[pos:])
    return parts


def _factor_list(s: str) -> list[str] | None:
    """`2^2 \\times 3` -> [2, 2, 3]; None if `s` is not a product of factors."""
    top = top_level_spans(s)
    pieces: list[str] = []
    pos = 0
    for m in _FACTOR_SEP_RE.finditer(s):
        if top[m.start()]:
            pieces.append(s[pos:m.start()])
            pos = m.end()
    pieces.append(s[pos:])
    if len(pieces) == 1 and _POWER_RE.match(s) is None:
        return None
    out: list[str] = []
    for piece in pieces:
        p = _POWER_RE.match(piece)
        if p is not None:
            times = int(p.group(2) or p.group(3))
            if not 1 <= times <= MAX_FACTOR_POWER:
                return None
            out.extend([p.group(1)] * times)
        else:
            out.append(piece)
    return out


def _expand_pm(e: str) -> list[str]:
    """`1 \\pm \\sqrt{5}` -> [`1 + \\sqrt{5}`, `1 - \\sqrt{5}`] (`\\mp` takes the other sign)."""
    if _PM_RE.search(e) is None:
        return [e]
    out: list[str] = []
    for plus in (True, False):
        def sign(m: re.Match[str], plus: bool = plus) -> str:
            upper = m.group() in ("\\pm", "±")
            return "+" if upper == plus else "-"
        variant = _PM_RE.sub(sign, e).strip()
        if variant.startswith("+"):
            variant = variant[1:].strip()
        if variant not in out:
            out.append(variant)
    return out


def _pieces(text: str, expected: int | None) -> list[str] | None:
    s = strip_math_delimiters(text)
    s = canonical_tex(s)
    for _ in range(3):
        unwrapped = _TEXT_CMD_RE.sub(lambda m: " " + m.group(1) + " ", s)
        if unwrapped == s:
            break
        s = unwrapped
    s = _strip_outer_brackets(s.strip())
    sides = relation_parts(s)  # `\lambda = 1, 3`: one name for the whole listing
    if len(sides) == 2 and not has_top_level_separator(sides[0]):
        s = _strip_outer_brackets(sides[1])
    parts = _split_listing(s)
    if len(parts) == 1 and expected is not None and expected > 1:
        factors = _factor_list(s)
        if factors is not None:
            return factors
    if len(parts) == 1:
        tokens = s.split()
        if len(tokens) > 1 and all(parse_number(t, bare_units=False) for t in tokens):
            return tokens
    return parts


def element_key(e: str, *, case_sensitive: bool = False) -> ElementKey | None:
    e = e.strip()
    if not e:
        return None
    num = parse_number(e, bare_units=False)
    if num is not None:
        if isinstance(num.value, Fraction):
            return ("n", num.value)
        return ("f", float(f"{num.value:.12g}"))  # irrational: equal to 12 significant digits
    key = normalize_string(canonical_tex(e), case_sensitive=case_sensitive)
    key = _SYMBOL_SPACE_RE.sub(r"\1", key)  # `1 + \sqrt{5}` is `1+\sqrt{5}`; `New York` stays
    return ("s", key) if key else None


def parse_elements(text: str, *, expected: int | None = None,
                   case_sensitive: bool = False) -> list[ElementKey] | None:
    """Keys of the elements of a listing, in order; None when it cannot be read as one.

    `expected` is the number of elements the canonical answer has: with more than one, a product
    (`2 \\times 3`) is read as its list of factors.
    """
    if len(text) > MAX_TEXT_CHARS:
        return None
    pieces = _pieces(text, expected)
    if pieces is None or len(pieces) > MAX_ELEMENTS:
        return None
    keys: list[ElementKey] = []
    for piece in pieces:
        value = relation_rhs(piece.strip())  # `x = 1, x = 3`
        if value is None or not value.strip():
            return None
        signed: list[ElementKey] = []  # `\pm 0` is one element, not a repeat
        for variant in _expand_pm(value):
            key = element_key(variant, case_sensitive=case_sensitive)
            if key is None:
                return None
            if key not in signed:
                signed.append(key)
        keys.extend(signed)
    return keys


def same_elements(got: Sequence[ElementKey], gold: Sequence[ElementKey], ordered: bool) -> bool:
    """Lists: equal in order. Sets: the same distinct elements, and a listing with repeats is not
    the set (`3, 3, 1` is not `{1, 3}`) unless the canonical answer repeats them the same way."""
    if ordered:
        return list(got) == list(gold)
    if len(set(got)) != len(got) and Counter(got) != Counter(gold):
        return False
    return set(got) == set(gold)
