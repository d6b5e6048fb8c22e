"""`bench import`: foreign item files -> one pool JSONL in the shared pool format.

Rows already in the pool format are taken as they are; anything else goes through a field
mapping. Every row gets an answer type (the mapping's, the row's own, or inferred) and must
have an answer that fits it, so a problem shows up here, at its file and line, and not as a
mysteriously unscorable item three steps later.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reasonscope.pools.answer_types import canonical_answer, infer_answer_type
from reasonscope.pools.mapping import FieldMapping, MappingError, lookup, render_prompt
from reasonscope.pools.readers import HF_PREFIX, iter_records
from reasonscope.pools.rows import BadRow, PoolRow, PoolRowError, row_from_object


@dataclass
class ImportReport:
    rows: int = 0
    bad: list[BadRow] = field(default_factory=list)
    answer_types: Counter[str] = field(default_factory=Counter)
    per_file: Counter[str] = field(default_factory=Counter)


def _pool_name(source: str) -> str:
    if source.startswith(HF_PREFIX):
        return source[len(HF_PREFIX):].split(":")[0].replace("/", "_")
    return Path(source).stem


def mapped_row(record: Mapping[str, Any], mapping: FieldMapping, *, source_file: str,
               line: int, prefix: str) -> PoolRow:
    """One foreign record through the mapping (raises MappingError / ValueError)."""
    question = render_prompt(mapping.prompt, record)
    if not question.strip():
        raise MappingError("the prompt template renders to an empty question")
    try:
        answer_value = lookup(record, mapping.answer)
    except KeyError:
        raise MappingError(f"no answer field '{mapping.answer}'") from None
    if mapping.id:
        try:
            raw_id = lookup(record, mapping.id)
        except KeyError:
            raise MappingError(f"no id field '{mapping.id}'") from None
        row_id = f"{prefix}/{raw_id}"
    else:
        row_id = f"{prefix}/{line}"
    license_value = mapping.license
    if mapping.license_field:
        try:
            license_value = str(lookup(record, mapping.license_field))
        except KeyError:
            raise MappingError(f"no license field '{mapping.license_field}'") from None
    used = mapping.used_fields()
    if mapping.meta is not None:
        meta = {}
        for name in mapping.meta:
            try:
                meta[name] = lookup(record, name)
            except KeyError:
                raise MappingError(f"no meta field '{name}'") from None
    else:
        meta = {k: v for k, v in record.items() if k not in used and k != "meta"}
        nested = record.get("meta")
        if isinstance(nested, Mapping):
            meta.update(nested)
    answer = "" if answer_value is None else str(answer_value)
    if isinstance(answer_value, float) and answer_value.is_integer():
        answer = str(int(answer_value))
    return PoolRow(id=row_id, source=mapping.source or source_file, question=question,
                   answer=answer, meta=_plain(meta), answer_type=mapping.answer_type,
                   license=license_value)


def _plain(value: Any) -> Any:
    """JSON-safe copies of Parquet/HF values (numpy scalars, tuples, bytes)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def typed_row(row: PoolRow) -> PoolRow:
    """The row with its answer type settled and its answer checked against it."""
    answer_type = row.answer_type or infer_answer_type(row.question, row.answer, row.meta)
    canonical_answer(row.answer, answer_type, row.meta)  # raises ValueError when it does not fit
    return replace(row, answer_type=answer_type)


def import_rows(sources: Sequence[str | Path], mapping: FieldMapping | None = None, *,
                skip_bad: bool = False, license_value: str | None = None,
                report: ImportReport | None = None) -> Iterator[PoolRow]:
    """Stream pool rows from every source. The first bad row raises PoolRowError (file, line,
    reason) unless skip_bad, which records it in `report.bad` and goes on."""
    rep = report if report is not None else ImportReport()
    seen: set[str] = set()
    for source in sources:
        src = str(source)
        prefix = _pool_name(src)
        for line, record in iter_records(source):
            try:
                row = _one_row(record, mapping, src, line, prefix)
                if license_value and row.license is None:
                    row = replace(row, license=license_value)
                if row.id in seen:
                    raise PoolRowError(src, line, f"duplicate id {row.id!r}", "id")
            except PoolRowError as exc:
                if not skip_bad:
                    raise
                rep.bad.append(BadRow(src, line, exc.reason if not exc.field
                                      else f"field '{exc.field}': {exc.reason}"))
                continue
            seen.add(row.id)
            rep.rows += 1
            rep.per_file[src] += 1
            rep.answer_types[row.answer_type.value if row.answer_type else "?"] += 1
            yield row


def _one_row(record: Any, mapping: FieldMapping | None, src: str, line: int,
             prefix: str) -> PoolRow:
    if isinstance(record, PoolRowError):
        raise record
    try:
        if mapping is None:
            row = row_from_object(record, src, line)
        elif not isinstance(record, Mapping):
            raise PoolRowError(src, line, f"expected an object, got {type(record).__name__}")
        else:
            row = mapped_row(record, mapping, source_file=src, line=line, prefix=prefix)
        return typed_row(row)
    except PoolRowError:
        raise
    except (MappingError, ValueError) as exc:
        raise PoolRowError(src, line, str(exc)) from None


def import_to_file(sources: Sequence[str | Path], out: Path, mapping: FieldMapping | None = None,
                   *, skip_bad: bool = False, license_value: str | None = None) -> ImportReport:
    """Import and write atomically: a bad row (without skip_bad) leaves no output at all."""
    from reasonscope.pools.rows import write_pool

    report = ImportReport()
    rows = list(import_rows(sources, mapping, skip_bad=skip_bad, license_value=license_value,
                            report=report))
    write_pool(rows, out)
    return report


def count_by_pool(rows: Iterable[PoolRow]) -> Counter[str]:
    return Counter(r.pool for r in rows)
