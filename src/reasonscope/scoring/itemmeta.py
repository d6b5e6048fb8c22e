"""The `meta` fields scoring reads, checked where items are scored.

A bad value is a mistake in the item file, not something a model wrote, so it raises (naming
the item and the field) instead of quietly turning every answer to that item wrong.
"""

from __future__ import annotations

import math
from typing import Any

from reasonscope.items import Item
from reasonscope.taxonomy import AnswerType

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY_MB = 512
MAX_TIMEOUT_S = 600.0  # the same range item files are validated against
MIN_MEMORY_MB = 32


class ItemMetaError(ValueError):
    """An item's `meta` has a field of the wrong type or range."""


def _fail(item: Item, field: str, want: str, got: Any) -> ItemMetaError:
    return ItemMetaError(f"item {item.id}: meta.{field} must be {want}, got {got!r}")


def case_sensitive(item: Item) -> bool:
    """`meta.case_sensitive`: compare string answers (and list/set elements) with case."""
    value = item.meta.get("case_sensitive", False)
    if not isinstance(value, bool):
        raise _fail(item, "case_sensitive", "true or false", value)
    return value


def timeout_s(item: Item) -> float:
    value = item.meta.get("timeout_s", DEFAULT_TIMEOUT_S)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 < value <= MAX_TIMEOUT_S:
        raise _fail(item, "timeout_s", f"a number of seconds in (0, {MAX_TIMEOUT_S:g}]", value)
    return float(value)


def memory_mb(item: Item) -> int:
    value = item.meta.get("memory_mb", DEFAULT_MEMORY_MB)
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_MEMORY_MB:
        raise _fail(item, "memory_mb", f"an integer number of MB >= {MIN_MEMORY_MB}", value)
    return value


def validate(item: Item) -> None:
    """Raise ItemMetaError if a field scoring uses is malformed."""
    case_sensitive(item)
    if item.answer_type is AnswerType.CODE_TESTS:
        timeout_s(item)
        memory_mb(item)
        tests = item.meta.get("tests")
        if not isinstance(tests, (str, list, tuple)):
            raise _fail(item, "tests", "test code (a string or a list of lines)", tests)
        entry = item.meta.get("entry_point")
        if entry is not None and not (isinstance(entry, str) and entry.isidentifier()):
            raise _fail(item, "entry_point", "a Python identifier", entry)
