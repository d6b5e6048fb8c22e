"""Any OpenAI-compatible server: vLLM, SGLang, llama.cpp, hosted APIs.

Requests run on an asyncio loop in a background thread with bounded concurrency (a semaphore);
transient failures (429, 5xx, connection errors, timeouts) are retried with exponential backoff,
honouring Retry-After. By default every sample is its own request carrying its own seed, which
is what makes a sample reproducible on its own (servers with prefix caching, like vLLM and
SGLang, share the prompt's prefill anyway); `n_per_request` asks for all samples of an item in
one request with one seed instead.
"""

from __future__ import annotations

import asyncio
import queue
import random
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from reasonscope.backends.base import GenRequest, GenResult, Unit
from reasonscope.fingerprint import name_fingerprint, resolve_model_dir, weight_fingerprint
from reasonscope.genconfig import GenerationConfig

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
_DONE = object()


class OpenAIBackend:
    name = "openai"

    def __init__(self, model: str | Path, *, base_url: str | None = None,
                 api_key: str | None = None, endpoint: Literal["chat", "completions"] = "chat",
                 concurrency: int = 16, timeout_s: float = 600.0, max_retries: int = 6,
                 backoff_s: float = 0.5, n_per_request: bool = False,
                 batch_size: int | None = None, weights: str | Path | None = None) -> None:
        if endpoint not in ("chat", "completions"):
            raise ValueError("endpoint must be 'chat' or 'completions'")
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        self.model = str(model)
        self.base_url = base_url
        self.api_key = api_key or "EMPTY"
        self.endpoint = endpoint
        self.concurrency = concurrency
        self.timeout_s, self.max_retries, self.backoff_s = timeout_s, max_retries, backoff_s
        self.n_per_request = n_per_request
        self.batch_size = batch_size
        self.weights = Path(weights) if weights else resolve_model_dir(model)
        self.retries = 0

    def fingerprint(self) -> str:
        """The served weights when they are on this disk (`weights`, or `model` naming a local
        directory, as vLLM's model names often do); else only the name and server."""
        if self.weights is not None and self.weights.is_dir():
            try:
                return weight_fingerprint(self.weights)
            except FileNotFoundError:
                pass
        return name_fingerprint("openai", self.base_url or "", self.model)

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "base_url": self.base_url, "endpoint": self.endpoint,
                "concurrency": self.concurrency, "n_per_request": self.n_per_request,
                "batch_size": self.batch_size}

    def plan(self, requests: Sequence[GenRequest], config: GenerationConfig) -> list[Unit]:
        """Items in the given order, about `batch_size` samples (default 4 x concurrency) per
        unit; units are pipelined, so their size only sets how often a shard is written."""
        if not requests:
            return []
        size = self.batch_size or 4 * self.concurrency
        per_unit = max(1, size // max(len(r.seeds) for r in requests))
        return [tuple(requests[i:i + per_unit]) for i in range(0, len(requests), per_unit)]

    def close(self) -> None:
        return None

    # -- generation ---------------------------------------------------------------------------
    def generate(self, units: Iterable[Unit], config: GenerationConfig
                 ) -> Iterator[tuple[Unit, list[GenResult]]]:
        out: queue.Queue[Any] = queue.Queue()
        stop = threading.Event()

        def work() -> None:
            try:
                asyncio.run(self._produce(units, config, out, stop))
                out.put(_DONE)
            except BaseException as exc:  # handed to the consumer thread
                out.put(exc)

        thread = threading.Thread(target=work, name="openai-backend", daemon=True)
        thread.start()
        try:
            while True:
                got = out.get()
                if got is _DONE:
                    break
                if isinstance(got, BaseException):
                    raise got
                yield got
        finally:
            stop.set()
            thread.join(timeout=5)

    async def _produce(self, units: Iterable[Unit], config: GenerationConfig,
                       out: queue.Queue[Any], stop: threading.Event) -> None:
        from openai import AsyncOpenAI

        client = AsyncOpenAI(base_url=self.base_url, api_key=self.api_key, max_retries=0,
                             timeout=self.timeout_s)
        sem = asyncio.Semaphore(self.concurrency)
        pending: dict[asyncio.Task[None], int] = {}

        async def run_unit(unit: Unit) -> None:
            parts = await asyncio.gather(*(self._item(client, sem, r, config) for r in unit))
            out.put((unit, [res for part in parts for res in part]))

        async def settle(when: str) -> None:
            done, _ = await asyncio.wait(pending, return_when=when)
            for task in done:
                pending.pop(task)
                task.result()  # re-raise a request that failed for good

        source = iter(units)
        try:
            while not stop.is_set():
                # the runner's iterator may block (claims, waiting on other writers): off-loop
                unit = await asyncio.to_thread(next, source, None)
                if unit is None:
                    break
                pending[asyncio.create_task(run_unit(unit))] = _n_requests(unit)
                # pull more units (and claim them) only while the server has work queued
                while sum(pending.values()) >= 2 * self.concurrency:
                    await settle(asyncio.FIRST_COMPLETED)
            while pending:
                await settle(asyncio.FIRST_EXCEPTION)
        finally:
            for task in pending:
                task.cancel()
            await client.close()

    async def _item(self, client: Any, sem: asyncio.Semaphore, req: GenRequest,
                    config: GenerationConfig) -> list[GenResult]:
        if self.n_per_request:
            return await self._call(client, sem, req, config, req.sample_indices, req.seeds[0])
        parts = await asyncio.gather(*(
            self._call(client, sem, req, config, (index,), seed)
            for index, seed in zip(req.sample_indices, req.seeds, strict=True)))
        return [r for part in parts for r in part]

    def _params(self, req: GenRequest, config: GenerationConfig, n: int, seed: int
                ) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if config.top_k > 0:
            extra["top_k"] = config.top_k
        if self.endpoint == "chat" and config.thinking != "auto":
            extra["chat_template_kwargs"] = {"enable_thinking": config.thinking == "on"}
        params: dict[str, Any] = {
            "model": self.model, "temperature": config.temperature, "top_p": config.top_p,
            "max_tokens": config.max_new_tokens, "n": n, "seed": seed,
        }
        if config.stop:
            params["stop"] = list(config.stop)
        if extra:
            params["extra_body"] = extra
        if self.endpoint == "chat":
            params["messages"] = [{"role": "user", "content": req.prompt}]
        else:
            params["prompt"] = req.prompt
        return params

    async def _call(self, client: Any, sem: asyncio.Semaphore, req: GenRequest,
                    config: GenerationConfig, indices: tuple[int, ...], seed: int
                    ) -> list[GenResult]:
        params = self._params(req, config, len(indices), seed)
        api = client.chat.completions if self.endpoint == "chat" else client.completions
        async with sem:
            start = time.perf_counter()
            resp = await self._with_retries(lambda: api.create(**params))
            latency = time.perf_counter() - start
        choices = sorted(resp.choices, key=lambda c: c.index)
        if len(choices) < len(indices):
            raise RuntimeError(f"{self.base_url}: asked for n={len(indices)} completions, got "
                               f"{len(choices)}; this server may not support n (drop "
                               "n_per_request)")
        usage = getattr(resp, "usage", None)
        prompt_tokens = getattr(usage, "prompt_tokens", None)
        completion_tokens = getattr(usage, "completion_tokens", None) if len(indices) == 1 else None
        return [
            GenResult(item_id=req.item_id, sample_index=index, seed=seed, prompt=req.prompt,
                      completion=self._text(choice), finish_reason=_finish(choice),
                      prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                      latency_s=latency)
            for index, choice in zip(indices, choices, strict=False)
        ]

    def _text(self, choice: Any) -> str:
        if self.endpoint != "chat":
            return str(choice.text or "")
        msg = choice.message
        content = str(msg.content or "")
        reasoning = getattr(msg, "reasoning_content", None) or getattr(msg, "reasoning", None)
        if reasoning and "<think>" not in content:
            return f"<think>{reasoning}</think>{content}"
        return content

    async def _with_retries(self, call: Any) -> Any:
        import openai

        for attempt in range(self.max_retries + 1):
            try:
                return await call()
            except (openai.APIConnectionError, openai.APIStatusError) as exc:
                status = getattr(exc, "status_code", None)
                transient = status is None or status in RETRY_STATUS
                if not transient or attempt == self.max_retries:
                    raise
                self.retries += 1
                await asyncio.sleep(self._delay(attempt, exc))
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, exc: Exception) -> float:
        response = getattr(exc, "response", None)
        header = response.headers.get("retry-after") if response is not None else None
        if header is not None:
            try:
                return max(0.0, float(header))
            except ValueError:
                pass
        return float(self.backoff_s * 2 ** attempt * (1 + random.random() / 2))


def _n_requests(unit: Unit) -> int:
    return sum(len(r.seeds) for r in unit)


def _finish(choice: Any) -> str:
    reason = getattr(choice, "finish_reason", None)
    return "length" if reason == "length" else "stop" if reason in (None, "stop", "eos") \
        else str(reason)
