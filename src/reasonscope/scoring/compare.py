"""Per-answer-type comparison of an extracted answer with an item's canonical answer.

Each comparison returns a `Judgement`: whether the answer is right, and whether it could be read
as the item's answer type at all ("unparseable" is reported separately from "wrong"). The rules
are the table in docs/answer-types.md. Only `rational` and `expression` answers that the exact
number reader cannot settle go to math-verify (in worker processes), so most checks stay here.
"""

from __future__ import annotations

import ast
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from reasonscope.items import Item
from reasonscope.scoring.mathguard import math_input_ok, too_costly
from reasonscope.scoring.mathverify_pool import verify_equal
from reasonscope.scoring.normalize import (
    collapse_ws,
    latex_to_plain,
    max_brace_depth,
    normalize_string,
    split_top_level,
    strip_math_delimiters,
    unwrap_text_commands,
)
from reasonscope.scoring.numbers import ParsedNumber, parse_number
from reasonscope.taxonomy import AnswerType

log = logging.getLogger(__name__)

ParseStatus = Literal["ok", "no_answer", "unparseable"]

MAX_TEXT_CHARS = 10_000
MAX_LABEL_CHARS = 1_000
MAX_PY_DEPTH = 100


@dataclass(frozen=True)
class Judgement:
    correct: bool
    parse_status: ParseStatus


WRONG = Judgement(False, "ok")
RIGHT = Judgement(True, "ok")
UNPARSEABLE = Judgement(False, "unparseable")


def _bad_gold(item: Item, why: str) -> Judgement:
    log.warning("item %s: canonical answer %r %s; scoring as incorrect", item.id, item.answer, why)
    return WRONG


# --- numbers ---------------------------------------------------------------------------------

def compare_integer(item: Item, pred: str) -> Judgement:
    gold = parse_number(item.answer)
    if gold is None or gold.value.denominator != 1:
        return _bad_gold(item, "is not an integer")
    got = parse_number(pred)
    if got is None:
        return UNPARSEABLE
    return Judgement(got.value == gold.value, "ok")


def compare_number(item: Item, pred: str) -> Judgement:
    gold = parse_number(item.answer)
    if gold is None:
        return _bad_gold(item, "is not a number")
    got = parse_number(pred)
    if got is None:
        return UNPARSEABLE
    tol = Fraction(item.tolerance if item.tolerance is not None else 1e-9)
    return Judgement(abs(got.value - gold.value) <= tol * abs(gold.value), "ok")


def _from_math_verify(gold: str, pred: str) -> Judgement:
    verdict = verify_equal(gold, pred)
    if not verdict.gold_parsed:
        log.warning("math-verify cannot parse the canonical answer %r", gold)
    if verdict.outcome == "equal":
        return RIGHT
    if verdict.outcome == "pred_unparsed":
        return UNPARSEABLE
    if verdict.outcome in ("timeout", "error"):
        log.info("math-verify %s on %r vs %r: %s", verdict.outcome, pred[:80], gold, verdict.detail)
    return WRONG


def compare_rational(item: Item, pred: str) -> Judgement:
    """Exact: a rounded decimal is not the fraction (`0.5` is `1/2`, `0.33` is not `1/3`)."""
    if not math_input_ok(pred):
        return UNPARSEABLE
    gold = parse_number(item.answer, bare_units=False)
    got = parse_number(pred, bare_units=False)
    if gold is not None and got is not None:
        return Judgement(got.value == gold.value, "ok")
    if too_costly(pred):
        return WRONG
    return _from_math_verify(item.answer, pred)


_EXPR_NOISE_RE = re.compile(r"\s+|\\left(?![A-Za-z])|\\right(?![A-Za-z])|\\[,;:! ]|\\displaystyle")


def _expr_key(s: str) -> str:
    s = latex_to_plain(s).replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    return _EXPR_NOISE_RE.sub("", s)


def compare_expression(item: Item, pred: str) -> Judgement:
    if not math_input_ok(pred):
        return UNPARSEABLE
    if pred.strip() and _expr_key(pred) == _expr_key(item.answer):
        return RIGHT
    if too_costly(pred):
        return WRONG
    gold = parse_number(item.answer, bare_units=False)
    got = parse_number(pred, bare_units=False)
    if gold is not None and got is not None:
        if got.value == gold.value:
            return RIGHT
        if got.exact_form and gold.exact_form:
            return WRONG
    return _from_math_verify(item.answer, pred)


# --- labels ----------------------------------------------------------------------------------

_CHOICE_RE = re.compile(
    r"^(?:(?:option|choice|answer)\s*[:#]?\s*)?"
    r"(?:\(\s*([A-Za-z])\s*\)(?:\s.*)?|([A-Za-z])(?:[.):]\s*.*)?)$",
    re.I | re.S,
)


def compare_choice(item: Item, pred: str) -> Judgement:
    if len(pred) > MAX_LABEL_CHARS:
        return UNPARSEABLE
    text = collapse_ws(latex_to_plain(pred)).strip("*` ")
    m = _CHOICE_RE.match(text)
    if m is None:
        return UNPARSEABLE
    letter = m.group(1) or m.group(2)
    return Judgement(letter.upper() == item.answer.strip().upper(), "ok")


_LINE_RE = re.compile(
    r"^(?:(?:line|step|statement|row|item|entry)\s*(?:no\.?|number|#)?\s*)?(\d+)\s*[.:)]?$", re.I)
_NO_ERROR = frozenset({"none", "no error", "no errors", "no mistake", "no mistakes"})


