"""Reference vectors shipped with the package for the default embedder.

Every labelling run embeds the same 1,321 reference texts (the seed queries and rs-synth-v1);
on two CPU cores that alone takes about two minutes. Their MiniLM vectors ship as package data,
keyed like the disk cache by the SHA-256 of each text and tagged with the embedder's model id,
so they are used only for exactly those texts and that model, and anything else (an edited
seed, another model) is embedded as usual. Maintainers regenerate the file after changing a
seed: `python -m reasonscope.pools.packaged` (a test says when it is stale).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from io import BytesIO
from pathlib import Path

import numpy as np

from reasonscope.pools.cache import DIGEST, EmbeddingCache, EmbedStats, embed_texts, text_digest
from reasonscope.pools.embed import Embedder

FILE_NAME = "reference-vectors.npz"


def packaged_path() -> Path:
    return Path(str(resources.files("reasonscope") / "data" / "seeds" / FILE_NAME))


@lru_cache(maxsize=2)
def _load(path: str) -> tuple[str, dict[bytes, int], np.ndarray] | None:
    p = Path(path)
    if not p.is_file():
        return None
    with np.load(p, allow_pickle=False) as data:
        model_id = str(data["model_id"])
        digests = data["digests"]
        vectors = np.asarray(data["vectors"], dtype=np.float32)
    index = {bytes(d): i for i, d in enumerate(digests)}
    return model_id, index, vectors


def packaged_lookup(model_id: str, path: Path | None = None
                    ) -> tuple[dict[bytes, int], np.ndarray] | None:
    loaded = _load(str(path or packaged_path()))
    if loaded is None or loaded[0] != model_id:
        return None
    return loaded[1], loaded[2]


def embed_reference(texts: Sequence[str], embedder: Embedder, cache: EmbeddingCache | None,
                    stats: EmbedStats | None = None) -> np.ndarray:
    """Like embed_texts, but texts with a shipped vector for this embedder are not encoded."""
    shipped = packaged_lookup(embedder.model_id)
    if shipped is None:
        return embed_texts(texts, embedder, cache, stats=stats)
    index, matrix = shipped
    digests = [text_digest(t) for t in texts]
    missing = [i for i, d in enumerate(digests) if d not in index]
    out = np.empty((len(texts), matrix.shape[1]), dtype=np.float32)
    for i, d in enumerate(digests):
        if d in index:
            out[i] = matrix[index[d]]
    if missing:
        out[missing] = embed_texts([texts[i] for i in missing], embedder, cache, stats=stats)
    return out


def write_packaged(path: Path, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> Path:
    from reasonscope.fsutil import atomic_write_bytes

    digests = np.frombuffer(b"".join(text_digest(t) for t in texts), dtype=np.uint8)
    buf = BytesIO()
    np.savez_compressed(buf, model_id=np.array(model_id), digests=digests.reshape(-1, DIGEST),
                        vectors=np.asarray(vectors, dtype=np.float32))
    _load.cache_clear()
    atomic_write_bytes(path, buf.getvalue())
    path.chmod(0o644)  # package data: readable by everyone who can import the package
    return path


def reference_texts() -> list[str]:
    """The texts `build_reference` embeds by default, in order."""
    from reasonscope.bench.suites import load_suite
    from reasonscope.pools.label import REFERENCE_SUITE
    from reasonscope.pools.seeds import load_seeds, query_text

    return ([query_text(s) for s in load_seeds()]
            + [i.prompt for i in load_suite(REFERENCE_SUITE).items])


def main(argv: Sequence[str]) -> None:
    """Regenerate the shipped vectors with the default MiniLM (optionally through a cache)."""
    from reasonscope.pools.embed import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder()
    cache = EmbeddingCache(Path(argv[0]), emb.model_id) if argv else None
    texts = reference_texts()
    vectors = embed_texts(texts, emb, cache)
    print(f"wrote {write_packaged(packaged_path(), emb.model_id, texts, vectors)}: "
          f"{len(texts)} vectors for {emb.model_id}")


if __name__ == "__main__":
    main(sys.argv[1:])
