"""Known classes of mis-scoring, one test per class, both directions.

`ok` + wrong must mean "a value was read and it differs"; a form the scorer cannot read as the
item's type is `unparseable`. Each class has several spellings, so the tests pin the rule, not
one example.
"""

from __future__ import annotations

import pytest
from rs_scoring import boxed, make_item

from reasonscope.scoring import score
from reasonscope.scoring.itemmeta import ItemMetaError

OK, WRONG, BAD = (True, "ok"), (False, "ok"), (False, "unparseable")


def verdict(answer_type: str, gold: str, pred: str, **kw: object) -> tuple[bool, str]:
    r = score(make_item(gold, answer_type, **kw), boxed(pred))  # type: ignore[arg-type]
    return r.correct, r.parse_status


def cases(*rows: tuple[str, str, str, tuple[bool, str]]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("answer_type", "gold", "pred", "expected"), rows,
                                   ids=[f"{t}:{g}|{p}" for t, g, p, _ in rows])


@cases(
    ("integer", "6", "6!", WRONG), ("integer", "720", "6!", OK), ("integer", "5", "5!", WRONG),
    ("integer", "120", "5!", OK), ("integer", "6", "(3)!", OK), ("integer", "3", "3!!", OK),
    ("integer", "15", "5!!", OK), ("integer", "6", "6!.", WRONG), ("number", "24", "4!", OK),
    ("integer", "24", "4 !", OK), ("integer", "5", "5.", OK),  # a full stop is punctuation
)
def test_factorial_is_not_punctuation(answer_type: str, gold: str, pred: str,
                                      expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("integer", "5", r"5 \text{ or } -3", BAD), ("integer", "5", "5 or 6", BAD),
    ("integer", "5", r"5 \text{ and } 7", BAD), ("integer", "3", "3 x-2", BAD),
    ("integer", "3", "3x-2", BAD), ("integer", "5", "5 + x", BAD),
    ("integer", "5", r"5 \pm 1", BAD),
    ("integer", "5", r"5 \cdot x", BAD), ("integer", "5", "5, 6", BAD),
    ("integer", "5", r"x = 5 \text{ or } x = 7", BAD), ("number", "2.5", "2.5 - y", BAD),
    ("rational", "1/2", r"\frac{1}{2} \text{ or } 2", BAD),
    ("integer", "1234", r"1234 \text{ apples}", OK), ("integer", "18", "18 eggs", OK),
    ("number", "12.5", "12.5 m/s^2", OK), ("number", "12.5", r"12.5 \mathrm{kg\,m^{-3}}", OK),
    ("number", "3", r"3 \text{ J/(mol K)}", OK), ("integer", "30", r"30^\circ C", OK),
)
def test_a_tail_of_mathematics_is_not_a_unit(answer_type: str, gold: str, pred: str,
                                             expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("integer", "3", "3i", BAD), ("integer", "3", "3 i", BAD), ("integer", "2", "2x", BAD),
    ("integer", "5", "5n", BAD), ("integer", "7", "7k", BAD), ("integer", "4", "4e", BAD),
    ("integer", "4", "4t", BAD), ("integer", "5", "5d", BAD), ("integer", "10", "10a", BAD),
    ("number", "2.5", "2.5 y", BAD), ("rational", "9", "9x", BAD),
    ("integer", "5", "5 A", OK), ("integer", "5", "5kg", OK), ("number", "9.8", "9.8 m", OK),
    ("integer", "60", "60mph", OK),
)
def test_letters_are_not_units_unless_they_are_unit_symbols(
        answer_type: str, gold: str, pred: str, expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("expression", "4", "4t", WRONG), ("expression", "3", "1+2m", WRONG),
    ("expression", "5", "5d", WRONG), ("expression", "7", "7gm", WRONG),
    ("expression", "6 + 9c", "9c+6", OK), ("expression", "6 + 9c", "6+9c", OK),
    ("expression", "4t", "4t", OK), ("expression", "2m + 1", "1 + 2m", OK),
    ("expression", "3", "3i", WRONG), ("expression", "10", r"10\text{ inches}", OK),
    ("expression", r"864 \mbox{ inches}^2", "864", OK), ("expression", "10", "10 inches", OK),
)
def test_math_verify_keeps_letters_after_digits(answer_type: str, gold: str, pred: str,
                                                expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@pytest.mark.parametrize(("gold", "pred", "case_sensitive", "correct"), [
    ("m", "M", True, False), ("m", "m", True, True), ("m", r"\text{m}", True, True),
    ("mA", "MA", True, False), ("Pa", "pa", True, False), ("Pa", "Pa.", True, True),
    ("m", "M", False, True), ("Paris", "paris", False, True),
])
def test_case_sensitive_strings(gold: str, pred: str, case_sensitive: bool, correct: bool) -> None:
    meta = {"case_sensitive": case_sensitive}
    assert verdict("string", gold, pred, meta=meta) == (correct, "ok")


def test_case_sensitive_aliases_and_elements() -> None:
    meta = {"case_sensitive": True, "aliases": ["metre"]}
    assert verdict("string", "m", "metre", meta=meta) == OK
    assert verdict("string", "m", "Metre", meta=meta) == WRONG
    assert verdict("list", "m, s", "m, S", meta={"case_sensitive": True}) == WRONG
    assert verdict("list", "m, s", "m, S") == OK


@pytest.mark.parametrize("bad", ["yes", 1, "true", None, [True]])
def test_case_sensitive_must_be_a_boolean(bad: object) -> None:
    """Checked where items are scored too (an item built without validation, or edited)."""
    item = make_item("m", "string", meta={"case_sensitive": True})
    item.meta["case_sensitive"] = bad
    with pytest.raises(ItemMetaError, match=rf"item {item.id}: meta\.case_sensitive"):
        score(item, boxed("m"))


@cases(
    ("set", "1, 3", "3, 3, 1", WRONG), ("set", "1", "1, 1", WRONG),
    ("set", "1, 3", r"\{1, 3, 3\}", WRONG), ("set", "a, b", "a, a, b", WRONG),
    ("set", "1, 3", "1, 1.0, 3", WRONG), ("set", "1, 3", r"1, \frac{2}{2}, 3", WRONG),
    ("set", "1, 3", "3, 1", OK), ("set", "-2, 2", r"\pm 2", OK),
    ("set", "0", r"\pm 0", OK),  # one element written with a sign choice, not a repeat
)
def test_sets_are_sets_of_distinct_elements(answer_type: str, gold: str, pred: str,
                                            expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("integer", "7", r"\lambda = 7", OK), ("integer", "7", r"\lambda_{\max} = 7", OK),
    ("integer", "25", "m+n = 25", OK), ("integer", "5", "f(3) = 5", OK),
    ("integer", "30", r"\angle ABC = 30^\circ", OK), ("number", "30", r"\angle ABC = 30^\circ", OK),
    ("integer", "7", "a_5 = 7", OK), ("rational", "1/2", r"P(A) = \frac12", OK),
    ("integer", "5", "x_1 + x_2 = 5", OK), ("integer", "25", r"\text{Area} = 25", OK),
    ("integer", "4", "AB = 4", OK), ("integer", "5", "|z| = 5", OK),
    ("integer", "5", r"\overline{AB} = 5", OK), ("integer", "6", r"\gcd(a,b) = 6", OK),
    ("number", "2.5", r"x \approx 2.5", OK), ("integer", "3", "x := 3", OK),
    ("integer", "7", r"\lambda = 8", WRONG), ("integer", "5", "f(3) = 6", WRONG),
    ("expression", "7", r"\lambda_{\max} = 7", OK), ("expression", "25", "m+n = 25", OK),
    ("expression", "30^\\circ", r"\angle ABC = 30^\circ", OK),
    ("expression", r"\frac{1}{2}", r"P = \frac12", OK), ("expression", "5", "f(3) = 6", WRONG),
)
def test_named_left_hand_sides(answer_type: str, gold: str, pred: str,
                               expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("set", "1, 3", "1 and 3", OK), ("set", "1, 3", r"1 \text{ and } 3", OK),
    ("set", "1, 3", r"1 \text{and} 3", OK), ("set", "1, 3, 5", "1, 3, and 5", OK),
    ("set", "1, 3, 5", "1, 3 and 5", OK), ("set", "1, 3", "1 or 3", OK),
    ("set", "1, 3", r"x = 1 \text{ or } x = 3", OK), ("set", "1, 3", "x=1, x=3", OK),
    ("set", "1, 3", "1; 3", OK), ("list", "1, 3", "1 and 3", OK),
    ("set", "1, 3", r"x = 1 \text{ or } x = 4", WRONG), ("set", "1, 3", "1 and 4", WRONG),
    ("set", "1, 3", "1 and", BAD),
)
def test_listings_joined_by_and_or(answer_type: str, gold: str, pred: str,
                                   expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("set", "-2, 2", r"\pm 2", OK), ("set", "-2, 2", r"\pm2", OK), ("set", "-2, 2", "± 2", OK),
    ("set", "-3, 3", r"x = \pm 3", OK), ("set", "-2, -1, 1, 2", r"\pm 1, \pm 2", OK),
    ("set", "1, 3", r"2 \pm 1", OK), ("set", "-2, 2", r"\{\pm 2\}", OK),
    ("set", r"1 + \sqrt{2}, 1 - \sqrt{2}", r"1 \pm \sqrt{2}", OK),
    ("set", r"1 + \sqrt{2}, 1 - \sqrt{2}", r"1 \pm \sqrt2", OK),
    ("set", r"1 + \sqrt{2}, 1 - \sqrt{2}", r"1 \pm \sqrt{3}", WRONG),
    ("set", "-2, 2", r"\pm 3", WRONG), ("set", "2", r"\pm 2", WRONG),
    ("set", "1, 5", r"3 \mp 2", OK),
)
def test_plus_minus_expands_to_both_signs(answer_type: str, gold: str, pred: str,
                                          expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("set", "1, 3", r"\lambda = 1, 3", OK), ("set", "-2, 3", "x = -2, 3", OK),
    ("set", "1, 3", r"x \in \{1, 3\}", OK), ("set", "1, 3", r"\text{roots} = 1, 3", OK),
    ("list", "3, 1, 2", r"\text{order} = 3, 1, 2", OK), ("set", "1, 3", r"\lambda = 1, 4", WRONG),
    ("set", "(1, 2), (3, 4)", "(x, y) = (1, 2), (3, 4)", OK),
)
def test_a_named_listing(answer_type: str, gold: str, pred: str,
                         expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("list", "2, 3, 5", r"2 \times 3 \times 5", OK), ("list", "2, 3, 3", r"2 \cdot 3^2", OK),
    ("list", "2, 2, 2, 3", r"2^3 \cdot 3", OK), ("list", "2, 3", "2 × 3", OK),
    ("list", "2, 3, 5", "2*3*5", OK), ("list", "2, 2, 3", r"2^{2} \cdot 3", OK),
    ("list", "2, 2, 2, 3, 3, 5", r"360 = 2^3 \times 3^2 \times 5", OK),
    ("list", "2, 2, 3", r"2^3 \cdot 3", WRONG), ("list", "2, 3, 5", r"2 \times 5 \times 3", WRONG),
    ("list", "12", r"2^2 \times 3", OK),  # one expected element: a product is its value
    ("list", "2, 2, 3", "2 \\times x", WRONG), ("list", "2, 2, 3", r"2 \times", BAD),
)
def test_ordered_factor_lists(answer_type: str, gold: str, pred: str,
                              expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("rational", "9", "9 grams", OK), ("rational", "9", "9 g", OK),
    ("rational", "9/2", r"\frac{9}{2} grams", OK), ("rational", "9/2", "4.5 g", OK),
    ("rational", "3", "3 kg", OK), ("rational", "1/2", "1/2 cup", OK),
    ("rational", "9", r"9 \text{grams}", OK), ("rational", "9", "9 grams of salt", OK),
    ("rational", "9", "8 grams", WRONG), ("rational", "9", "9 or 10 grams", BAD),
)
def test_bare_unit_words_under_rational(answer_type: str, gold: str, pred: str,
                                        expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("integer", "6", r"\binom{4}{2}", OK), ("integer", "6", r"\dbinom{4}{2}", OK),
    ("integer", "6", r"\tbinom42", OK), ("integer", "6", r"{4 \choose 2}", OK),
    ("integer", "3", r"\frac{12}{4}", OK), ("integer", "3", r"\dfrac{12}{4}", OK),
    ("integer", "6", r"\frac{4!}{2!2!}", OK), ("integer", "45", r"\frac{10!}{8!\,2!}", OK),
    ("integer", "7", r"\sqrt{49}", OK), ("integer", "25", "3^2 + 4^2", OK),
    ("integer", "24", r"2^3 \cdot 3", OK), ("integer", "4", r"2^\frac{4}{2}", OK),
    ("integer", "14", "2(3+4)", OK), ("integer", "6", r"\frac{12}{4}", WRONG),
    ("integer", "2", r"\sqrt{2}", WRONG), ("integer", "6", r"2\pi", WRONG),
    ("integer", "5", r"\frac{11}{2}", WRONG), ("integer", "5", r"2\frac{1}{2}", BAD),
    ("integer", "5", r"9^{9^{9}}", BAD),
)
def test_closed_forms_under_integer(answer_type: str, gold: str, pred: str,
                                    expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("integer", "42", "{{42}}", OK), ("integer", "42", "{42}", OK),
    ("integer", "42", "{{{42}}}", OK),
    ("integer", "-5", "{-5}", OK), ("integer", "-5", "-{5}", OK), ("integer", "5", "x = {5}", OK),
    ("integer", "5", r"{5}\text{ cm}", OK), ("rational", "1/2", r"\frac{{1}}{{2}}", OK),
    ("expression", "42", "{{42}}", OK), ("integer", "42", "{{43}}", WRONG),
)
def test_nested_braces(answer_type: str, gold: str, pred: str,
                       expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("integer", "111111111", r"111,\! 111,\! 111", OK), ("integer", "10080", r"10,\!080", OK),
    ("integer", "11111111100", r"11,\! 111,\! 111,\! 100", OK),
    ("integer", "32348", r"\$32,\!348", OK), ("integer", "1000000", "1{,}000{,}000", OK),
    ("integer", "1000000", r"1\,000\,000", OK), ("expression", "10080", r"10,\!080", OK),
    ("integer", "111111111", r"111,\! 111,\! 112", WRONG),
)
def test_thin_spaces_in_numbers(answer_type: str, gold: str, pred: str,
                                expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected


@cases(
    ("expression", r"\frac{\pi}{4}", r"\frac \pi4", OK),
    ("expression", r"\frac{\pi}{4}", r"\frac\pi 4", OK),
    ("expression", r"\frac{1}{2}", r"\frac12", OK),
    ("expression", r"\frac{1}{2}", r"\frac1{2}", OK),
    ("expression", r"\frac{1}{2}", r"\frac{1}2", OK), ("expression", r"\sqrt{3}", r"\sqrt 3", OK),
    ("expression", r"\frac{\sqrt{3}}{2}", r"\frac\sqrt32", OK),
    ("expression", r"\frac{3}{4}", r"\dfrac 34", OK), ("expression", "2", r"\sqrt[3]8", OK),
    ("expression", r"2\sqrt{2}", r"2\sqrt2", OK),
    ("expression", r"\frac{270}7\text{ degrees}", r"\frac{270}{7}", OK),
    ("rational", "1/2", r"\frac 12", OK), ("rational", "3/4", r"\tfrac34", OK),
    ("expression", r"\frac{\pi}{4}", r"\frac \pi5", WRONG),
    ("expression", r"\frac{\pi}{4}", r"\frac \pi", BAD),
)
def test_braceless_tex_arguments(answer_type: str, gold: str, pred: str,
                                 expected: tuple[bool, str]) -> None:
    assert verdict(answer_type, gold, pred) == expected
