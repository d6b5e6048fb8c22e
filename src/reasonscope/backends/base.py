"""The backend interface: what the runner asks of any way of generating text.

The runner plans work in *units* (a tuple of requests that a backend generates together and the
runner persists as one shard). A unit is the grain of resumption and of sharing work between
processes, so `plan` must be deterministic: the same requests and config give the same units,
which is what lets a resumed run regenerate exactly the batches an uninterrupted one would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from reasonscope.genconfig import GenerationConfig

FINISH_REASONS: tuple[str, ...] = ("stop", "length")


@dataclass(frozen=True)
class GenRequest:
    """All wanted samples of one item: backends may share the prompt's prefill among them."""

    item_id: str
    prompt: str
    sample_indices: tuple[int, ...]
    seeds: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.sample_indices) != len(self.seeds) or not self.seeds:
            raise ValueError("a request needs one seed per sample index, and at least one")


@dataclass(frozen=True)
class GenResult:
    item_id: str
    sample_index: int
    seed: int
    prompt: str
    """The exact text the model was conditioned on when the backend renders it (chat template
    applied), else the user message sent to a chat endpoint."""
    completion: str
    finish_reason: str
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_s: float


Unit = tuple[GenRequest, ...]


class BackendLoadError(ValueError):
    """The model or its tokenizer cannot be loaded; the message names the path and the cause."""


def first_line(exc: BaseException, limit: int = 200) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:limit]


@runtime_checkable
class Backend(Protocol):
    name: str
    model: str

    def fingerprint(self) -> str:
        """Identity of the weights behind `model` (see reasonscope.fingerprint)."""
        ...

    def describe(self) -> dict[str, Any]:
        """Facts for the run manifest (device, dtype, server, tokenizer hash...)."""
        ...

    def plan(self, requests: Sequence[GenRequest], config: GenerationConfig) -> list[Unit]:
        """Deterministic partition of `requests` into units."""
        ...

    def generate(self, units: Iterable[Unit], config: GenerationConfig
                 ) -> Iterator[tuple[Unit, list[GenResult]]]:
        """Generate units (pulled lazily: the runner may skip some) and yield each once all its
        samples are done, in any order."""
        ...

    def close(self) -> None:
        ...


def sample_seed(base_seed: int, item_id: str, sample_index: int) -> int:
    """The sampler seed of one (item, sample): independent of batch layout, run order and of
    which samples were already done, so a resumed run draws exactly what a fresh one would."""
    blob = f"{base_seed}\0{item_id}\0{sample_index}".encode()
    return int.from_bytes(hashlib.sha256(blob).digest()[:8], "big") & ((1 << 63) - 1)


def cut_at_stop(text: str, stops: Sequence[str]) -> tuple[str, bool]:
    """Text before the earliest stop string (excluded, as OpenAI-compatible servers do)."""
    cut = min((i for i in (text.find(s) for s in stops if s) if i >= 0), default=-1)
    return (text[:cut], True) if cut >= 0 else (text, False)
