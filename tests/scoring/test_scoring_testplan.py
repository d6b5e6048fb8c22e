"""The parent's side of a code verdict: planning tests, plain data across, judging."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from reasonscope.scoring import _sandbox_codec as codec
from reasonscope.scoring.testjudge import HoleResult, judge
from reasonscope.scoring.testplan import module_bindings, plan_calls

PROGRAM = "def f(x):\n    return x\n"


@pytest.mark.parametrize("value", [
    None, True, False, 0, -7, 10 ** 5000, 2.5, -0.0, math.inf, "text", "\ud800 lone surrogate",
    b"\x00\xff", bytearray(b"ab"), 3 + 4j, [1, [2, (3, {4})]], (), {"a": [1], (1, 2): None},
    frozenset({1, 2}), set(), Fraction(1, 3), Decimal("1.10"),
], ids=lambda v: type(v).__name__)
def test_plain_data_round_trips_exactly(value: object) -> None:
    back = codec.decode(codec.loads(codec.dumps(value), 10 ** 8))
    assert type(back) is type(value) and back == value
    if isinstance(value, float):
        assert math.copysign(1, back) == math.copysign(1, value)  # -0.0 stays -0.0


def test_nan_round_trips() -> None:
    back = codec.decode(codec.loads(codec.dumps(math.nan), 100))
    assert isinstance(back, float) and math.isnan(back)


def test_subclasses_cross_as_their_base_data_and_objects_do_not_cross() -> None:
    class Loud(int):
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = int.__hash__

    assert codec.decode(codec.encode(Loud(3))) == 3
    assert type(codec.decode(codec.encode(Loud(3)))) is int
    for obj in (object(), lambda: 1, iter([1]), range(3), type, [object()]):
        with pytest.raises(codec.CodecError):
            codec.encode(obj)


@pytest.mark.parametrize("bad", [
    "x", [], ["i"], ["i", 5], ["z", 1], ["l", "notalist"], ["d", [[["l", []], ["N"]]]],
    ["S", [["l", []]]], ["f", "nope"], ["i", "f" * 200_000], ["t", [["N"], "x"]],
])
def test_malformed_encodings_are_refused(bad: object) -> None:
    with pytest.raises(codec.CodecError):
        codec.decode(bad)


def test_decoding_is_bounded() -> None:
    deep: list[object] = ["N"]
    for _ in range(codec.MAX_DEPTH + 5):
        deep = ["l", [deep]]
    with pytest.raises(codec.CodecError):
        codec.decode(deep)
    with pytest.raises(codec.CodecError):
        codec.loads("[" * 10 + "]" * 10, max_bytes=5)


def test_mbpp_style_tests_become_holes_and_parent_side_checks() -> None:
    tests = ("import math\nassert f(2) == 4\nassert math.isclose(f(0.1) + 0.2, 0.3)\n"
             "assert abs(f(3) - 9) < 1e-9, 'message'\nassert sorted(f([2, 1])) == [1, 2]\n")
    plan = plan_calls(tests, PROGRAM)
    assert plan is not None and plan.setup == "import math"
    assert [h.source for h in plan.holes] == ["f(2)", "f(0.1)", "f(3)", "f([2, 1])"]
    assert judge(plan, [HoleResult(4), HoleResult(0.1), HoleResult(9), HoleResult([2, 1])]) == \
        (True, "")
    passed, why = judge(plan, [HoleResult(5), HoleResult(0.1), HoleResult(9), HoleResult([1])])
    assert not passed and "AssertionError: assert f(2) == 4" in why and "f(2) = 5" in why


def test_humaneval_check_bodies_bind_the_candidate() -> None:
    tests = ("METADATA = {'author': 'x'}\n\ndef check(candidate):\n    '''doc'''\n"
             "    assert candidate(1) == 1\n    assert not candidate(0)\n    assert True\n")
    plan = plan_calls(tests, PROGRAM)
    assert plan is not None and plan.check_param == "candidate"
    assert [(h.source, h.in_check) for h in plan.holes] == [("candidate(1)", True),
                                                           ("candidate(0)", True)]
    assert judge(plan, [HoleResult(1), HoleResult(0)])[0]
    assert not judge(plan, [HoleResult(1), HoleResult(1)])[0]


@pytest.mark.parametrize("tests", [
    "def check(candidate):\n    for i in range(3):\n        assert candidate(i) == i\n",
    "assert f(1) == 1\nx = 2\nassert f(x) == 2\n",  # a statement between asserts
    "assert all(f(i) == i for i in range(3))\n",  # the comparison would run in the child
    "assert g(f(1) == 1)\n",
    "assert f(bool(f(1))) == 1\n",  # truth of a program value decided in the child
    "assert sys.getsizeof(()) == f(())\n",  # trusted work would run in the child
    "from os import *\nassert f(1) == 1 or x\n",  # which names are the program's is unknown
    "def check(c, extra):\n    assert c(1) == 1\n",
    "assert (y := f(1)) == 1\n",
    "not python at all (\n",
    "x = 1\n",  # no asserts at all
])
def test_tests_that_do_not_fit_get_no_plan(tests: str) -> None:
    assert plan_calls(tests, PROGRAM) is None


def test_a_program_that_defines_a_builtin_name_is_called_not_the_builtin() -> None:
    program = "def sum(a, b):\n    return a - b\n"
    plan = plan_calls("assert sum(10, 15) == -5\n", program)
    assert plan is not None and [h.source for h in plan.holes] == ["sum(10, 15)"]
    plan = plan_calls("assert sum(f([1, 2])) == 3\n", PROGRAM)  # here sum is the builtin
    assert plan is not None and [h.source for h in plan.holes] == ["f([1, 2])"]


def test_module_bindings() -> None:
    b = module_bindings("import math\nimport os.path\nfrom re import sub as s\nx, y = 1, 2\n"
                        "def g():\n    global z\n    local = 1\nclass C:\n    attr = 1\n"
                        "for i in range(2):\n    pass\n")
    assert b.names >= {"math", "os", "s", "x", "y", "g", "z", "C", "i"}
    assert "local" not in b.names and "attr" not in b.names
    assert b.modules == {"math", "os"} and "math" not in b.shadowing
    assert "math" in module_bindings("import math\nmath = None\n").shadowing


def test_failures_name_the_exception_or_the_object() -> None:
    plan = plan_calls("assert f(1) == 1\n", PROGRAM)
    assert plan is not None
    passed, why = judge(plan, [HoleResult(raised="ZeroDivisionError: division by zero")])
    assert not passed and "f(1) raised ZeroDivisionError" in why
    passed, why = judge(plan, [HoleResult(not_data="Always")])
    assert not passed and "Always, which is not plain data" in why
    assert judge(plan, []) == (False, "[sandbox] 0 of 1 calls reported")


def test_parent_side_evaluation_is_bounded() -> None:
    plan = plan_calls("assert f(1) * 10 ** 9 == 'x'\nassert 2 ** f(1) > 0\n", PROGRAM)
    assert plan is not None
    passed, why = judge(plan, [HoleResult("xxxxxxxxxx"), HoleResult(10 ** 7)])
    assert not passed and "OverflowError" in why
