"""Embedders and the content-hash disk cache: a text is encoded once per model, a half-written
shard is invisible, and a second process sees what the first one wrote."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import numpy as np
import pytest
from rs_pools import CountingEmbedder

from reasonscope.pools.cache import EmbeddingCache, EmbedStats, embed_texts
from reasonscope.pools.embed import HashingEmbedder, OpenAIEmbedder, make_embedder


def test_hashing_embedder_is_deterministic_and_unit_length(hashing: HashingEmbedder) -> None:
    a = hashing.encode(["count the ways", "count the ways", "track the state"])
    assert a.shape == (3, 512) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert np.array_equal(a[0], a[1]) and a[0] @ a[2] < 0.9
    assert np.array_equal(HashingEmbedder().encode(["count the ways"])[0], a[0])


def test_cache_encodes_each_text_once(tmp_path: Path, hashing: HashingEmbedder) -> None:
    counting = CountingEmbedder(hashing)
    cache = EmbeddingCache(tmp_path, counting.model_id)
    texts = [f"question {i % 7}" for i in range(30)]
    stats = EmbedStats()
    first = embed_texts(texts, counting, cache, chunk=8, stats=stats)
    assert counting.encoded == 7 and stats.encoded == 7 and stats.texts == 30
    again = EmbedStats()
    second = embed_texts(texts, counting, EmbeddingCache(tmp_path, counting.model_id),
                         stats=again)
    assert counting.encoded == 7, "served from disk"
    assert again.cached == 30 and np.array_equal(first, second)
    assert np.array_equal(first, hashing.encode(texts))
    other_model = EmbeddingCache(tmp_path, "another-model")
    assert len(other_model) == 0, "entries are per model"


def test_half_written_shard_is_ignored_and_refresh_sees_other_writers(
        tmp_path: Path, hashing: HashingEmbedder) -> None:
    cache_a = EmbeddingCache(tmp_path, hashing.model_id)
    cache_b = EmbeddingCache(tmp_path, hashing.model_id)
    embed_texts(["alpha", "beta"], hashing, cache_a)
    assert len(cache_b) == 0
    cache_b.refresh()
    assert len(cache_b) == 2
    orphan = cache_a.dir / "shard-99999999999999999999-1.npy"
    orphan.write_bytes(b"\x93NUMPY garbage")  # a matrix whose keys file never arrived
    cache_c = EmbeddingCache(tmp_path, hashing.model_id)
    assert len(cache_c) == 2
    found, vectors = cache_c.lookup([b"x" * 32])
    assert found == [] and vectors == []


def test_make_embedder_validates_options() -> None:
    assert make_embedder("hashing").model_id == "hashing:512:v1"
    with pytest.raises(ValueError, match="needs --model"):
        make_embedder("st")
    with pytest.raises(ValueError, match="needs --base-url and --model"):
        make_embedder("openai", model="x")
    with pytest.raises(ValueError, match="unknown embedder"):
        make_embedder("word2vec")


def test_openai_compatible_endpoint(tmp_path: Path) -> None:
    """A local stand-in for an /embeddings server: order restored by index, rows normalised."""
    seen: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
            data = [{"index": i, "embedding": [float(len(t)), 1.0, 0.0]}
                    for i, t in enumerate(body["input"])][::-1]
            payload = json.dumps({"data": data}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        emb = OpenAIEmbedder(f"http://127.0.0.1:{server.server_port}/v1", "e5", api_key="k",
                             batch_size=2)
        out = emb.encode(["a", "abc", "abcd"])
    finally:
        server.shutdown()
    assert [s["input"] for s in seen] == [["a", "abc"], ["abcd"]]
    assert seen[0]["path"] == "/v1/embeddings" and seen[0]["auth"] == "Bearer k"
    assert seen[0]["model"] == "e5"
    assert np.allclose(out[1], np.array([3.0, 1.0, 0.0]) / np.sqrt(10))
    assert emb.model_id == f"openai:http://127.0.0.1:{server.server_port}/v1:e5"


@pytest.mark.slow
def test_minilm_embeds_offline_and_meaningfully(minilm: object) -> None:
    vectors = minilm.encode(["How many ways can 5 people sit in a row?",  # type: ignore[attr-defined]
                             "Count the seating arrangements of five guests in a line.",
                             "What is the capital of France?"])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_pools_and_cli_import_without_sentence_transformers() -> None:
    """The embedders load sentence-transformers on first use only, so `reasonscope` works
    without the pools extra (and its CLI starts fast)."""
    import subprocess
    import sys

    code = ("import sys, reasonscope.cli, reasonscope.pools.label, reasonscope.pools.select, "
            "reasonscope.pools.review.server, reasonscope.pools.freeze; "
            "print('sentence_transformers' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False"]


def test_packaged_reference_vectors_cover_the_current_reference() -> None:
    """Stale after a seed or suite change; regenerate: `python -m reasonscope.pools.packaged`."""
    from reasonscope.pools.cache import text_digest
    from reasonscope.pools.embed import SentenceTransformerEmbedder
    from reasonscope.pools.packaged import packaged_lookup, reference_texts

    shipped = packaged_lookup(SentenceTransformerEmbedder().model_id)
    assert shipped is not None, "no packaged vectors for the default embedder"
    index, vectors = shipped
    texts = reference_texts()
    assert {text_digest(t) for t in texts} == set(index), (
        "packaged reference vectors are stale: run `python -m reasonscope.pools.packaged`")
    assert vectors.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert packaged_lookup("another-model") is None


@pytest.mark.slow
def test_packaged_vectors_equal_fresh_minilm_vectors(minilm: object) -> None:
    from reasonscope.pools.cache import text_digest
    from reasonscope.pools.packaged import packaged_lookup, reference_texts

    texts = reference_texts()[::160]
    shipped = packaged_lookup(minilm.model_id)  # type: ignore[attr-defined]
    assert shipped is not None
    index, vectors = shipped
    fresh = minilm.encode(texts)  # type: ignore[attr-defined]
    for text, vec in zip(texts, fresh, strict=True):
        assert float(vec @ vectors[index[text_digest(text)]]) > 0.9999
