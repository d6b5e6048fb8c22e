"""Local generation with transformers: batched, left-padded, length-sorted, seeded per sample.

Work units are groups of items of similar prompt length (sorted, longest first, so a batch that
does not fit in memory fails at once rather than at the end); all samples of an item share one
unit and one prefill. On CUDA the default batch is sized from free memory and a unit that still
runs out of memory is split in halves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonscope.backends.base import (
    BackendLoadError,
    GenRequest,
    GenResult,
    Unit,
    cut_at_stop,
    first_line,
)
from reasonscope.fingerprint import (
    name_fingerprint,
    resolve_model_dir,
    tokenizer_fingerprint,
    weight_fingerprint,
)
from reasonscope.genconfig import GenerationConfig

if TYPE_CHECKING:
    import torch

CPU_BATCH = 64
MAX_CUDA_BATCH = 256
MEMORY_SHARE = 0.6
DTYPES = ("auto", "float32", "bfloat16", "float16")


def render_prompt(tokenizer: Any, prompt: str, config: GenerationConfig) -> str:
    """The chat template with Qwen3's enable_thinking when the tokenizer has one, else the
    plain prompt. A function of its own so that teacher-forced analyses condition on exactly
    the text generation was conditioned on."""
    if config.chat_template and getattr(tokenizer, "chat_template", None):
        extra = ({} if config.thinking == "auto"
                 else {"enable_thinking": config.thinking == "on"})
        text = tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
                                             tokenize=False, add_generation_prompt=True, **extra)
        return str(text)
    return prompt


class HFBackend:
    name = "hf"

    def __init__(self, model: str | Path, *, device: str | None = None, dtype: str | None = None,
                 batch_size: int | None = None, tokenizer: str | Path | None = None,
                 attn_implementation: str | None = None, trust_remote_code: bool = False
                 ) -> None:
        if dtype is not None and dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        if batch_size is not None and batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.model = str(model)
        self.model_dir = resolve_model_dir(model)
        self.tokenizer_source = str(tokenizer) if tokenizer else None
        self.batch_size = batch_size
        self._device_arg, self._dtype_arg = device, dtype
        self._attn, self._trust = attn_implementation, trust_remote_code
        self._tokenizer: Any = None
        self._model: Any = None
        self._lengths: dict[tuple[str, str], int] = {}

    # -- identity ---------------------------------------------------------------------------
    def fingerprint(self) -> str:
        if self.model_dir is None:
            raise FileNotFoundError(f"{self.model}: not a local model directory nor a cached hub "
                                    "model (no network access is attempted)")
        return weight_fingerprint(self.model_dir)

    def describe(self) -> dict[str, Any]:
        tok_dir = Path(self.tokenizer_source) if self.tokenizer_source else self.model_dir
        return {
            "backend": self.name,
            "model_dir": str(self.model_dir),
            "device": str(self.device),
            "dtype": self.dtype_name,
            "batch_size": self.batch_size,
            "tokenizer_fingerprint": (tokenizer_fingerprint(tok_dir) if tok_dir and
                                      tok_dir.is_dir() else name_fingerprint(str(tok_dir))),
        }

    # -- lazy state ---------------------------------------------------------------------------
    @property
    def device(self) -> torch.device:
        import torch

        if self._device_arg:
            return torch.device(self._device_arg)
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")

    @property
    def dtype_name(self) -> str:
        """bf16 on CUDA when supported; fp32 on CPU, where bf16 matmuls are many times slower."""
        if self._dtype_arg:
            return self._dtype_arg
        import torch

        if self.device.type == "cuda" and torch.cuda.is_bf16_supported():
            return "bfloat16"
        return "float32"

    @property
    def tokenizer(self) -> Any:
        if self._tokenizer is None:
            from transformers import AutoTokenizer

            source = self.tokenizer_source or str(self.model_dir or self.model)
            self._tokenizer = AutoTokenizer.from_pretrained(
                source, padding_side="left", trust_remote_code=self._trust)
        return self._tokenizer

    def load(self) -> Any:
        if self._model is None:
            import torch
            from transformers import AutoModelForCausalLM
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # our own progress bar is the one to watch
            dtype: Any = "auto" if self.dtype_name == "auto" else getattr(torch, self.dtype_name)
            kwargs: dict[str, Any] = {"dtype": dtype, "trust_remote_code": self._trust}
            if self._attn:
                kwargs["attn_implementation"] = self._attn
            model: Any = AutoModelForCausalLM.from_pretrained(str(self.model_dir or self.model),
                                                              **kwargs)
            self._model = model.to(self.device).eval()
        return self._model

    def prepare(self) -> None:
        """Load the tokenizer and the weights now: a broken checkpoint must fail before the run
        directory is created, with one line naming what is broken."""
        where = self.model_dir or self.model
        if self.model_dir is None:
            self.fingerprint()  # raises the not-found message
        source = self.tokenizer_source or str(where)
        try:
            tok = self.tokenizer
        except Exception as exc:  # transformers raises OSError, ValueError, JSON errors...
            raise BackendLoadError(f"{source}: cannot load the tokenizer "
                                   f"({first_line(exc)})") from None
        files = ("tokenizer.json", "tokenizer_config.json", "vocab.json", "tokenizer.model")
        local = Path(source)
        missing = local.is_dir() and not any((local / f).exists() for f in files)
        if missing or len(tok) < 2 or not tok("1 + 1 =", add_special_tokens=False)["input_ids"]:
            raise BackendLoadError(f"{source}: no tokenizer found (an empty vocabulary was "
                                   "built); put tokenizer.json / tokenizer_config.json beside "
                                   "the weights or pass a tokenizer")
        try:
            self.load()
        except Exception as exc:  # SafetensorError, OSError, RuntimeError on shape mismatch...
            raise BackendLoadError(f"{where}: cannot load the model weights "
                                   f"({first_line(exc)})") from None

    def context_length(self) -> int | None:
        cfg = getattr(self.load(), "config", None)
        cfg = getattr(cfg, "text_config", cfg)
        value = getattr(cfg, "max_position_embeddings", None)
        return int(value) if isinstance(value, int) else None

    def count_prompt_tokens(self, prompt: str, config: GenerationConfig) -> int:
        key = (prompt, config.hash())
        if key not in self._lengths:
            self._lengths[key] = len(self.encode(prompt, config))
        return self._lengths[key]

    def close(self) -> None:
        self._model = None
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    # -- prompts ------------------------------------------------------------------------------
    def render(self, prompt: str, config: GenerationConfig) -> str:
        return render_prompt(self.tokenizer, prompt, config)

    def encode(self, prompt: str, config: GenerationConfig) -> list[int]:
        templated = bool(config.chat_template and getattr(self.tokenizer, "chat_template", None))
        ids = self.tokenizer(self.render(prompt, config),
                             add_special_tokens=not templated)["input_ids"]
        return list(ids)

    # -- planning -----------------------------------------------------------------------------
    def _resolved_batch(self, longest_prompt: int, config: GenerationConfig) -> int:
        if self.batch_size is None:
            self.batch_size = self._memory_batch(longest_prompt + config.max_new_tokens)
        return self.batch_size

    def _memory_batch(self, seq_len: int) -> int:
        if self.device.type != "cuda":
            return CPU_BATCH
        import torch
        from transformers import AutoConfig

        cfg = AutoConfig.from_pretrained(str(self.model_dir or self.model),
                                         trust_remote_code=self._trust)
        cfg = getattr(cfg, "text_config", cfg)
        heads = cfg.num_attention_heads
        head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // heads
        kv = getattr(cfg, "num_key_value_heads", None) or heads
        elem = 4 if self.dtype_name == "float32" else 2
        per_token = 2 * cfg.num_hidden_layers * kv * head_dim * elem
        per_seq = seq_len * per_token + 6 * cfg.vocab_size * 4  # KV cache + sampling buffers
        free, _ = torch.cuda.mem_get_info(self.device)
        return max(1, min(MAX_CUDA_BATCH, int(free * MEMORY_SHARE // per_seq)))

    def plan(self, requests: Sequence[GenRequest], config: GenerationConfig) -> list[Unit]:
        """Longest prompts first, ties by item id; as many items per unit as fit the batch."""
        if not requests:
            return []
        lengths = {r.item_id: len(self.encode(r.prompt, config)) for r in requests}
        order = sorted(requests, key=lambda r: (-lengths[r.item_id], r.item_id))
        batch = self._resolved_batch(max(lengths.values()), config)
        per_unit = max(1, batch // max(len(r.seeds) for r in requests))
        return [tuple(order[i:i + per_unit]) for i in range(0, len(order), per_unit)]

    # -- generation ---------------------------------------------------------------------------
    def generate(self, units: Iterable[Unit], config: GenerationConfig
                 ) -> Iterator[tuple[Unit, list[GenResult]]]:
        for unit in units:
            yield unit, self._run(list(unit), config)

    def _run(self, requests: list[GenRequest], config: GenerationConfig) -> list[GenResult]:
        import torch

        try:
            return self._run_once(requests, config)
        except torch.OutOfMemoryError:
            if len(requests) == 1:
                raise
            torch.cuda.empty_cache()
            half = len(requests) // 2
            return self._run(requests[:half], config) + self._run(requests[half:], config)

    def _run_once(self, requests: list[GenRequest], config: GenerationConfig) -> list[GenResult]:
        from reasonscope.backends.decode import Sampling, decode, eos_token_ids

        model, tok = self.load(), self.tokenizer
        texts = [self.render(r.prompt, config) for r in requests]
        prompts = [self.encode(r.prompt, config) for r in requests]
        eos = eos_token_ids(model, tok)
        pad = tok.pad_token_id if tok.pad_token_id is not None else (eos[0] if eos else 0)
        stops = [s for s in config.stop if s]
        window = 2 * max((len(s) for s in stops), default=0) + 8

        def stop_check(ids: list[int]) -> bool:
            tail = tok.decode(ids[-window:], skip_special_tokens=True)
            return any(s in tail for s in stops)

        outs = decode(
            model, prompts, [len(r.seeds) for r in requests],
            [s for r in requests for s in r.seeds],
            Sampling(config.max_new_tokens, config.temperature, config.top_k, config.top_p),
            eos_ids=eos, pad_id=pad, stop_check=stop_check if stops else None,
        )
        results: list[GenResult] = []
        it = iter(outs)
        eos_set = set(eos)
        for req, text, ids in zip(requests, texts, prompts, strict=True):
            for index, seed in zip(req.sample_indices, req.seeds, strict=True):
                out = next(it)
                body = out.tokens[:-1] if out.tokens and out.tokens[-1] in eos_set else out.tokens
                completion, _ = cut_at_stop(tok.decode(body, skip_special_tokens=True), stops)
                results.append(GenResult(
                    item_id=req.item_id, sample_index=index, seed=seed, prompt=text,
                    completion=completion, finish_reason=out.finish_reason,
                    prompt_tokens=len(ids), completion_tokens=len(out.tokens),
                    latency_s=out.elapsed_s,
                ))
        return results

