"""Per-answer-type comparison of an extracted answer with an item's canonical answer.

Each comparison returns a `Judgement`: whether the answer is right, and whether it could be read
as the item's answer type at all ("unparseable" is reported separately from "wrong": `ok` with
`correct=False` means a value was read and it differs). The rules are the table in
docs/answer-types.md. Only `rational` and `expression` answers that the exact readers cannot
settle go to math-verify (in worker processes), so most checks stay here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from reasonscope.items import Item
from reasonscope.scoring.elements import parse_elements, same_elements
from reasonscope.scoring.itemmeta import case_sensitive
from reasonscope.scoring.mathguard import math_input_ok, too_costly
from reasonscope.scoring.mathverify_pool import verify_equal
from reasonscope.scoring.normalize import collapse_ws, latex_to_plain, normalize_string
from reasonscope.scoring.numbers import ParsedNumber, parse_number, strip_text_units
from reasonscope.scoring.pyliteral import read_literal, same_value
from reasonscope.scoring.shapes import far_apart, not_a_number
from reasonscope.scoring.texnorm import canonical_tex, relation_parts, relation_rhs
from reasonscope.taxonomy import AnswerType

log = logging.getLogger(__name__)

ParseStatus = Literal["ok", "no_answer", "unparseable"]

MAX_TEXT_CHARS = 10_000
MAX_LABEL_CHARS = 1_000


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
    if gold is None or not isinstance(gold.value, Fraction) or gold.value.denominator != 1:
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
    if isinstance(got.value, float) or isinstance(gold.value, float):
        diff, scale = abs(float(got.value) - float(gold.value)), abs(float(gold.value))
        return Judgement(diff <= float(tol) * scale, "ok")
    return Judgement(abs(got.value - gold.value) <= tol * abs(gold.value), "ok")


def _from_math_verify(gold: str, pred: str, *, numeric: bool = False) -> Judgement:
    """math-verify's verdict; with `numeric`, an answer that is not a number (`9x`, `1 or 2`)
    is unparseable rather than wrong."""
    verdict = verify_equal(gold, pred)
    if not verdict.gold_parsed:
        log.warning("math-verify cannot parse the canonical answer %r", gold)
    if verdict.outcome == "equal":
        return RIGHT
    if verdict.outcome == "pred_unparsed" or (numeric and not verdict.pred_numeric):
        return UNPARSEABLE
    if verdict.outcome in ("timeout", "error"):
        log.info("math-verify %s on %r vs %r: %s", verdict.outcome, pred[:80], gold, verdict.detail)
    return WRONG


def _math_verify_forms(gold: str, pred: str) -> tuple[str, str]:
    """What math-verify is given: one TeX spelling, text units dropped (its own unit stripping
    is off: it deletes letters after digits, so `4t` would equal 4)."""
    return strip_text_units(canonical_tex(gold)), strip_text_units(canonical_tex(pred))


_END_PUNCT_RE = re.compile(r"(?<!\\)[.,;:]+\s*$")


def _without_end_punctuation(pred: str) -> str:
    """`x - 1.` ends a sentence: the full stop is not part of the mathematics (`\\;` stays)."""
    return _END_PUNCT_RE.sub("", pred.rstrip()) or pred


def compare_rational(item: Item, pred: str) -> Judgement:
    """Exact: a rounded decimal is not the fraction (`0.5` is `1/2`, `0.33` is not `1/3`)."""
    if not math_input_ok(pred):
        return UNPARSEABLE
    pred = _without_end_punctuation(pred)
    gold = parse_number(item.answer, bare_units=False)
    got = parse_number(pred)
    if gold is not None and got is not None:
        return Judgement(got.value == gold.value, "ok")
    if too_costly(pred):
        return WRONG
    return _from_math_verify(*_math_verify_forms(item.answer, pred), numeric=True)


_EXPR_NOISE_RE = re.compile(r"\s+|\\[,;:! ]|\\displaystyle")


def _expr_key(s: str) -> str:
    return _EXPR_NOISE_RE.sub("", latex_to_plain(canonical_tex(s)))


def _stated_value(gold: str, pred: str) -> str:
    """The prediction's right-hand side when the gold is not itself a relation (`\\lambda = 7`)."""
    if len(relation_parts(gold)) > 1:
        return pred
    rhs = relation_rhs(canonical_tex(pred))
    return rhs if rhs else pred


def compare_expression(item: Item, pred: str) -> Judgement:
    if not math_input_ok(pred):
        return UNPARSEABLE
    pred = _without_end_punctuation(pred)
    if pred.strip() and _expr_key(pred) == _expr_key(item.answer):
        return RIGHT
    if too_costly(pred):
        return WRONG
    value = _stated_value(item.answer, pred)
    if value is not pred and _expr_key(value) == _expr_key(item.answer):
        return RIGHT
    gold: ParsedNumber | None = parse_number(item.answer, bare_units=False)
    # `10 inches` for a numeric gold; `2m` stays a product for math-verify to judge.
    got = parse_number(value, bare_units=gold is not None, attached_units=False)
    if gold is not None and got is not None:
        if got.value == gold.value:
            return RIGHT
        if (got.exact_form and gold.exact_form) or far_apart(gold, got, item.answer, value):
            return WRONG
    elif (gold is not None and not_a_number(value)) or (
            got is not None and not_a_number(item.answer)):
        return WRONG  # a number against a tuple, an interval or an expression in x
    return _from_math_verify(*_math_verify_forms(item.answer, value))


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
    exact_case = case_sensitive(item)
    got = normalize_string(pred, case_sensitive=exact_case)
    if not got:
        return UNPARSEABLE
    accepted = {normalize_string(item.answer, case_sensitive=exact_case)}
    aliases = item.meta.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    accepted.update(normalize_string(str(a), case_sensitive=exact_case) for a in aliases)
    return Judgement(got in accepted, "ok")


# --- collections -----------------------------------------------------------------------------

def _compare_elements(item: Item, pred: str, ordered: bool) -> Judgement:
    exact_case = case_sensitive(item)
    gold = parse_elements(item.answer, case_sensitive=exact_case)
    if gold is None:
        return _bad_gold(item, "is not a comma-separated list")
    got = parse_elements(pred, expected=len(gold), case_sensitive=exact_case)
    if got is None:
        return UNPARSEABLE
    return Judgement(same_elements(got, gold, ordered), "ok")


def compare_list(item: Item, pred: str) -> Judgement:
    return _compare_elements(item, pred, ordered=True)


def compare_set(item: Item, pred: str) -> Judgement:
    return _compare_elements(item, pred, ordered=False)


# --- Python literals -------------------------------------------------------------------------

def compare_python(item: Item, pred: str) -> Judgement:
    ok_gold, gold = read_literal(item.answer)
    if not ok_gold:
        return _bad_gold(item, "is not a Python literal")
    ok, got = read_literal(pred)
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
