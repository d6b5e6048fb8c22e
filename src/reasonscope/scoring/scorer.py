"""`score`: one completion against one item; `score_many`: the same for a batch, concurrently.

This is the only scorer: evaluation, rescoring a stored run and GRPO rewards all call it, so a
number means the same thing everywhere. It never raises on what a model wrote: odd or huge
completions come back as `no_answer` or `unparseable` (a setup problem, such as math-verify
missing, or an item whose `meta` is malformed, does raise).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from reasonscope.items import Item
from reasonscope.scoring.code import score_code
from reasonscope.scoring.compare import COMPARATORS, UNPARSEABLE, Judgement, ParseStatus
from reasonscope.scoring.extract import extract_boxed, extract_by_pattern
from reasonscope.scoring.itemmeta import validate
from reasonscope.taxonomy import AnswerType

log = logging.getLogger(__name__)

MAX_EXTRACTED_CHARS = 65_536  # what is stored per sample; longer answers are unparseable anyway
# Types whose check may block (worker processes, sandboxes): worth a thread in `score_many`.
_BLOCKING_TYPES = frozenset({AnswerType.CODE_TESTS, AnswerType.RATIONAL, AnswerType.EXPRESSION})


@dataclass(frozen=True)
class ScoreResult:
    correct: bool
    extracted: str | None
    parse_status: ParseStatus


def _extract(item: Item, completion: str) -> str | None:
    answer = extract_boxed(completion)
    pattern = item.meta.get("answer_pattern")
    if answer is None and pattern:
        try:
            answer = extract_by_pattern(completion, str(pattern))
        except (re.error, IndexError) as exc:
            log.warning("item %s: bad answer_pattern %r: %s", item.id, pattern, exc)
    return answer


def score(item: Item, completion: str) -> ScoreResult:
    """Is `completion` a correct answer to `item`? (rules: docs/answer-types.md)"""
    validate(item)
    if item.answer_type is AnswerType.CODE_TESTS:
        outcome = score_code(item, completion)
        program = None if outcome.program is None else outcome.program[:MAX_EXTRACTED_CHARS]
        return ScoreResult(outcome.correct, program, outcome.parse_status)
    answer = _extract(item, completion)
    if answer is None:
        return ScoreResult(False, None, "no_answer")
    judgement: Judgement = UNPARSEABLE
    if answer.strip():
        try:
            judgement = COMPARATORS[item.answer_type](item, answer)
        except (ValueError, ArithmeticError, TypeError, RecursionError, MemoryError):
            log.exception("item %s: could not compare %r", item.id, answer[:200])
    return ScoreResult(judgement.correct, answer[:MAX_EXTRACTED_CHARS], judgement.parse_status)


def score_many(pairs: Sequence[tuple[Item, str]], *, workers: int | None = None
               ) -> list[ScoreResult]:
    """`[score(i, c) for i, c in pairs]`, with checks that wait on worker processes or sandboxes
    run on `workers` threads (default: CPU count) while the rest are scored inline."""
    pairs = list(pairs)
    n = workers if workers is not None else max(2, os.cpu_count() or 1)
    blocking = [k for k, (item, _) in enumerate(pairs) if item.answer_type in _BLOCKING_TYPES]
    if n <= 1 or len(blocking) <= 1:
        return [score(item, completion) for item, completion in pairs]
    results: list[ScoreResult | None] = [None] * len(pairs)
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="score") as pool:
        futures = {k: pool.submit(score, *pairs[k]) for k in blocking}
        for k, (item, completion) in enumerate(pairs):
            if k not in futures:
                results[k] = score(item, completion)
        for k, fut in futures.items():
            results[k] = fut.result()
    return [r for r in results if r is not None]
