"""A disk cache of embeddings keyed by content hash, and the batched, streamed embedding loop.

Entries are keyed by SHA-256 of the text under a directory per embedder `model_id`, so the
same text is never encoded twice by the same model, whichever pool it came from. They are
stored in append-only shards (`.npy` matrix + `.keys` digests), each written atomically with
the keys file last: a shard without its keys is invisible, so a killed run leaves the cache
valid, and two processes writing at once only ever add distinct shard files.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import numpy as np

from reasonscope.fsutil import atomic_write_bytes
from reasonscope.pools.embed import Embedder

DIGEST = 32
DEFAULT_CHUNK = 2048


def default_cache_dir() -> Path:
    root = os.environ.get("REASONSCOPE_CACHE")
    base = Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return (base if root else base / "reasonscope") / "embeddings"


def text_digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Vectors of one embedder, found by text digest; shards are memory-mapped on demand."""

    def __init__(self, root: Path, model_id: str) -> None:
        space = hashlib.sha256(model_id.encode()).hexdigest()[:16]
        self.dir = Path(root) / space
        self.model_id = model_id
        self._index: dict[bytes, tuple[str, int]] = {}
        self._shards: dict[str, np.ndarray] = {}
        self._known: set[str] = set()
        self.refresh()

    def refresh(self) -> None:
        """Pick up shards written since (possibly by another process)."""
        if not self.dir.is_dir():
            return
        for keys_file in sorted(self.dir.glob("shard-*.keys")):
            name = keys_file.stem
            if name in self._known or not (self.dir / f"{name}.npy").exists():
                continue
            raw = keys_file.read_bytes()
            for row in range(len(raw) // DIGEST):
                self._index.setdefault(raw[row * DIGEST:(row + 1) * DIGEST], (name, row))
            self._known.add(name)

    def __len__(self) -> int:
        return len(self._index)

    def _shard(self, name: str) -> np.ndarray:
        if name not in self._shards:
            self._shards[name] = np.load(self.dir / f"{name}.npy", mmap_mode="r")
        return self._shards[name]

    def lookup(self, digests: Sequence[bytes]) -> tuple[list[int], list[np.ndarray]]:
        """Positions found and their vectors."""
        found: list[int] = []
        vectors: list[np.ndarray] = []
        for i, d in enumerate(digests):
            hit = self._index.get(d)
            if hit is not None:
                found.append(i)
                vectors.append(np.asarray(self._shard(hit[0])[hit[1]], dtype=np.float32))
        return found, vectors

    def add(self, digests: Sequence[bytes], vectors: np.ndarray) -> None:
        if not len(digests):
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "model_id.txt").write_text(self.model_id + "\n", encoding="utf-8")
        name = f"shard-{time.time_ns():020d}-{os.getpid()}"
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        buf = BytesIO()
        np.save(buf, matrix)
        atomic_write_bytes(self.dir / f"{name}.npy", buf.getvalue())
        atomic_write_bytes(self.dir / f"{name}.keys", b"".join(digests))
        for row, d in enumerate(digests):
            self._index.setdefault(d, (name, row))
        self._known.add(name)


@dataclass
class EmbedStats:
    texts: int = 0
    cached: int = 0
    encoded: int = 0


def embed_texts(texts: Sequence[str], embedder: Embedder, cache: EmbeddingCache | None = None,
                *, chunk: int = DEFAULT_CHUNK, stats: EmbedStats | None = None,
                progress: Callable[[int], None] | None = None) -> np.ndarray:
    """(len(texts), dim) unit vectors, encoding only what the cache lacks, `chunk` texts at a
    time (a repeated text is encoded once). Peak memory is the output plus one chunk."""
    st = stats if stats is not None else EmbedStats()
    out: np.ndarray | None = None
    for start in range(0, len(texts), chunk):
        block = list(texts[start:start + chunk])
        digests = [text_digest(t) for t in block]
        vectors: list[np.ndarray | None] = [None] * len(block)
        if cache is not None:
            found, hits = cache.lookup(digests)
            for i, v in zip(found, hits, strict=True):
                vectors[i] = v
            st.cached += len(found)
        todo: dict[bytes, list[int]] = {}
        for i, slot in enumerate(vectors):
            if slot is None:
                todo.setdefault(digests[i], []).append(i)
        if todo:
            order = list(todo)
            encoded = embedder.encode([block[todo[d][0]] for d in order])
            st.encoded += len(order)
            for d, vec in zip(order, encoded, strict=True):
                for i in todo[d]:
                    vectors[i] = vec
            if cache is not None:
                cache.add(order, encoded)
        matrix = np.stack([v for v in vectors if v is not None])
        if out is None:
            out = np.empty((len(texts), matrix.shape[1]), dtype=np.float32)
        out[start:start + len(block)] = matrix
        st.texts += len(block)
        if progress is not None:
            progress(len(block))
    return out if out is not None else np.zeros((0, 0), dtype=np.float32)
