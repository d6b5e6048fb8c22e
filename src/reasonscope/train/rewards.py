"""GRPO rewards. Correctness is the evaluation scorer itself, called, never re-implemented, so a
rollout is rewarded exactly when `reasonscope eval` would mark the same text correct.

Reward functions follow TRL's calling convention: keyword arguments `prompts`, `completions`,
`completion_ids` and every dataset column (here `item`, the item's JSON), one float per
completion. The correctness and format terms share one scoring pass per batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reasonscope.items import Item
from reasonscope.scoring import ScoreResult, score_many


@lru_cache(maxsize=65536)
def _item(item_json: str) -> Item:
    return Item.model_validate_json(item_json)


def completion_text(completion: Any) -> str:
    """A plain completion, or the assistant content of a conversational one."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        return "".join(str(m.get("content", "")) for m in completion if isinstance(m, dict))
    raise TypeError(f"unexpected completion type {type(completion).__name__}")


class BatchScorer:
    """Scores a batch once and serves the result to every reward term asking for it."""

    def __init__(self) -> None:
        self._key: tuple[tuple[str, str], ...] | None = None
        self._results: list[ScoreResult] = []

    def __call__(self, items: Sequence[str], completions: Sequence[Any]) -> list[ScoreResult]:
        texts = [completion_text(c) for c in completions]
        key = tuple(zip(items, texts, strict=True))
        if key != self._key:
            self._results = list(score_many([(_item(i), t) for i, t in key]))
            self._key = key
        return self._results


class CorrectReward:
    """1.0 when the evaluation scorer marks the completion correct, else 0.0."""

    def __init__(self, scorer: BatchScorer) -> None:
        self.scorer = scorer
        self.__name__ = "correct"  # TRL logs each term as rewards/<__name__>

    def __call__(self, *, completions: Sequence[Any], item: Sequence[str],
                 **kwargs: Any) -> list[float]:
        return [1.0 if r.correct else 0.0 for r in self.scorer(item, completions)]


class FormatReward:
    """1.0 when the scorer could extract a final answer (parse_status 'ok'), else 0.0."""

    def __init__(self, scorer: BatchScorer) -> None:
        self.scorer = scorer
        self.__name__ = "format"

    def __call__(self, *, completions: Sequence[Any], item: Sequence[str],
                 **kwargs: Any) -> list[float]:
        return [1.0 if r.parse_status == "ok" else 0.0 for r in self.scorer(item, completions)]


def overlong_penalty(length: int, max_length: int, buffer: int) -> float:
    """DAPO's soft overlong punishment: 0 up to max-buffer, then linear down to -1 at max."""
    start = max_length - buffer
    if length <= start:
        return 0.0
    if length >= max_length:
        return -1.0
    return (start - length) / buffer


class OverlongReward:
    def __init__(self, max_length: int, buffer: int) -> None:
        self.max_length, self.buffer = max_length, buffer
        self.__name__ = "overlong"

    def __call__(self, *, completion_ids: Sequence[Sequence[int]], **kwargs: Any) -> list[float]:
        return [overlong_penalty(len(ids), self.max_length, self.buffer) for ids in completion_ids]


def build_rewards(*, correct_weight: float = 1.0, format_weight: float = 0.0,
                  overlong_buffer: int = 0, overlong_weight: float = 1.0,
                  max_completion_length: int = 1024) -> tuple[list[Any], list[float]]:
    """The reward functions and their weights; terms with weight 0 are left out."""
    scorer = BatchScorer()
    funcs: list[Any] = [CorrectReward(scorer)]
    weights = [correct_weight]
    if format_weight:
        funcs.append(FormatReward(scorer))
        weights.append(format_weight)
    if overlong_buffer:
        funcs.append(OverlongReward(max_completion_length, overlong_buffer))
        weights.append(overlong_weight)
    return funcs, weights
