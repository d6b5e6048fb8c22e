"""The pieces under the comparisons: TeX spelling, relations, units, closed forms."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest

from reasonscope.scoring.arith import read_closed_form
from reasonscope.scoring.texnorm import brace_arguments, canonical_tex, relation_rhs
from reasonscope.scoring.units import is_unit, unit_rest_ok


@pytest.mark.parametrize(("tex", "braced"), [
    (r"\frac12", r"\frac{1}{2}"), (r"\frac \pi4", r"\frac{\pi}{4}"),
    (r"\frac\pi 4", r"\frac{\pi}{4}"),
    (r"\frac1{2}", r"\frac{1}{2}"), (r"\frac{1}2", r"\frac{1}{2}"), (r"\sqrt2", r"\sqrt{2}"),
    (r"\sqrt[3]8", r"\sqrt[3]{8}"), (r"\dfrac 34", r"\frac{3}{4}"),
    (r"\tbinom42", r"\binom{4}{2}"), (r"\frac{\frac12}{3}", r"\frac{\frac{1}{2}}{3}"),
    (r"2\sqrt2+\frac13", r"2\sqrt{2}+\frac{1}{3}"),
    (r"\frac{270}7\text{ degrees}", r"\frac{270}{7}\text{ degrees}"),
    (r"\frac{1}{2}", r"\frac{1}{2}"), ("x^2", "x^2"), (r"\\frac12", r"\\frac12"),
    (r"\frac", r"\frac"), (r"\frac{1}", r"\frac{1}"),  # malformed: left for the reader to refuse
])
def test_tex_arguments_are_braced_as_tex_reads_them(tex: str, braced: str) -> None:
    assert brace_arguments(tex) == braced


@pytest.mark.parametrize(("tex", "canonical"), [
    ("{{42}}", "42"), (r"{4 \choose 2}", r"\binom{4}{2}"), (r"7 \over 12", r"\frac{7}{12}"),
    (r"x^{1 \over 2}", r"x^{\frac{1}{2}}"), (r"111,\! 111", "111,111"), (r"10{,}\!000", "10,000"),
    (r"\left( 3, \frac{\pi}{2} \right)", r"( 3, \frac{\pi}{2} )"),
    (r"\displaystyle\frac12", r"\frac{1}{2}"),
    ("{1}{2}", "{1}{2}"),  # two groups, not one redundant pair
])
def test_canonical_tex(tex: str, canonical: str) -> None:
    assert canonical_tex(tex) == canonical


@pytest.mark.parametrize(("text", "rhs"), [
    (r"\lambda = 7", "7"), ("m+n = 25", "25"), ("f(3) = 5", "5"), (r"x \approx 2.5", "2.5"),
    ("a = b = 4", "4"), ("x := 3", "3"), (r"x \in \{1, 3\}", r"\{1, 3\}"), ("7", "7"),
    ("x <= 5", "x <= 5"), (r"x \leq 5", r"x \leq 5"), ("x != 5", "x != 5"),
    ("(x, y) = (1, 2)", "(1, 2)"), ("f(a=1) = 2", "2"),
    (r"x = 1 \text{ or } x = 3", None), ("x = 1, y = 2", None), ("x = 1 and y = 2", None),
])
def test_relation_right_hand_side(text: str, rhs: str | None) -> None:
    assert relation_rhs(text) == rhs


@pytest.mark.parametrize("unit", [
    "m", "m/s", "m/s^2", "m s^{-2}", "kg·m/s^2", "J/(mol K)", "grams", "square meters",
    "meters per second", "light-years", "N-m", "dollars", "µm", r"\mu m", r"\Omega", "K", "eggs",
])
def test_units(unit: str) -> None:
    assert is_unit(unit)


@pytest.mark.parametrize("not_unit", [
    "x", "i", "n", "x-2", "or -3", "and 4", "plus 1", "x^2", "2", "m 2", "(m", "m)", "m/",
    r"\pi", "pi", "sin", "", "a b c" * 30,
])
def test_not_units(not_unit: str) -> None:
    assert not is_unit(not_unit)


@pytest.mark.parametrize(("rest", "ok"), [
    ("", True), ("^\\circ", True), ("°", True), ("%", True), ("^\\circ C", True), ("kg", True),
    ("x", False), ("t", False), ("d", False), ("i", False), ("apples", False), (" apples", True),
    (" x", False), (" i", False), (" m", True),
])
def test_what_may_follow_the_digits(rest: str, ok: bool) -> None:
    assert unit_rest_ok(rest) is ok


@pytest.mark.parametrize(("text", "value", "rest"), [
    (r"\binom{4}{2}", Fraction(6), ""), ("6!", Fraction(720), ""), ("5!!", Fraction(15), ""),
    ("{{42}}", Fraction(42), ""), (r"\frac{4 \cdot 3}{2}", Fraction(6), ""),
    (r"2^{10} - 1", Fraction(1023), ""), ("3x-2", Fraction(3), "x-2"),
    ("2(3+4)", Fraction(14), ""), (r"\sqrt{16}", Fraction(4), ""),
    (r"\sqrt[3]{27}", Fraction(3), ""),
    (r"\frac{4!}{2!2!}", Fraction(6), ""), ("1.5 grams", Fraction(3, 2), " grams"),
    (r"30^\circ", Fraction(30), r"^\circ"), (r"2\frac{1}{2}", Fraction(2), r"\frac{1}{2}"),
    (r"-\frac{7}{12}", Fraction(-7, 12), ""), (r"4^{1/2}", Fraction(2), ""),
])
def test_closed_forms(text: str, value: Fraction, rest: str) -> None:
    reading = read_closed_form(text)
    assert reading is not None and reading.value == value and text[reading.end:] == rest


def test_irrational_closed_forms_are_floats() -> None:
    cases = ((r"\sqrt{2}", 2 ** 0.5), (r"2\pi", 6.283185307179586), ("2^{0.5}", 2 ** 0.5))
    for text, approx in cases:
        reading = read_closed_form(text)
        assert reading is not None and isinstance(reading.value, float)
        assert abs(reading.value - approx) < 1e-12


@pytest.mark.parametrize("huge", [
    r"9^{9^{9}}", "451!", r"\binom{100000}{3}", r"10^{2000}", r"2^{2^{20}}", "(10^{600})^{2}",
    "1000!!!" , r"\frac{1}{0}", r"\sqrt{-4}", "(-8)^{1/2}", "(" * 200 + "1" + ")" * 200,
])
def test_huge_or_undefined_closed_forms_are_refused_at_once(huge: str) -> None:
    t0 = time.perf_counter()
    assert read_closed_form(huge) is None
    assert time.perf_counter() - t0 < 0.05
