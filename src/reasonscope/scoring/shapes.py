"""Settling `expression` comparisons without math-verify when the answer is already certain.

math-verify costs milliseconds per pair (tens for symbolic answers); most mismatched pairs can
be told apart for microseconds: two numbers far apart, or a number against a tuple, an interval,
a matrix or an expression in a variable. Only "not equal" is decided here, and only where
math-verify (with its unit stripping off) could not answer otherwise; anything close or unusual
(percent and degree signs, relations, `e` and `i`) is still left to it.
"""

from __future__ import annotations

import re

from reasonscope.scoring.numbers import ParsedNumber
from reasonscope.scoring.texnorm import balanced as _balanced
from reasonscope.scoring.texnorm import canonical_tex, relation_parts, top_level_spans

FAR_RELATIVE = 1e-6
_UNSURE_RE = re.compile(r"%|\\circ|°|percent|\\infty")
_TEXT_GROUP_RE = re.compile(
    r"\\(?:text|textrm|textbf|textit|mathrm|mathbf|mathit|mbox|operatorname)\s*\{[^{}]*\}")
_COMMAND_RE = re.compile(r"\\[A-Za-z]+")
_VARIABLE_RE = re.compile(r"[A-DF-HJ-Za-df-hj-z]")  # any latin letter but e and i
_LISTING_RE = re.compile(r"\\cup(?![A-Za-z])|\\cap(?![A-Za-z])|\\begin\s*\{")


def far_apart(gold: ParsedNumber, got: ParsedNumber, gold_text: str, pred_text: str) -> bool:
    """Two numbers that no rounding or notation can make equal."""
    if _UNSURE_RE.search(gold_text) or _UNSURE_RE.search(pred_text):
        return False
    a, b = float(gold.value), float(got.value)
    if a != a or b != b or abs(a) == float("inf") or abs(b) == float("inf"):
        return False
    return abs(a - b) > FAR_RELATIVE * max(1.0, abs(a), abs(b))


def _inside_brackets(s: str) -> str:
    """`s` without one pair of outer brackets (intervals may mix them: `(5, 9]`)."""
    s = s.strip()
    for left, rights in (("\\{", ("\\}",)), ("(", (")", "]")), ("[", ("]", ")"))):
        for right in rights:
            if s.startswith(left) and s.endswith(right) and len(s) > len(left) + len(right):
                inner = s[len(left):-len(right)]
                if _balanced(inner):
                    return inner
    return s


def _has_top_level_comma(s: str) -> bool:
    top = top_level_spans(s)
    return any(c == "," and top[k] for k, c in enumerate(s))


def not_a_number(text: str) -> bool:
    """Is `text` certainly not a single number: a listing, interval, set operation or matrix,
    or an expression in a free variable (`p - q`, `x^2 + 1`)?"""
    s = canonical_tex(text)
    if len(relation_parts(s)) > 1 or _UNSURE_RE.search(s):
        return False  # `x = 5` may state a number; `\infty` is math-verify's to judge
    if _has_top_level_comma(_inside_brackets(s)) or _LISTING_RE.search(s):
        return True  # a listing, a tuple `(3, 4)`, an interval `(5, 9]`, a set `\{1, 2\}`
    bare = _COMMAND_RE.sub(" ", _TEXT_GROUP_RE.sub(" ", s))
    return bool(_VARIABLE_RE.search(bare))
