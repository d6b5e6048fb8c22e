"""The item: one question with a checkable answer, and its JSONL form.

Ids are derived from content so that the same question gets the same id wherever it is
generated, and any edit to prompt or answer gets a new one (results never attach to the wrong
text). Writing is canonical (sorted keys, fixed separators) so a suite file's hash is stable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reasonscope.taxonomy import AnswerType, Behavior, Domain

ITEM_FIELDS = (
    "id", "behavior", "domain", "difficulty", "prompt", "answer", "answer_type", "tolerance",
    "source", "meta",
)


def content_id(behavior: str, domain: str, prompt: str, answer: str, answer_type: str) -> str:
    """Stable id: the cell in clear (readable in tables), then a hash of question and answer."""
    digest = hashlib.sha256(
        json.dumps([behavior, domain, prompt, answer, answer_type], ensure_ascii=False).encode()
    ).hexdigest()[:16]
    return f"{behavior}.{domain}.{digest}"


META_LIMITS = {"timeout_s": (0.0, 600.0)}
"""Numeric meta keys the scorer reads, with the open-closed range they must lie in."""


def _check_meta(meta: dict[str, Any]) -> None:
    """Meta keys that change how an answer is scored must be valid here, not fail later (or,
    worse, make every answer silently wrong)."""
    for key, (lo, hi) in META_LIMITS.items():
        if key not in meta:
            continue
        value = meta[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                lo < float(value) <= hi):
            raise ValueError(f"meta.{key} must be a number in ({lo:g}, {hi:g}], got {value!r}")
    if "case_sensitive" in meta and not isinstance(meta["case_sensitive"], bool):
        raise ValueError(f"meta.case_sensitive must be true or false, got "
                         f"{meta['case_sensitive']!r}")


class Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    id: str = Field(min_length=1)
    behavior: Behavior
    domain: Domain
    difficulty: int = Field(ge=1, le=5)
    prompt: str = Field(min_length=1)
    answer: str
    answer_type: AnswerType
    tolerance: float | None = Field(default=None, ge=0)
    source: str = Field(min_length=1)
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("prompt")
    @classmethod
    def _prompt_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("prompt is blank")
        return v

    @model_validator(mode="after")
    def _answer_consistent(self) -> Item:
        if self.answer_type is not AnswerType.CODE_TESTS and not self.answer.strip():
            raise ValueError(f"answer is empty (allowed only for {AnswerType.CODE_TESTS.value})")
        if self.answer_type is AnswerType.CODE_TESTS and "tests" not in self.meta:
            raise ValueError("code_tests items need meta.tests (the test code to run)")
        if self.tolerance is not None and self.answer_type is not AnswerType.NUMBER:
            raise ValueError("tolerance is only meaningful for answer_type 'number'")
        _check_meta(self.meta)
        return self

    @classmethod
    def create(
        cls,
        *,
        behavior: Behavior,
        domain: Domain,
        difficulty: int,
        prompt: str,
        answer: str,
        answer_type: AnswerType,
        source: str,
        tolerance: float | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Item:
        return cls(
            id=content_id(behavior.value, domain.value, prompt, answer, answer_type.value),
            behavior=behavior,
            domain=domain,
            difficulty=difficulty,
            prompt=prompt,
            answer=answer,
            answer_type=answer_type,
            tolerance=tolerance,
            source=source,
            meta=meta or {},
        )

    @property
    def cell(self) -> tuple[Behavior, Domain]:
        return (self.behavior, self.domain)

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))


class ItemFileError(ValueError):
    """A problem in an item file, located precisely enough to fix it by hand."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None,
                 field: str | None = None) -> None:
        self.path, self.line, self.field, self.reason = str(path), line, field, reason
        where = self.path + (f":{line}" if line is not None else "")
        what = f" field '{field}'" if field else ""
        super().__init__(f"{where}:{what} {reason}".replace(": ", ": ", 1))


def _item_from_row(row: Any, path: Path | str, line: int) -> Item:
    if not isinstance(row, dict):
        raise ItemFileError(path, f"expected a JSON object, got {type(row).__name__}", line)
    unknown = sorted(set(row) - set(ITEM_FIELDS))
    if unknown:
        raise ItemFileError(path, f"unknown field(s): {', '.join(unknown)}", line, unknown[0])
    try:
        return Item.model_validate(row)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        raise ItemFileError(path, err["msg"], line, field) from None


def iter_items(path: Path | str) -> Iterator[Item]:
    """Yield validated items; the first bad row raises ItemFileError with its line number."""
    p = Path(path)
    if not p.exists():
        raise ItemFileError(p, "file does not exist")
    if p.is_dir():
        raise ItemFileError(p, "is a directory: expected a JSONL file of items")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ItemFileError(p, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ItemFileError(p, f"not valid UTF-8 (byte {exc.start})", line) from None
    if not text.strip():
        raise ItemFileError(p, "file is empty: expected one JSON item per line")
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ItemFileError(p, f"invalid JSON: {exc.msg} (column {exc.colno})",
                                lineno) from None
        yield _item_from_row(row, p, lineno)


def read_items(path: Path | str, *, allow_duplicates: bool = False) -> list[Item]:
    items: list[Item] = []
    seen: dict[str, int] = {}
    for idx, item in enumerate(iter_items(path)):
        if item.id in seen and not allow_duplicates:
            first = seen[item.id] + 1
            raise ItemFileError(path, f"duplicate id {item.id!r} (first at item {first})",
                                None, "id")
        seen.setdefault(item.id, idx)
        items.append(item)
    return items


def dumps_items(items: Iterable[Item]) -> bytes:
    return "".join(item.to_json() + "\n" for item in items).encode("utf-8")


def write_items(items: Iterable[Item], path: Path | str) -> Path:
    """Write canonical JSONL atomically (a reader never sees half a file)."""
    from reasonscope.fsutil import atomic_write_bytes

    return atomic_write_bytes(Path(path), dumps_items(items))


def items_hash(items: Iterable[Item]) -> str:
    return hashlib.sha256(dumps_items(items)).hexdigest()
