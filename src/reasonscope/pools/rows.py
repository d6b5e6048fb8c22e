"""Pool rows: one question from somebody else's benchmark, in the shared pool format.

A pool row is `{"id", "source", "question", "answer", "meta"}` (the format of the shared pools),
optionally with `answer_type` (inferred at import) and `license`. It is not yet an Item: it has
no cell, and its prompt is only the source's question. Reading reports every malformed row by
file and line, and skips one only when the caller asks for it, so a silently shorter pool
never passes for a clean one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonscope.taxonomy import AnswerType

REQUIRED_FIELDS = ("id", "source", "question", "answer", "meta")
OPTIONAL_FIELDS = ("answer_type", "license")


class PoolRowError(ValueError):
    """A malformed pool row, located by file and line (and field where there is one)."""

    def __init__(self, path: Path | str, line: int | None, reason: str,
                 field_name: str | None = None) -> None:
        self.path, self.line, self.reason, self.field = str(path), line, reason, field_name
        where = self.path + (f":{line}" if line is not None else "")
        what = f" field '{field_name}':" if field_name else ""
        super().__init__(f"{where}:{what} {reason}")


@dataclass(frozen=True)
class BadRow:
    """A row that was skipped (only with skip_bad), kept so the caller can report it."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class PoolRow:
    id: str
    source: str
    question: str
    answer: str
    meta: dict[str, Any] = field(default_factory=dict)
    answer_type: AnswerType | None = None
    license: str | None = None

    @property
    def pool(self) -> str:
        """The pool name: the id's first path segment (`mmlu_pro/70` -> `mmlu_pro`)."""
        return self.id.split("/", 1)[0]

    def to_json(self) -> str:
        obj: dict[str, Any] = {"id": self.id, "source": self.source, "question": self.question,
                               "answer": self.answer, "meta": self.meta}
        if self.answer_type is not None:
            obj["answer_type"] = self.answer_type.value
        if self.license is not None:
            obj["license"] = self.license
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_from_object(obj: Any, path: Path | str, line: int | None) -> PoolRow:
    """Validate one decoded JSON object as a pool row."""
    if not isinstance(obj, dict):
        raise PoolRowError(path, line, f"expected a JSON object, got {type(obj).__name__}")
    missing = [k for k in REQUIRED_FIELDS if k not in obj]
    if missing:
        raise PoolRowError(path, line, "missing field(s) " + ", ".join(missing) + " (pool rows "
                           "need id, source, question, answer, meta; other files need a field "
                           "mapping)", missing[0])
    unknown = sorted(set(obj) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise PoolRowError(path, line, "unknown field(s) " + ", ".join(unknown), unknown[0])
    for key in ("id", "source", "question"):
        value = obj[key]
        if not isinstance(value, str) or not value.strip():
            raise PoolRowError(path, line, "must be a non-empty string", key)
    answer = obj["answer"]
    if isinstance(answer, bool) or not isinstance(answer, str | int | float):
        raise PoolRowError(path, line, f"must be a string (got {type(answer).__name__})",
                           "answer")
    if not isinstance(obj["meta"], dict):
        raise PoolRowError(path, line, "must be an object", "meta")
    answer_type = None
    if obj.get("answer_type") is not None:
        try:
            answer_type = AnswerType(obj["answer_type"])
        except ValueError:
            raise PoolRowError(path, line, f"unknown answer type {obj['answer_type']!r}",
                               "answer_type") from None
    license_value = obj.get("license")
    if license_value is not None and not isinstance(license_value, str):
        raise PoolRowError(path, line, "must be a string", "license")
    return PoolRow(id=obj["id"], source=obj["source"], question=obj["question"],
                   answer=str(answer), meta=obj["meta"], answer_type=answer_type,
                   license=license_value)


def iter_pool_rows(path: Path | str, *, skip_bad: bool = False,
                   bad: list[BadRow] | None = None) -> Iterator[PoolRow]:
    """Stream a pool JSONL file. The first bad row raises PoolRowError unless skip_bad, in
    which case it is appended to `bad` and reading goes on."""
    p = Path(path)
    if not p.is_file():
        raise PoolRowError(p, None, "file does not exist")
    seen: set[str] = set()
    with p.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                row = _decode(raw, p, lineno)
                if row.id in seen:
                    raise PoolRowError(p, lineno, f"duplicate id {row.id!r}", "id")
            except PoolRowError as exc:
                if not skip_bad:
                    raise
                if bad is not None:
                    bad.append(BadRow(str(p), lineno, exc.reason if not exc.field
                                      else f"field '{exc.field}': {exc.reason}"))
                continue
            seen.add(row.id)
            yield row


def _decode(raw: bytes, path: Path, lineno: int) -> PoolRow:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PoolRowError(path, lineno, f"not valid UTF-8 (byte {exc.start})") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PoolRowError(path, lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    return row_from_object(obj, path, lineno)


def read_pool(path: Path | str, *, skip_bad: bool = False,
              bad: list[BadRow] | None = None) -> list[PoolRow]:
    return list(iter_pool_rows(path, skip_bad=skip_bad, bad=bad))


def dumps_pool(rows: Iterable[PoolRow]) -> bytes:
    return "".join(r.to_json() + "\n" for r in rows).encode("utf-8")


def write_pool(rows: Iterable[PoolRow], path: Path | str) -> Path:
    from reasonscope.fsutil import atomic_write_bytes

    return atomic_write_bytes(Path(path), dumps_pool(rows))
