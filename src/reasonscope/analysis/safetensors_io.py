"""Safetensors checkpoints read one tensor at a time, with every header checked up front.

A checkpoint is one `.safetensors` file, a directory holding one, or a sharded directory with a
`*.safetensors.index.json`. All headers are parsed and validated before any tensor is read, so
a truncated shard or an index that names a missing tensor fails at once, naming the file and
tensor, instead of after an hour of streaming and a half-written result.

Tensors are read with `safe_open`, one handle per tensor: safetensors maps the whole file and
returns a view on it, so a long-lived handle would keep every page it has touched resident and
memory would grow to the shard size. Opening per tensor releases the mapping with the tensor.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

MAX_HEADER_BYTES = 100 * 1024 * 1024
ITEMSIZE: dict[str, int] = {
    "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "F8_E4M3": 1, "F8_E5M2": 1,
    "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U64": 8, "U32": 4, "U16": 2, "U8": 1, "BOOL": 1,
}
TORCH_DTYPE_NAMES: dict[str, str] = {
    "F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
    "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2", "I64": "int64", "I32": "int32",
    "I16": "int16", "I8": "int8", "U64": "uint64", "U32": "uint32", "U16": "uint16",
    "U8": "uint8", "BOOL": "bool",
}
FLOAT_DTYPES = frozenset({"F64", "F32", "F16", "BF16", "F8_E4M3", "F8_E5M2"})


class CheckpointError(ValueError):
    """A checkpoint cannot be read as it is; the message names the file (and tensor)."""


@dataclass(frozen=True)
class TensorEntry:
    """Where one tensor's bytes are: absolute offsets into its file."""

    name: str
    file: Path
    dtype: str
    shape: tuple[int, ...]
    start: int
    end: int

    @property
    def numel(self) -> int:
        return math.prod(self.shape)

    @property
    def nbytes(self) -> int:
        return self.end - self.start

    @property
    def torch_dtype_name(self) -> str:
        return TORCH_DTYPE_NAMES[self.dtype]


@dataclass(frozen=True)
class Checkpoint:
    path: Path
    files: tuple[Path, ...]
    tensors: dict[str, TensorEntry]
    index_file: Path | None = None
    tie_word_embeddings: bool | None = None
    """From config.json (None when there is no config)."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Names whose bytes are another tensor's (same file and offsets): name -> that tensor."""

    @property
    def total_bytes(self) -> int:
        return sum(e.nbytes for e in self.tensors.values())


def _entry(path: Path, name: str, info: Any, data_start: int, size: int) -> TensorEntry:
    if not isinstance(info, dict):
        raise CheckpointError(f"{path}: tensor {name!r}: header entry is not an object")
    dtype, shape, offsets = info.get("dtype"), info.get("shape"), info.get("data_offsets")
    if dtype not in ITEMSIZE:
        raise CheckpointError(f"{path}: tensor {name!r}: unknown dtype {dtype!r}")
    if not (isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape)):
        raise CheckpointError(f"{path}: tensor {name!r}: bad shape {shape!r}")
    if not (isinstance(offsets, list) and len(offsets) == 2
            and all(isinstance(o, int) for o in offsets) and 0 <= offsets[0] <= offsets[1]):
        raise CheckpointError(f"{path}: tensor {name!r}: bad data_offsets {offsets!r}")
    need = math.prod(shape) * ITEMSIZE[dtype]
    if offsets[1] - offsets[0] != need:
        raise CheckpointError(f"{path}: tensor {name!r}: data_offsets span "
                              f"{offsets[1] - offsets[0]} bytes but {dtype} {shape} needs {need}")
    entry = TensorEntry(name, path, dtype, tuple(shape), data_start + offsets[0],
                        data_start + offsets[1])
    if entry.end > size:
        raise CheckpointError(
            f"{path}: truncated: tensor {name!r} needs bytes up to {entry.end:,} but the file "
            f"has {size:,} (an interrupted copy or download?)")
    return entry


