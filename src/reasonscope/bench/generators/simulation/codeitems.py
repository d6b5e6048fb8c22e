"""Turn a generated program plan into an item: execute it for the answer, trace it for the worked
solution and the work count, and refuse plans with code that never runs.

The answer is what the rendered source prints when executed; the interpreter's recorded run
gives the worked solution (each state change with its line) and the work (the number of state
changes). A printed str compares as text (the prompt asks for the printed output); any other
printed value compares as a Python value, and then the prompt asks for the value as a literal,
so what is asked and what is scored agree (a dict's key order, spacing and quote style are
presentation, not the value).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reasonscope.bench.generators.base import Draft
from reasonscope.bench.generators.simulation import program as P
from reasonscope.bench.generators.simulation.interpreter import (
    Budget,
    BudgetExceeded,
    Interpreter,
    unexercised,
)
from reasonscope.taxonomy import AnswerType

WORK_UNIT = "state changes"
_RUN_ERRORS = (BudgetExceeded, IndexError, KeyError, ValueError, ZeroDivisionError, TypeError)


def _prompt(source: str, text_output: bool) -> str:
    if text_output:
        return (f"What does this Python program print?\n```python\n{source}```\n"
                "Give the exact printed output.")
    return (f"What value does this Python program print?\n```python\n{source}```\n"
            "Answer with the printed value as a Python literal (it is compared by value: "
            "spacing, quote style and a dict's key order do not matter).")


def runs(program: tuple[P.Stmt, ...], budget: Budget, *, record: bool = False
         ) -> Interpreter | None:
    """The finished run, or None when the plan errors or exceeds the budget (it is redrawn)."""
    it = Interpreter(budget, record=record)
    try:
        it.run(program)
    except _RUN_ERRORS:
        return None
    return it


def exercised_run(program: tuple[P.Stmt, ...], budget: Budget, work: tuple[int, int]
                  ) -> Interpreter | None:
    """The run, if it is clean, its state changes fall within `work` (inclusive), every
    statement shown runs (each repeated `if` both ways), and little of it can be skipped: at
    most a sixth of the changes repeat a value the same line gave before (a loop toggling
    between two values) and at most a tenth are never read. Otherwise None."""
    it = runs(program, dataclasses.replace(budget, changes=work[1]))
    if it is None or not work[0] <= it.changes <= work[1] or unexercised(program, it):
        return None
    if 6 * it.repeats > it.changes or it.dead_writes() > max(1, it.changes // 10):
        return None
    return it


def worked_steps(program: tuple[P.Stmt, ...], it: Interpreter) -> list[str]:
    """One entry per executed statement that changed state: its line and the new values."""
    lines = P.line_numbers(program)
    return [f"line {lines[sid]}: " + "; ".join(f"{name} = {value!r}" for name, value in changed)
            for sid, changed in it.trace]


def finish_program(program: tuple[P.Stmt, ...], family_meta: dict[str, object]) -> Draft:
    """Execute the rendered program for the answer; trace the plan for steps and work."""
    source = P.render(program)
    printed = P.execute(source).rstrip("\n")
    it = Interpreter(Budget(10**5, 10**12, 10**3), record=True)
    it.run(program)
    (value,) = it.printed
    text_output = isinstance(value, str)
    kind = AnswerType.STRING if text_output else AnswerType.PYTHON
    extra: dict[str, Any] = {"aliases": [repr(printed)]} if text_output else {}
    steps = (*worked_steps(program, it), f"The program prints {printed}.",
             f"The answer is {printed}.")
    meta = {**family_meta, "lines": source.count("\n"), **extra}
    return Draft(prompt=_prompt(source, text_output), answer=printed, answer_type=kind,
                 steps=steps, meta=meta, work=it.changes, work_unit=WORK_UNIT)
