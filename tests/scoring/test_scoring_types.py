"""Every answer type of docs/answer-types.md, through the public `score`."""

from __future__ import annotations

import pytest
from rs_scoring import boxed, make_item

from reasonscope.scoring import ScoreResult, score


def check(answer: str, answer_type: str, pred: str, **kw: object) -> ScoreResult:
    return score(make_item(answer, answer_type, **kw), boxed(pred))  # type: ignore[arg-type]


OK, WRONG, BAD = (True, "ok"), (False, "ok"), (False, "unparseable")


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("1234", "1234", OK),
        ("1234", "1,234", OK),
        ("1234", "1{,}234", OK),
        ("1234", r"1\,234", OK),
        ("1234", r"1234 \text{ apples}", OK),
        ("1234", r"\$1,234", OK),
        ("1000", "1.0e3", OK),
        ("1000", r"1 \times 10^{3}", OK),
        ("1024", "2^{10}", OK),
        ("-7", "−7", OK),
        ("-7", "x = -7", OK),
        ("5", "5.", OK),
        ("1234", "1235", WRONG),
        ("2", "2.5", WRONG),
        ("5", "five", BAD),
        ("5", "5 or 6", BAD),
        ("5", "1,2", BAD),
        ("5", r"10^{10^{10}}", BAD),  # rejected before anything computes it
        ("5", "1e999999", BAD),  # a million-digit integer is not built either
        ("5", r"2^{999999}", BAD),
    ],
)
def test_integer(gold: str, pred: str, expected: tuple[bool, str]) -> None:
    r = check(gold, "integer", pred)
    assert (r.correct, r.parse_status) == expected


@pytest.mark.parametrize(
    ("gold", "tol", "pred", "expected"),
    [
        ("12.5", None, "12.5", OK),
        ("12.5", None, "12.50", OK),
        ("12.5", None, r"12.5\%", OK),
        ("12.5", None, r"12.5 \mathrm{m/s}", OK),
        ("12.5", None, "12.5 m/s^2", OK),
        ("12.5", None, r"\frac{25}{2}", OK),
        ("12.5", None, "12.51", WRONG),
        ("12.5", 0.01, "12.6", OK),  # tolerance is relative: 1% of 12.5
        ("12.5", 0.001, "12.6", WRONG),
        ("6.02e23", 0.001, r"6.02 \times 10^{23}", OK),
        ("6.02e23", 0.001, "6.022e23", OK),
        ("6.02e23", 0.001, "6.1e23", WRONG),
        ("-0.0031", None, "-3.1e-3", OK),
        ("0", None, "0.0", OK),
        ("3.14", 0.01, r"\approx 3.14159", OK),
        ("3.14", None, "pi", BAD),
    ],
)
def test_number(gold: str, tol: float | None, pred: str, expected: tuple[bool, str]) -> None:
    r = check(gold, "number", pred, tolerance=tol)
    assert (r.correct, r.parse_status) == expected


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("-7/12", r"-\frac{7}{12}", OK),
        ("-7/12", r"\frac{-7}{12}", OK),
        ("-7/12", r"-\dfrac{7}{12}", OK),
        ("-7/12", "-14/24", OK),
        ("1/2", "0.5", OK),
        ("1/3", "0.333", WRONG),  # exact type: a rounded decimal is not the fraction
        ("1/3", "0.3333333", WRONG),
        ("3", "3", OK),
        ("3", r"\frac{6}{2}", OK),
        ("7/12", r"\frac{7}{13}", WRONG),
        ("7/12", r"7 \over 12", OK),  # not read by the exact parser: math-verify decides
    ],
)
def test_rational(gold: str, pred: str, expected: tuple[bool, str]) -> None:
    r = check(gold, "rational", pred)
    assert (r.correct, r.parse_status) == expected


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        (r"2^{10} \cdot 3", "3072", OK),
        ("x^2+1", "1 + x^2", OK),
        ("x^2+2x+1", "(x+1)^2", OK),
        (r"\frac{14}{3}", r"\dfrac{14}{3}", OK),
        (r"\frac{14}{3}", "4.67", WRONG),
        (r"3\sqrt{13}", r"\sqrt{117}", OK),
        (r"\left( 3, \frac{\pi}{2} \right)", r"(3, \pi/2)", OK),
        (r"\text{Evelyn}", "Evelyn", OK),
        ("p - q", "p-q", OK),
        ("p - q", "q - p", WRONG),
        ("5", "6", WRONG),
        ("90^\\circ", "90", OK),
        ("5", r"\frac{}{}", BAD),
        ("5", "?", BAD),
    ],
)
def test_expression(gold: str, pred: str, expected: tuple[bool, str]) -> None:
    r = check(gold, "expression", pred)
    assert (r.correct, r.parse_status) == expected