def read_header(path: Path) -> dict[str, TensorEntry]:
    """Every tensor of one safetensors file, checked against the file's real size."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
            if len(head) < 8:
                raise CheckpointError(f"{path}: {size} bytes, shorter than the 8-byte "
                                      "safetensors length field (truncated or not safetensors)")
            (header_len,) = struct.unpack("<Q", head)
            if header_len > MAX_HEADER_BYTES:
                raise CheckpointError(f"{path}: header length {header_len:,} is implausible "
                                      "(not a safetensors file?)")
            if 8 + header_len > size:
                raise CheckpointError(f"{path}: truncated: the header needs {8 + header_len:,} "
                                      f"bytes but the file has {size:,}")
            raw = fh.read(header_len)
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        meta = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path}: header is not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise CheckpointError(f"{path}: header is not a JSON object")
    data_start = 8 + header_len
    entries = {name: _entry(path, name, info, data_start, size)
               for name, info in meta.items() if name != "__metadata__"}
    return entries


def _tie_flag(root: Path) -> bool | None:
    config = root / "config.json"
    if not config.is_file():
        return None
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{config}: not readable JSON ({exc})") from None
    text_config = data.get("text_config") if isinstance(data.get("text_config"), dict) else {}
    value = data.get("tie_word_embeddings", text_config.get("tie_word_embeddings"))
    return bool(value) if value is not None else None


def _from_index(index: Path) -> tuple[list[Path], dict[str, TensorEntry]]:
    try:
        weight_map = json.loads(index.read_text(encoding="utf-8"))["weight_map"]
    except (OSError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{index}: not a safetensors index with a weight_map ({exc})"
                              ) from None
    if not isinstance(weight_map, dict):
        raise CheckpointError(f"{index}: weight_map is not an object")
    shards = sorted({str(v) for v in weight_map.values()})
    headers: dict[str, dict[str, TensorEntry]] = {}
    for shard in shards:
        path = index.parent / shard
        if not path.is_file():
            raise CheckpointError(f"{index}: shard {shard!r} is listed but {path} does not exist")
        headers[shard] = read_header(path)
    tensors: dict[str, TensorEntry] = {}
    for name, shard in weight_map.items():
        entry = headers[str(shard)].get(name)
        if entry is None:
            raise CheckpointError(f"{index}: tensor {name!r} is mapped to {shard!r}, whose "
                                  "header does not contain it")
        tensors[name] = entry
    return [index.parent / s for s in shards], tensors


def _from_files(files: list[Path]) -> dict[str, TensorEntry]:
    tensors: dict[str, TensorEntry] = {}
    for path in files:
        for name, entry in read_header(path).items():
            if name in tensors:
                raise CheckpointError(f"tensor {name!r} is in both {tensors[name].file} and "
                                      f"{path}; add a safetensors index to say which one counts")
            tensors[name] = entry
    return tensors


def _aliases(tensors: Mapping[str, TensorEntry]) -> dict[str, str]:
    first: dict[tuple[Path, int, int], str] = {}
    aliases: dict[str, str] = {}
    for name in sorted(tensors):
        e = tensors[name]
        key = (e.file, e.start, e.end)
        if key in first and e.nbytes:
            aliases[name] = first[key]
        else:
            first.setdefault(key, name)
    return aliases


def open_checkpoint(path: Path | str) -> Checkpoint:
    """Index a checkpoint (file or directory) and validate every header."""
    path = Path(path)
    if path.is_file():
        files, index = [path], None
        tensors = _from_files(files)
        root = path.parent
    elif path.is_dir():
        root = path
        indexes = sorted(path.glob("*.safetensors.index.json"))
        preferred = path / "model.safetensors.index.json"
        index = preferred if preferred in indexes else (indexes[0] if indexes else None)
        if index is not None:
            files, tensors = _from_index(index)
        else:
            single = path / "model.safetensors"
            files = [single] if single.is_file() else sorted(path.glob("*.safetensors"))
            if not files:
                other = sorted(p.name for p in path.glob("*.bin"))
                hint = f" (found {', '.join(other)}: convert to safetensors)" if other else ""
                raise CheckpointError(f"{path}: no *.safetensors weights{hint}")
            tensors = _from_files(files)
    else:
        raise CheckpointError(f"{path}: no such file or directory")
    return Checkpoint(path=path, files=tuple(files), tensors=tensors, index_file=index,
                      tie_word_embeddings=_tie_flag(root), aliases=_aliases(tensors))


def load_tensor(entry: TensorEntry) -> torch.Tensor:
    """The tensor as stored (a view on a private mapping of the file, released with it)."""
    from safetensors import safe_open

    try:
        with safe_open(str(entry.file), framework="pt") as fh:
            return fh.get_tensor(entry.name)
    except Exception as exc:  # safetensors raises its own error type, not importable stably
        raise CheckpointError(f"{entry.file}: cannot read tensor {entry.name!r}: {exc}"
                              ) from exc


def prefetch(entries: Iterable[TensorEntry]) -> None:
    """Ask the kernel to start reading these byte ranges now (asynchronously), so disk reads of
    the next tensors overlap the arithmetic on the current ones."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for e in entries:
        try:
            fd = os.open(e.file, os.O_RDONLY)
        except OSError:
            continue
        try:
            advise(fd, e.start, e.nbytes, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(fd)
