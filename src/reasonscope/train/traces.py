"""Solution traces for supervised fine-tuning, written from a generator's worked solution.

The two styles differ in what the study varies: a short trace (the "no-think" style) states a
few condensed steps and the boxed answer; a long trace (the "think" style) reasons inside
`<think>` with every intermediate step, the cases of an enumeration spelled out, and an explicit
verification before a short final answer. Both end in `\\boxed{}` exactly as the evaluation
scorer expects, so an SFT model learns the format it is scored on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType, Behavior

CotStyle = Literal["short", "long"]

SHORT_MAX_STEPS = 3

ANSWER_FORMS: dict[AnswerType, str] = {
    AnswerType.INTEGER: "an integer",
    AnswerType.NUMBER: "a decimal number",
    AnswerType.RATIONAL: "a fraction in lowest terms",
    AnswerType.EXPRESSION: "an exact expression",
    AnswerType.STRING: "the requested text",
    AnswerType.CHOICE: "one option letter",
    AnswerType.LINE: "a step number (0 if every step is correct)",
    AnswerType.LIST: "an ordered list",
    AnswerType.SET: "a set of elements",
    AnswerType.PYTHON: "a Python literal",
    AnswerType.CODE_TESTS: "code",
}

_NUMBERED = re.compile(r"^\s*(?:step\s*)?\d+\s*[:.)]", re.IGNORECASE)
_CASE_LINE = re.compile(r"^\s*(?:k|n|y|x|case|step|t)\s*=\s*[^:]+:", re.IGNORECASE)


class TraceError(ValueError):
    """An item that cannot become a trace (no worked solution)."""


def item_steps(item: Item) -> list[str]:
    steps = item.meta.get("steps")
    if not isinstance(steps, list) or not steps or not all(isinstance(s, str) for s in steps):
        raise TraceError(f"item {item.id} has no worked solution (meta.steps)")
    return [s.strip() for s in steps if s.strip()]


def condense(steps: Sequence[str], limit: int = SHORT_MAX_STEPS) -> list[str]:
    """The framing step and the last ones: what a terse solver would write down."""
    if len(steps) <= limit:
        return list(steps)
    return [steps[0], *steps[len(steps) - (limit - 1):]]


def short_trace(item: Item, steps: Sequence[str] | None = None) -> str:
    body = condense(steps if steps is not None else item_steps(item))
    return "\n".join(body) + f"\n\nThe answer is \\boxed{{{item.answer}}}."


def _case_lines(steps: Sequence[str]) -> list[int]:
    return [i for i, s in enumerate(steps, start=1) if _CASE_LINE.match(s)]


def long_trace(item: Item, steps: Sequence[str] | None = None) -> str:
    """Every step numbered, the case split made explicit, then a verification pass."""
    steps = list(steps if steps is not None else item_steps(item))
    numbered = not any(_NUMBERED.match(s) for s in steps)  # diagnostic steps carry their own
    lines = ["Let me work through this carefully, one step at a time.", ""]
    lines += [f"{i}. {s}" if numbered else s for i, s in enumerate(steps, start=1)]
    cases = _case_lines(steps)
    if item.behavior is Behavior.ENUMERATION and len(cases) > 1:
        lines += ["", f"The cases are lines {cases[0]} to {cases[-1]} ({len(cases)} in all); "
                      "each possibility falls in exactly one of them, so none is missed or "
                      "counted twice."]
    lines += ["", "Let me verify before answering.",
              f"Going back over the work, the final step is: {steps[-1]}",
              f"Each step follows from the one before it, so the result is {item.answer}. "
              f"The question asks for {ANSWER_FORMS[item.answer_type]}, and {item.answer} is "
              "in that form."]
    thought = "\n".join(lines)
    return f"<think>\n{thought}\n</think>\n\nThe answer is \\boxed{{{item.answer}}}."


def trace(item: Item, style: CotStyle) -> str:
    return short_trace(item) if style == "short" else long_trace(item)


def trace_from_solution(solution: str, answer: str, style: CotStyle) -> str:
    """A user's written solution in either style; the boxed answer is appended if absent."""
    text = solution.strip()
    if "\\boxed{" not in text:
        text += f"\n\nThe answer is \\boxed{{{answer}}}."
    if style == "short":
        return text
    return f"<think>\n{text}\n</think>\n\nThe answer is \\boxed{{{answer}}}."
