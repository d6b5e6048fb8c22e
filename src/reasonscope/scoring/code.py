"""Scoring `code_tests` items: the completion's program must pass the item's tests.

The program is the last fenced Python block outside `<think>` (else the boxed text). It is
compiled here first, without running it: code that is not valid Python is reported as
unparseable instead of spending a sandbox run on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reasonscope.items import Item
from reasonscope.scoring import itemmeta
from reasonscope.scoring.compare import ParseStatus
from reasonscope.scoring.extract import extract_program
from reasonscope.scoring.sandbox import SandboxResult, run_code_tests

MAX_PROGRAM_CHARS = 100_000


@dataclass(frozen=True)
class CodeOutcome:
    correct: bool
    program: str | None
    parse_status: ParseStatus
    sandbox: SandboxResult | None = None


def item_tests(item: Item) -> str:
    """The test code: a string, or a list of assert lines (MBPP's `test_list`)."""
    tests = item.meta["tests"]
    if isinstance(tests, (list, tuple)):
        return "\n".join(str(t) for t in tests) + "\n"
    return str(tests)


def compiles(program: str) -> bool:
    try:
        compile(program, "<solution>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def score_code(item: Item, completion: str) -> CodeOutcome:
    program = extract_program(completion)
    if program is None or not program.strip():
        return CodeOutcome(False, program, "no_answer" if program is None else "unparseable")
    if len(program) > MAX_PROGRAM_CHARS or not compiles(program):
        return CodeOutcome(False, program, "unparseable")
    prelude = str(item.meta.get("prelude", ""))
    full = f"{prelude}\n{program}" if prelude else program
    result = run_code_tests(full, item_tests(item), item.meta.get("entry_point"),
                            timeout_s=itemmeta.timeout_s(item), memory_mb=itemmeta.memory_mb(item))
    return CodeOutcome(result.passed, program, "ok", result)