def compare_line(item: Item, pred: str) -> Judgement:
    if len(pred) > MAX_LABEL_CHARS:
        return UNPARSEABLE
    text = collapse_ws(latex_to_plain(pred)).strip("*` .")
    if text.casefold() in _NO_ERROR:
        value = 0
    else:
        m = _LINE_RE.match(text)
        if m is None or len(m.group(1)) > 9:
            return UNPARSEABLE
        value = int(m.group(1))
    return Judgement(value == int(item.answer.strip()), "ok")


def compare_string(item: Item, pred: str) -> Judgement:
    if len(pred) > MAX_TEXT_CHARS:
        return UNPARSEABLE
    got = normalize_string(pred)
    if not got:
        return UNPARSEABLE
    accepted = {normalize_string(item.answer)}
    aliases = item.meta.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    accepted.update(normalize_string(str(a)) for a in aliases)
    return Judgement(got in accepted, "ok")


# --- collections -----------------------------------------------------------------------------

_OPEN_CLOSE = (("\\left[", "\\right]"), ("\\left(", "\\right)"), ("\\{", "\\}"),
               ("[", "]"), ("(", ")"), ("{", "}"))

ElementKey = tuple[str, Any]


def _strip_outer_brackets(s: str) -> str:
    s = s.strip()
    for left, right in _OPEN_CLOSE:
        if s.startswith(left) and s.endswith(right):
            inner = s[len(left):len(s) - len(right)]
            if _balanced(inner):
                return inner.strip()
    return s


def _balanced(s: str) -> bool:
    depth = 0
    for c in s:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _element_key(e: str) -> ElementKey | None:
    e = e.strip()
    if not e:
        return None
    num: ParsedNumber | None = parse_number(e, bare_units=False)
    if num is not None:
        return ("n", num.value)
    key = normalize_string(e)
    return ("s", key) if key else None


def parse_elements(text: str) -> list[ElementKey] | None:
    """Elements of a comma-separated answer (`[3, 1, 2]`, `\\{a, b\\}`, `3; 1; 2`)."""
    if len(text) > MAX_TEXT_CHARS:
        return None
    s = _strip_outer_brackets(unwrap_text_commands(strip_math_delimiters(text)))
    parts: Sequence[str]
    if "," in s:
        parts = split_top_level(s, ",")
    elif ";" in s:
        parts = split_top_level(s, ";")
    else:
        tokens = s.split()
        numeric = len(tokens) > 1 and all(parse_number(t, bare_units=False) for t in tokens)
        parts = tokens if numeric else [s]
    keys = [_element_key(p) for p in parts]
    if any(k is None for k in keys):
        return None
    return [k for k in keys if k is not None]


def _compare_elements(item: Item, pred: str, ordered: bool) -> Judgement:
    gold = parse_elements(item.answer)
    if gold is None:
        return _bad_gold(item, "is not a comma-separated list")
    got = parse_elements(pred)
    if got is None:
        return UNPARSEABLE
    if ordered:
        return Judgement(got == gold, "ok")
    return Judgement(set(got) == set(gold), "ok")


def compare_list(item: Item, pred: str) -> Judgement:
    return _compare_elements(item, pred, ordered=True)


def compare_set(item: Item, pred: str) -> Judgement:
    return _compare_elements(item, pred, ordered=False)


# --- Python literals -------------------------------------------------------------------------

def _literal(text: str) -> tuple[bool, Any]:
    s = text.strip()
    if s.startswith("```"):
        s = s.strip("`").removeprefix("python").strip()
    s = s.strip("`").strip()
    if len(s) > MAX_TEXT_CHARS or max_brace_depth(s) > MAX_PY_DEPTH:
        return False, None
    try:
        return True, ast.literal_eval(s)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    plain = latex_to_plain(s)  # \texttt{[1, 2]}, \{1, 2\}
    if plain != s:
        try:
            return True, ast.literal_eval(plain.strip().strip("`"))
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
    return False, None


def same_value(a: Any, b: Any) -> bool:
    """Equality that also requires equal types: `True` is not `1`, `2.0` is not `2`."""
    if type(a) is not type(b) or a != b:
        return False
    if isinstance(a, (list, tuple)):
        return all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        b_keys = {k: k for k in b}  # equal keys of different types (1, True) collide: compare them
        return all(same_value(k, b_keys[k]) and same_value(v, b[k]) for k, v in a.items())
    if isinstance(a, (set, frozenset)):
        b_elems = {x: x for x in b}
        return all(same_value(x, b_elems[x]) for x in a)
    return True


def compare_python(item: Item, pred: str) -> Judgement:
    ok_gold, gold = _literal(item.answer)
    if not ok_gold:
        return _bad_gold(item, "is not a Python literal")
    ok, got = _literal(pred)
    if not ok:
        return UNPARSEABLE
    try:
        return Judgement(same_value(got, gold), "ok")
    except RecursionError:
        return UNPARSEABLE


COMPARATORS: dict[AnswerType, Callable[[Item, str], Judgement]] = {
    AnswerType.INTEGER: compare_integer,
    AnswerType.NUMBER: compare_number,
    AnswerType.RATIONAL: compare_rational,
    AnswerType.EXPRESSION: compare_expression,
    AnswerType.STRING: compare_string,
    AnswerType.CHOICE: compare_choice,
    AnswerType.LINE: compare_line,
    AnswerType.LIST: compare_list,
    AnswerType.SET: compare_set,
    AnswerType.PYTHON: compare_python,
}