@pytest.mark.parametrize(
    ("gold", "pred", "aliases", "correct"),
    [
        ("Paris", "paris", None, True),
        ("Paris", r"\text{Paris}", None, True),
        ("Paris", "`Paris`.", None, True),
        ("Paris", "**Paris**", None, True),
        ("New  York", "new york", None, True),
        ("Hydrogen", "H", ["H", "hydrogen atom"], True),
        ("Hydrogen", "Helium", ["H"], False),
        ("ValueError", r"\texttt{ValueError}", None, True),
        ("__init__", "__init__", None, True),
        ("__init__", "init", None, False),
        ("LATIN SMALL LETTER A", "latin small letter a", None, True),
    ],
)
def test_string(gold: str, pred: str, aliases: list[str] | None, correct: bool) -> None:
    meta = {"aliases": aliases} if aliases else None
    r = check(gold, "string", pred, meta=meta)
    assert r.correct is correct and r.parse_status == "ok"


@pytest.mark.parametrize(
    ("pred", "expected"),
    [("C", OK), ("(C)", OK), ("C.", OK), ("Option C", OK), (r"\text{C}", OK),
     ("C) 42 apples", OK), ("c", OK), ("B", WRONG), ("A, C", BAD), ("Cat", BAD), ("", BAD)],
)
def test_choice(pred: str, expected: tuple[bool, str]) -> None:
    r = check("C", "choice", pred)
    assert (r.correct, r.parse_status) == expected


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [("3", "3", OK), ("3", "Line 3", OK), ("3", "Step 3", OK), ("3", "line 3", OK),
     ("3", r"\text{Step } 3", OK), ("3", "step #3", OK), ("3", "4", WRONG),
     ("0", "0", OK), ("0", "None", OK), ("3", "the third", BAD)],
)
def test_line(gold: str, pred: str, expected: tuple[bool, str]) -> None:
    r = check(gold, "line", pred)
    assert (r.correct, r.parse_status) == expected


@pytest.mark.parametrize(
    ("answer_type", "gold", "pred", "expected"),
    [
        ("list", "3, 1, 2", "3, 1, 2", OK),
        ("list", "3, 1, 2", "[3, 1, 2]", OK),
        ("list", "3, 1, 2", "(3,1,2)", OK),
        ("list", "3, 1, 2", "3; 1; 2", OK),
        ("list", "3, 1, 2", "3 1 2", OK),
        ("list", "3, 1, 2", "1, 2, 3", WRONG),
        ("list", "3, 1, 2", "3, 1", WRONG),
        ("list", "0.5, 2", r"\frac{1}{2}, 2.0", OK),  # numbers compare as numbers
        ("list", "a, b", r"\text{a}, \text{b}", OK),
        ("list", "3, 1, 2", "3,,2", BAD),
        ("set", "a, b, c", "c, a, b", OK),
        ("set", "a, b, c", r"\{c, b, a\}", OK),
        ("set", "1, 2", "2, 1, 1", WRONG),  # a listing with repeats is not the set
        ("set", "1, 2", "1, 2, 3", WRONG),
        ("set", "(1, 2), (3, 4)", "(3, 4), (1, 2)", OK),
    ],
)
def test_list_and_set(answer_type: str, gold: str, pred: str,
                      expected: tuple[bool, str]) -> None:
    r = check(gold, answer_type, pred)
    assert (r.correct, r.parse_status) == expected


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("[1, 'a']", '[1, "a"]', OK),
        ("[1, 'a']", "[1,'a']", OK),
        ("(2, 3)", "(2, 3)", OK),
        ("(2, 3)", "[2, 3]", WRONG),  # a list is not a tuple
        ("True", "True", OK),
        ("True", "1", WRONG),  # by value and type
        ("2", "2.0", WRONG),
        ("{'a': 1}", "{'a': 1}", OK),
        ("{1, 2}", r"\{2, 1\}", OK),
        ("'abc'", "`'abc'`", OK),
        ("None", "None", OK),
        ("[1, 2]", "[1, 2", BAD),
        ("[1, 2]", "__import__('os')", BAD),  # never evaluated
    ],
)
def test_python(gold: str, pred: str, expected: tuple[bool, str]) -> None:
    r = check(gold, "python", pred)
    assert (r.correct, r.parse_status) == expected


def test_no_answer_and_fallback_pattern() -> None:
    item = make_item("42", "integer")
    r = score(item, "I think it is 42.")
    assert (r.correct, r.extracted, r.parse_status) == (False, None, "no_answer")
    allowed = make_item("42", "integer", meta={"answer_pattern": r"answer is (\S+?)\.?$"})
    r = score(allowed, "So the answer is 42.")
    assert (r.correct, r.extracted, r.parse_status) == (True, "42", "ok")
    assert score(allowed, r"So the answer is 41. \boxed{42}").correct  # the box comes first
    assert score(allowed, "<think>the answer is 42.").parse_status == "no_answer"


def test_empty_box_is_unparseable_for_every_type() -> None:
    for answer_type, gold in [("integer", "1"), ("number", "1.5"), ("rational", "1/2"),
                              ("expression", "x"), ("string", "a"), ("choice", "A"),
                              ("line", "1"), ("list", "1, 2"), ("set", "1"), ("python", "1")]:
        r = score(make_item(gold, answer_type), r"\boxed{}")
        assert (r.correct, r.extracted, r.parse_status) == (False, "", "unparseable"), answer_type


def test_extracted_is_recorded() -> None:
    r = check("1234", "integer", "1{,}234")
    assert r.extracted == "1{,}234"
