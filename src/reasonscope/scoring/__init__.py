"""Scoring completions against items: answer extraction, per-type comparison, code sandbox.

`score(item, completion)` is the one scorer used everywhere (evaluation, rescoring, GRPO
rewards); `score_many` is the same for batches. See docs/answer-types.md for the rules.
"""

from reasonscope.scoring.compare import ParseStatus
from reasonscope.scoring.extract import extract_boxed
from reasonscope.scoring.mathverify_pool import configure_pool, shutdown_pool
from reasonscope.scoring.sandbox import SandboxResult, SandboxUnavailable, run_code_tests
from reasonscope.scoring.scorer import ScoreResult, score, score_many

__all__ = ["ParseStatus", "SandboxResult", "SandboxUnavailable", "ScoreResult", "configure_pool",
           "extract_boxed", "run_code_tests", "score", "score_many", "shutdown_pool"]
