"""The reserved KV cache: the same keys, values and tokens as transformers' DynamicCache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import DynamicCache
from transformers.cache_utils import DynamicLayer

from reasonscope.backends import kvcache
from reasonscope.backends.decode import Sampling, decode
from reasonscope.backends.kvcache import ReservedLayer, reserved_cache


def _kv(b: int, n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(b, 2, n, 8, generator=g), torch.randn(b, 2, n, 8, generator=g)


def test_layer_holds_what_a_dynamic_layer_holds_through_growth_select_and_crop() -> None:
    plain, reserved = DynamicLayer(), ReservedLayer(capacity=5)
    for step, n in enumerate((3, 1, 1, 4, 1)):  # 3 + 1 + 1 fill the reservation; 4 grows it
        k, v = _kv(4, n, step)
        want, got = plain.update(k, v), reserved.update(k, v)
        assert torch.equal(want[0], got[0]) and torch.equal(want[1], got[1])
        assert reserved.get_seq_length() == plain.get_seq_length()
    assert reserved._k is not None and reserved._k.shape[-2] >= 10
    keep = torch.tensor([3, 1])
    plain.batch_select_indices(keep)
    reserved.batch_select_indices(keep)
    plain.crop(-2)
    reserved.crop(-2)
    for a, b in ((plain.keys, reserved.keys), (plain.values, reserved.values)):
        assert a is not None and b is not None and torch.equal(a, b)
    k, v = _kv(2, 1, 9)  # written after the crop: over the removed positions
    assert torch.equal(plain.update(k, v)[0], reserved.update(k, v)[0])
    with pytest.raises(ValueError, match="negative"):
        reserved.crop(1)


def test_writes_land_in_the_reservation_without_copying_the_cache() -> None:
    layer = ReservedLayer(capacity=16)
    layer.update(*_kv(2, 4, 0))
    storage = layer._k.data_ptr() if layer._k is not None else None
    for step in range(12):
        layer.update(*_kv(2, 1, step + 1))
    assert layer._k is not None and layer._k.data_ptr() == storage
    assert layer.get_seq_length() == 16


@pytest.fixture(scope="module")
def model_tok(tiny_model_dir: Path) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return (AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval(),
            AutoTokenizer.from_pretrained(tiny_model_dir))


def test_only_plain_layers_are_replaced(model_tok: tuple[Any, Any]) -> None:
    model, _ = model_tok
    cache = reserved_cache(model.config, 64)
    assert cache.layers and all(isinstance(la, ReservedLayer) for la in cache.layers)
    assert reserved_cache(None, 64).layers == []  # no config: transformers' lazy layers


def test_decode_samples_the_same_tokens_as_with_dynamic_cache(
        model_tok: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    model, tok = model_tok
    prompts = [tok(p, add_special_tokens=False)["input_ids"]
               for p in ("2 + 2 =", "The capital of France is a long", "x")]
    spec = Sampling(max_new_tokens=40, temperature=1.0, top_k=0, top_p=0.95)
    kw: dict[str, Any] = dict(eos_ids=[tok.eos_token_id], pad_id=tok.pad_token_id or 0)
    got = decode(model, prompts, [3, 2, 3], list(range(8)), spec, **kw)
    used: list[type] = []

    def dynamic(config: Any, capacity: int) -> DynamicCache:
        cache = DynamicCache(config=config)
        used.extend(type(la) for la in cache.layers)
        return cache

    monkeypatch.setattr(kvcache, "reserved_cache", dynamic)  # decode imports it per call
    want = decode(model, prompts, [3, 2, 3], list(range(8)), spec, **kw)
    assert used and ReservedLayer not in used  # the baseline really ran on DynamicLayer
    assert [o.tokens for o in got] == [o.tokens for o in want]
    assert sum(len(o.tokens) for o in got) > 40  # long enough to have compacted the batch
