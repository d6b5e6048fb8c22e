"""Ways of generating completions, behind one small interface (reasonscope.backends.base).

`hf` runs the model in this process with transformers; `openai` talks to any OpenAI-compatible
server. `vllm` and `sglang` are the `openai` backend with those servers' default local address.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reasonscope.backends.base import Backend, GenRequest, GenResult, Unit, sample_seed

SERVER_DEFAULTS: dict[str, str] = {
    "vllm": "http://127.0.0.1:8000/v1",
    "sglang": "http://127.0.0.1:30000/v1",
}


BackendFactory = Callable[..., Backend]
"""(model, *, device, dtype, batch_size, **options) -> Backend."""


def _hf(model: str | Path, *, device: str | None = None, dtype: str | None = None,
        batch_size: int | None = None, **kwargs: Any) -> Backend:
    from reasonscope.backends.hf import HFBackend

    return HFBackend(model, device=device, dtype=dtype, batch_size=batch_size, **kwargs)


def _server(name: str) -> BackendFactory:
    def make(model: str | Path, *, device: str | None = None, dtype: str | None = None,
             batch_size: int | None = None, **kwargs: Any) -> Backend:
        if device or dtype:
            raise ValueError(f"--device/--dtype do not apply to the {name} backend (the server "
                             "decides)")
        from reasonscope.backends.openai_compat import OpenAIBackend

        if name in SERVER_DEFAULTS:
            kwargs.setdefault("base_url", SERVER_DEFAULTS[name])
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        return OpenAIBackend(model, batch_size=batch_size, **kwargs)

    return make


REGISTRY: dict[str, BackendFactory] = {"hf": _hf, "openai": _server("openai"),
                                       **{n: _server(n) for n in SERVER_DEFAULTS}}
BACKENDS: tuple[str, ...] = tuple(REGISTRY)


def register_backend(name: str, factory: BackendFactory) -> None:
    """Make `backend=name` (API) and `--backend name` (CLI) build backends with `factory`."""
    global BACKENDS
    REGISTRY[name] = factory
    BACKENDS = tuple(REGISTRY)


def get_backend(name: str, model: str | Path, *, device: str | None = None,
                dtype: str | None = None, batch_size: int | None = None,
                **kwargs: Any) -> Backend:
    """Build a backend by name; options that do not apply to it are an error, not ignored."""
    if name not in REGISTRY:
        raise ValueError(f"unknown backend {name!r}; expected one of {', '.join(REGISTRY)}")
    return REGISTRY[name](model, device=device, dtype=dtype, batch_size=batch_size, **kwargs)


__all__ = ["BACKENDS", "REGISTRY", "Backend", "BackendFactory", "GenRequest", "GenResult",
           "Unit", "get_backend", "register_backend", "sample_seed"]
