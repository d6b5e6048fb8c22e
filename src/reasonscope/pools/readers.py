"""Raw records from JSONL, CSV, Parquet files or a Hugging Face dataset, each with the line (or
row number) that an error message will name."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reasonscope.pools.rows import PoolRowError

FORMATS = ("jsonl", "csv", "parquet")
HF_PREFIX = "hf:"


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise PoolRowError(path, None, f"unknown file type {suffix!r}; expected .jsonl, .csv or "
                       ".parquet (or hf:NAME[:SPLIT] for a Hugging Face dataset)")


def iter_records(source: str | Path) -> Iterator[tuple[int, Any]]:
    """(line, record) pairs. A record that cannot be decoded is yielded as a PoolRowError
    instead of raising, so the importer can report or skip it like any other bad row."""
    text = str(source)
    if text.startswith(HF_PREFIX):
        yield from _iter_hf(text[len(HF_PREFIX):])
        return
    path = Path(source)
    if not path.is_file():
        raise PoolRowError(path, None, "file does not exist")
    fmt = detect_format(path)
    if fmt == "jsonl":
        yield from _iter_jsonl(path)
    elif fmt == "csv":
        yield from _iter_csv(path)
    else:
        yield from _iter_parquet(path)


def _iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                yield lineno, json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield lineno, PoolRowError(path, lineno, f"not valid UTF-8 (byte {exc.start})")
            except json.JSONDecodeError as exc:
                yield lineno, PoolRowError(path, lineno,
                                           f"invalid JSON: {exc.msg} (column {exc.colno})")


def _iter_csv(path: Path) -> Iterator[tuple[int, Any]]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise PoolRowError(path, 1, f"unreadable CSV header: {exc}") from None
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                yield reader.line_num, PoolRowError(path, reader.line_num, f"unreadable CSV: {exc}")
                continue
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                yield line, PoolRowError(path, line, f"{len(values)} columns, header has "
                                         f"{len(header)}")
                continue
            yield line, dict(zip(header, values, strict=True))


def _iter_parquet(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise PoolRowError(path, None, f"not a readable Parquet file: {exc}") from None
    row = 0
    for batch in pf.iter_batches(batch_size=4096):
        for record in batch.to_pylist():
            row += 1
            yield row, record


def _iter_hf(spec: str) -> Iterator[tuple[int, Any]]:
    """`hf:NAME[:SPLIT]` through the optional `datasets` package (where the network allows)."""
    try:
        import datasets
    except ImportError:
        raise PoolRowError(f"hf:{spec}", None, "Hugging Face datasets need the optional "
                           "`datasets` package (pip install datasets)") from None
    name, _, split = spec.partition(":")
    try:
        ds = datasets.load_dataset(name, split=split or "train", streaming=True)
    except Exception as exc:  # network, missing dataset, bad split: all reported the same way
        raise PoolRowError(f"hf:{spec}", None, f"cannot load dataset: {exc}") from None
    for index, record in enumerate(ds, start=1):
        yield index, dict(record)
