"""reasonscope: which reasoning skills a language model has, and how fine-tuning moves them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reasonscope.items import Item, ItemFileError, read_items, write_items
from reasonscope.taxonomy import AnswerType, Behavior, Domain

__version__ = "0.1.0"

if TYPE_CHECKING:
    from reasonscope.scoring import ScoreResult


def score(item: Item, completion: str) -> ScoreResult:
    """Score one completion against an item (the scorer used by eval, rescore and GRPO)."""
    from reasonscope.scoring import score as _score

    return _score(item, completion)


def __getattr__(name: str) -> Any:
    if name == "ScoreResult":
        from reasonscope.scoring import ScoreResult

        return ScoreResult
    raise AttributeError(name)


__all__ = ["AnswerType", "Behavior", "Domain", "Item", "ItemFileError", "ScoreResult",
           "__version__", "read_items", "score", "write_items"]
