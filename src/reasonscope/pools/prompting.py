"""The prompt an imported item asks, and the text its embedding is computed from.

A pool's `question` is often not the whole question: multiple-choice pools keep their options
in `meta`, diagnostic pools keep the worked solution to check in `meta.steps`. The item prompt
puts them back and ends with the answer-form sentence the scorer relies on (the built-in
generators do the same), so a correct model is never marked wrong for formatting.
"""

from __future__ import annotations

import re

from reasonscope.pools.answer_types import choice_options, row_tests, worked_steps
from reasonscope.pools.rows import PoolRow
from reasonscope.taxonomy import AnswerType

_STEP_PREFIX = re.compile(r"^\s*step\s*\d+\s*[:.)-]\s*", re.IGNORECASE)
_OPTION_LINE = re.compile(r"^\s*\(?[A-Z][).]\s", re.MULTILINE)
EMBED_CHARS = 1500

INSTRUCTIONS: dict[AnswerType, str] = {
    AnswerType.CHOICE: "Answer with the letter of the correct option.",
    AnswerType.INTEGER: "Give the answer as an integer.",
    AnswerType.NUMBER: "Give the answer as a decimal number.",
    AnswerType.RATIONAL: "Give the answer as a fraction in lowest terms or an integer.",
    AnswerType.EXPRESSION: "Give the final answer in simplest form.",
    AnswerType.PYTHON: "Give the value exactly as Python's repr() would print it.",
    AnswerType.LINE: ("Which step is the first wrong one? Answer with the step number, or 0 if "
                      "all steps are correct."),
    AnswerType.CODE_TESTS: "Write the complete Python code in one ```python fenced block.",
}


def _options_block(row: PoolRow) -> str:
    options = choice_options(row.meta)
    if options is None or len(_OPTION_LINE.findall(row.question)) >= 2:
        return ""
    return "\n\nOptions:\n" + "\n".join(f"({k}) {text}" for k, text in options)


def _steps_block(steps: list[str]) -> str:
    return "\n".join(f"Step {i}: {_STEP_PREFIX.sub('', s).strip()}"
                     for i, s in enumerate(steps, start=1))


def _code_block(row: PoolRow) -> str:
    tests = row_tests(row.meta)
    shown = [t for t in tests or [] if t.lstrip().startswith("assert")]
    body = row.question.rstrip()
    if "def " in body and "\n" in body:
        body = f"Complete this Python function:\n```python\n{body}\n```"
    if shown:
        body += "\n\nYour code should pass these tests:\n" + "\n".join(shown)
    return body


def item_prompt(row: PoolRow) -> str:
    """The full prompt of the item made from `row` (question + options/solution + answer form)."""
    answer_type = row.answer_type or AnswerType.STRING
    steps = worked_steps(row.meta) if answer_type is AnswerType.LINE else None
    if steps is not None:
        body = (f"Problem:\n{row.question.strip()}\n\nA solution, one step per line:\n"
                f"{_steps_block(steps)}")
    elif answer_type is AnswerType.CODE_TESTS:
        body = _code_block(row)
    else:
        body = row.question.rstrip() + (_options_block(row) if answer_type is AnswerType.CHOICE
                                        else "")
    instruction = INSTRUCTIONS.get(answer_type)
    return f"{body}\n\n{instruction}" if instruction else body


def embedding_text(row: PoolRow) -> str:
    """What the labeller compares with the seeds.

    For most rows that is the question alone: listed options and the answer-form sentence say
    how to answer, not what work the question asks for, and on a tuning sample they pulled
    multiple-choice recall questions towards the diagnostic seeds. A worked solution to check
    or code to write *is* the work, so those rows keep their rendered prompt, with the
    answer-form sentence first so that a long solution cannot push it past the encoder's
    length limit."""
    answer_type = row.answer_type or AnswerType.STRING
    if answer_type not in (AnswerType.LINE, AnswerType.CODE_TESTS):
        return row.question.strip()[:EMBED_CHARS]
    prompt = item_prompt(row)
    instruction = INSTRUCTIONS[answer_type]
    if prompt.endswith(instruction):
        prompt = f"{instruction}\n{prompt[: -len(instruction)].rstrip()}"
    return prompt[:EMBED_CHARS]
