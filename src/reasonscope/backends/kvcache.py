"""A KV cache whose layers write into storage reserved for the whole generation.

transformers' DynamicLayer appends each step's keys and values with `torch.cat`, which copies
the layer's whole cache every step: a decode of n tokens copies O(n^2) of it, and for a small
model on a CPU that copy costs more than the matmuls (benchmarks/bench_kvcache.py). Here the
storage for prompt + max_new_tokens positions is allocated once at prefill and each step writes
one slice of it; attention reads a view of the filled part, so it sees the same numbers in the
same layout of the sequence axis as with DynamicLayer, and the tokens are the same.
"""

from __future__ import annotations

from typing import Any

import torch
from transformers.cache_utils import DynamicCache, DynamicLayer


class ReservedLayer(DynamicLayer):
    """DynamicLayer with its sequence axis pre-allocated to `capacity` positions; it grows
    (by doubling) only when asked to hold more."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity
        self.length = 0
        self._k: torch.Tensor | None = None
        self._v: torch.Tensor | None = None

    def lazy_initialization(self, key_states: torch.Tensor, value_states: torch.Tensor) -> None:
        super().lazy_initialization(key_states, value_states)
        self.length = 0
        self._k = self._v = None

    def _reserve(self, needed: int, key_states: torch.Tensor, value_states: torch.Tensor
                 ) -> None:
        if self._k is not None and needed <= self._k.shape[-2]:
            return
        cap = max(needed, self.capacity, 2 * (self._k.shape[-2] if self._k is not None else 0))
        b, h, _, d = key_states.shape
        k = key_states.new_empty((b, h, cap, d))
        v = value_states.new_empty((b, h, cap, value_states.shape[-1]))
        if self._k is not None and self._v is not None and self.length:
            k[:, :, : self.length] = self._k[:, :, : self.length]
            v[:, :, : self.length] = self._v[:, :, : self.length]
        self._k, self._v = k, v

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args: Any,
               **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        end = self.length + key_states.shape[-2]
        self._reserve(end, key_states, value_states)
        assert self._k is not None and self._v is not None
        self._k[:, :, self.length:end] = key_states
        self._v[:, :, self.length:end] = value_states
        self.length = end
        self.keys, self.values = self._k[:, :, :end], self._v[:, :, :end]
        return self.keys, self.values

    def get_seq_length(self) -> int:
        return self.length if self.is_initialized else 0

    def crop(self, tokens_to_remove: int) -> None:
        if tokens_to_remove > 0:
            raise ValueError("crop takes a negative count of tokens to remove")
        if tokens_to_remove == 0 or self._k is None or self._v is None:
            return
        self.length = max(0, self.length + tokens_to_remove)
        self.keys, self.values = self._k[:, :, : self.length], self._v[:, :, : self.length]

    def batch_repeat_interleave(self, repeats: int) -> None:
        self._select(lambda t: t.repeat_interleave(repeats, dim=0))

    def batch_select_indices(self, indices: torch.Tensor) -> None:
        self._select(lambda t: t[indices, ...])

    def reorder_cache(self, beam_idx: torch.LongTensor) -> None:
        self._select(lambda t: t.index_select(0, beam_idx.to(t.device)))

    def _select(self, fn: Any) -> None:
        if self._k is None or self._v is None or not self.length:
            return
        self._k, self._v = fn(self._k), fn(self._v)
        self.keys, self.values = self._k[:, :, : self.length], self._v[:, :, : self.length]


def reserved_cache(config: Any, capacity: int) -> DynamicCache:
    """transformers' DynamicCache for `config`, its plain full-attention layers replaced by
    ReservedLayer; sliding-window and other special layers are kept as transformers makes them."""
    cache = DynamicCache(config=config)
    for i, layer in enumerate(cache.layers):
        if type(layer) is DynamicLayer:
            cache.layers[i] = ReservedLayer(capacity)
    return cache
