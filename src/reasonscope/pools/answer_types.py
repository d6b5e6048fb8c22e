"""What kind of answer a pool row has, and its canonical form for that kind.

Pools do not declare how their answers compare; a wrong guess makes a correct model look wrong
(a choice letter compared as free text, an integer written `1,234`). The rules look at the
answer first and at the row's structure second (listed options, a worked solution with a marked
first error, unit tests), and fall back to `string`: the type whose comparison is strictest
and therefore never silently generous.
"""

from __future__ import annotations

import ast
import re
import string
from typing import Any

from reasonscope.taxonomy import AnswerType

_INTEGER = re.compile(r"-?\d+")
_GROUPED_INTEGER = re.compile(r"-?\d{1,3}(,\d{3})+")
_NUMBER = re.compile(r"-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?")
_LETTER = re.compile(r"\(?([A-Z])\)?\.?")
_LATEX_HINT = re.compile(r"[\\^_{}$]")
_OPTION_LINE = re.compile(r"^\s*\(?([A-Z])[).]\s", re.MULTILINE)
STEP_FIELDS = ("steps", "model_output_steps")
TEST_FIELDS = ("tests", "test_list", "test")
LETTERS = string.ascii_uppercase


def choice_options(meta: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The (letter, text) options listed in meta (`options` list or `choices` mapping)."""
    options = meta.get("options")
    if isinstance(options, list) and options and len(options) <= len(LETTERS):
        return [(LETTERS[i], str(o)) for i, o in enumerate(options)]
    choices = meta.get("choices")
    if isinstance(choices, dict) and choices and len(choices) <= len(LETTERS):
        return [(LETTERS[i], str(v)) for i, v in enumerate(choices.values())]
    if isinstance(choices, list) and choices and len(choices) <= len(LETTERS):
        return [(LETTERS[i], str(v)) for i, v in enumerate(choices)]
    return None


def worked_steps(meta: dict[str, Any]) -> list[str] | None:
    """A worked solution to check, when the row marks its first error (0-based, -1 = none)."""
    if not isinstance(meta.get("first_error_index0"), int):
        return None
    for key in STEP_FIELDS:
        steps = meta.get(key)
        if isinstance(steps, list) and steps and all(isinstance(s, str) for s in steps):
            return steps
    return None


def row_tests(meta: dict[str, Any]) -> list[str] | None:
    """Unit tests carried by the row (`tests`, MBPP's `test_list`, HumanEval's `test`)."""
    for key in TEST_FIELDS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return [value]
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            setup = meta.get("test_setup_code")
            prefix = [setup] if isinstance(setup, str) and setup.strip() else []
            return prefix + list(value)
    return None


def _is_python_literal(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped[0] not in "[({'\"-0123456789TFN":
        return False
    try:
        ast.literal_eval(stripped)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def infer_answer_type(question: str, answer: str, meta: dict[str, Any]) -> AnswerType:
    """The most specific type the row supports; `string` when nothing more is certain."""
    a = answer.strip()
    if row_tests(meta) is not None:
        return AnswerType.CODE_TESTS
    if worked_steps(meta) is not None:
        return AnswerType.LINE
    options = choice_options(meta)
    if options is not None and (choice_letter(a, options) is not None or _LETTER.fullmatch(a)):
        return AnswerType.CHOICE  # a letter naming no option fails in canonical_answer
    if _LETTER.fullmatch(a) and len(_OPTION_LINE.findall(question)) >= 2:
        return AnswerType.CHOICE
    if _INTEGER.fullmatch(a) or _GROUPED_INTEGER.fullmatch(a):
        return AnswerType.INTEGER
    if _NUMBER.fullmatch(a):
        return AnswerType.NUMBER
    if a in ("True", "False", "None") or (a[:1] in "[({'\"" and _is_python_literal(a)):
        return AnswerType.PYTHON
    if _LATEX_HINT.search(a) or "$" in question:
        return AnswerType.EXPRESSION
    return AnswerType.STRING


def choice_letter(answer: str, options: list[tuple[str, str]] | None) -> str | None:
    """The option letter an answer names: `C`, `(C)`, or a source's own key such as ARC's
    `3` (mapped by position), or the full text of one option."""
    a = answer.strip()
    m = _LETTER.fullmatch(a)
    if m:
        letter = m.group(1)
        if options is None or letter in {k for k, _ in options}:
            return letter
        return None
    if options is None:
        return None
    if a.isdigit():
        index = int(a) - 1
        return options[index][0] if 0 <= index < len(options) else None
    matches = [k for k, text in options if text.strip() == a]
    return matches[0] if len(matches) == 1 else None


def canonical_answer(answer: str, answer_type: AnswerType, meta: dict[str, Any]) -> str:
    """The answer in the form the scorer expects for its type.

    Raises ValueError when the answer does not fit the type (the caller reports the row)."""
    if answer_type is AnswerType.CODE_TESTS:
        return answer  # a reference solution: its indentation is code
    a = answer.strip()
    if answer_type is AnswerType.CHOICE:
        options = choice_options(meta)
        letter = choice_letter(a, options)
        if letter is None:
            raise ValueError(f"answer {answer!r} names none of the options")
        return letter
    if answer_type is AnswerType.INTEGER:
        compact = a.replace(",", "")
        if not _INTEGER.fullmatch(compact):
            raise ValueError(f"answer {answer!r} is not an integer")
        return str(int(compact))
    if answer_type is AnswerType.LINE:
        index0 = meta.get("first_error_index0")
        if isinstance(index0, int):
            return "0" if index0 < 0 else str(index0 + 1)
        if not a.isdigit():
            raise ValueError(f"answer {answer!r} is not a step number")
        return a
    if answer_type is AnswerType.NUMBER and not _NUMBER.fullmatch(a):
        raise ValueError(f"answer {answer!r} is not a decimal number")
    if answer_type is AnswerType.PYTHON and not _is_python_literal(a):
        raise ValueError(f"answer {answer!r} is not a Python literal")
    if not a:
        raise ValueError("answer is empty")
    return a


def check_answer(answer: str, answer_type: AnswerType) -> str:
    """A reviewer's edited answer, stripped, if it is well-formed for its type (ValueError if
    not): the same shapes `canonical_answer` produces."""
    a = answer.strip()
    if not a and answer_type is not AnswerType.CODE_TESTS:
        raise ValueError("answer is empty")
    if answer_type is AnswerType.CHOICE and not re.fullmatch(r"[A-Z]", a):
        raise ValueError(f"a choice answer is one capital letter, not {answer!r}")
    if answer_type in (AnswerType.INTEGER, AnswerType.LINE) and not _INTEGER.fullmatch(a):
        raise ValueError(f"{answer_type.value} answer {answer!r} is not an integer")
    if answer_type is AnswerType.LINE and int(a) < 0:
        raise ValueError("a line answer is 0 or a positive step number")
    if answer_type is AnswerType.NUMBER and not _NUMBER.fullmatch(a):
        raise ValueError(f"number answer {answer!r} is not a decimal")
    if answer_type is AnswerType.PYTHON and not _is_python_literal(a):
        raise ValueError(f"python answer {answer!r} is not a Python literal")
    return a
