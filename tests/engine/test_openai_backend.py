"""The openai backend against a local OpenAI-compatible server (retries, seeds, n, endpoints)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
from rs_fake_openai import FakeServer, fake_text

from reasonscope.backends import get_backend, sample_seed
from reasonscope.engine.runner import run_items as evaluate
from reasonscope.engine.store import read_samples
from reasonscope.genconfig import GenerationConfig, build_user_prompt
from reasonscope.items import Item

CFG = GenerationConfig(samples=2, max_new_tokens=32, seed=5)


@pytest.fixture()
def server(tiny_items: list[Item]) -> Iterator[FakeServer]:
    srv = FakeServer(fail_first={tiny_items[0].prompt, tiny_items[3].prompt},
                     throttle_first={tiny_items[1].prompt})
    srv.url = srv.start()  # type: ignore[attr-defined]
    yield srv
    srv.stop()


def _run(server: FakeServer, items: list[Item], out: Path, config: GenerationConfig = CFG,
         **kw: object) -> object:
    return evaluate("fake-model", items, config, out, suite_name="t", suite_hash="h",
                    backend="openai", base_url=server.url,  # type: ignore[attr-defined]
                    progress=False, backoff_s=0.01, concurrency=3, **kw)


def test_chat_requests_with_retries_and_seeds(server: FakeServer, tiny_items: list[Item],
                                              tmp_path: Path) -> None:
    summary = _run(server, tiny_items, tmp_path / "run", batch_size=4)
    rows = read_samples(tmp_path / "run").to_pylist()
    assert len(rows) == 2 * len(tiny_items) == summary.n_new  # type: ignore[attr-defined]
    # every sample of 2 prompts failed once (500) and of 1 prompt was throttled once (429)
    assert server.errors_sent == 6 and len(server.requests) == len(rows) + 6
    by_id = {i.id: i for i in tiny_items}
    for r in rows:
        prompt = build_user_prompt(by_id[r["item_id"]].prompt, CFG)
        assert r["seed"] == sample_seed(5, r["item_id"], r["sample_index"])
        assert r["completion"] == fake_text(prompt, r["seed"], 0)
        assert r["prompt"] == prompt and r["finish_reason"] == "stop"
        assert r["completion_tokens"] == len(r["completion"].split(" "))
        assert r["parse_status"] == "ok"
    sent = server.requests[0]
    assert sent["temperature"] == 0.6 and sent["top_p"] == 0.95 and sent["max_tokens"] == 32
    assert "top_k" not in sent and "chat_template_kwargs" not in sent
    again = _run(server, tiny_items, tmp_path / "run", batch_size=4)
    assert again.n_new == 0  # type: ignore[attr-defined]


def test_completions_endpoint_with_n_per_request(server: FakeServer, tiny_items: list[Item],
                                                 tmp_path: Path) -> None:
    config = CFG.model_copy(update={"top_k": 20, "max_new_tokens": 4, "stop": ("END",)})
    _run(server, tiny_items[:4], tmp_path / "run", config, endpoint="completions",
         n_per_request=True)
    rows = read_samples(tmp_path / "run").to_pylist()
    assert len(rows) == 8
    ok_requests = [r for r in server.requests if "prompt" in r]
    assert all(r["n"] == 2 and r["top_k"] == 20 and r["stop"] == ["END"] for r in ok_requests)
    for r in rows:
        item_seed = sample_seed(5, r["item_id"], 0)  # one seed per item in this mode
        assert r["seed"] == item_seed
        full = fake_text(r["prompt"], item_seed, r["sample_index"])
        assert r["completion"] == " ".join(full.split(" ")[:4])
        assert r["finish_reason"] == "length" and r["completion_tokens"] is None
        assert r["parse_status"] == "truncated"


def test_thinking_switch_reaches_the_server(server: FakeServer, tiny_items: list[Item],
                                            tmp_path: Path) -> None:
    _run(server, tiny_items[:1], tmp_path / "run", CFG.model_copy(update={"thinking": "off"}))
    assert server.requests[-1]["chat_template_kwargs"] == {"enable_thinking": False}


def test_client_errors_are_not_retried_and_finished_units_stay(tiny_items: list[Item],
                                                               tmp_path: Path) -> None:
    srv = FakeServer(reject={tiny_items[-1].prompt})
    srv.url = srv.start()  # type: ignore[attr-defined]
    try:
        with pytest.raises(openai.BadRequestError):
            _run(srv, tiny_items, tmp_path / "run", batch_size=2)
        rejected = [r for r in srv.requests if tiny_items[-1].prompt in r["messages"][0]["content"]]
        assert len(rejected) == 2  # its two samples, each tried once
        assert 0 < read_samples(tmp_path / "run").num_rows < 2 * len(tiny_items)
    finally:
        srv.stop()


def test_fingerprints_of_served_models(tiny_model_dir: Path) -> None:
    a = get_backend("openai", "m", base_url="http://a/v1").fingerprint()
    assert a == get_backend("openai", "m", base_url="http://a/v1").fingerprint()
    assert a != get_backend("openai", "m", base_url="http://b/v1").fingerprint()
    assert a != get_backend("openai", "m2", base_url="http://a/v1").fingerprint()
    from reasonscope.fingerprint import weight_fingerprint

    local = get_backend("vllm", str(tiny_model_dir)).fingerprint()
    assert local == weight_fingerprint(tiny_model_dir)
    with pytest.raises(ValueError, match="do not apply"):
        get_backend("openai", "m", device="cuda")
    with pytest.raises(ValueError, match="unknown backend"):
        get_backend("tgi", "m")
