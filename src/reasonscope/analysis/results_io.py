"""Where analysis results live on disk, and how they are written (atomically) and read back.

One directory holds every analysis of a study under fixed names, so `reasonscope report
--analysis DIR` finds what exists whether it came from `analyze all` or single commands.
JSON holds the summaries (what `--json` prints); Parquet holds the long per-tensor and
per-position tables. Floats that are NaN or infinite are written as null.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from reasonscope.fsutil import atomic_write_bytes, atomic_write_text

FILES: dict[str, str] = {
    "params": "params.json", "tokens": "tokens.json", "latents": "latents.json",
    "sae": "sae.json", "outputs": "outputs.json", "predictors": "predictors.json",
    "study": "analysis.json",
}
PARAMS_TABLE = "params-tensors.parquet"
POSITIONS_TABLE = "tokens-positions.parquet"


def clean(obj: Any) -> Any:
    """JSON-safe: NaN/inf -> None, numpy scalars/arrays -> Python, paths -> str."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, (np.floating, np.integer)):
        return clean(obj.item())
    if isinstance(obj, np.ndarray):
        return clean(obj.tolist())
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, Mapping):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(clean(obj), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(out_dir: Path, name: str, data: Any) -> Path:
    return atomic_write_text(Path(out_dir) / FILES.get(name, name), dumps(data))


def read_json(out_dir: Path, name: str) -> Any | None:
    path = Path(out_dir) / FILES.get(name, name)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None


def write_table(path: Path, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> Path:
    """Rows (list of dicts) or columns (dict of arrays) as one zstd Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if isinstance(rows, Mapping):
        table = pa.table({k: np.asarray(v) for k, v in rows.items()})
    else:
        table = pa.Table.from_pylist([clean(dict(r)) for r in rows])
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return atomic_write_bytes(Path(path), buf.getvalue())


def merge_runs(existing: Any, new: Sequence[Mapping[str, Any]],
               key: tuple[str, ...] = ("model", "split")) -> dict[str, Any]:
    """`{"runs": [...]}` with entries of `new` replacing those with the same key."""
    runs = list(existing.get("runs", [])) if isinstance(existing, Mapping) else []
    fresh = {tuple(r.get(k) for k in key) for r in new}
    kept = [r for r in runs if tuple(r.get(k) for k in key) not in fresh]
    return {"runs": kept + [dict(r) for r in new]}
