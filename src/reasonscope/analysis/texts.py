"""The texts teacher-forced analyses run on: stored run samples, a JSONL file, or suite prompts.

A text is the exact string a model was conditioned on plus a completion. For a stored run of
the `hf` backend the stored prompt is already the rendered text (chat template applied); for a
chat endpoint the store keeps the user message, and it is rendered here with the same function
and generation settings the local backend uses, so the analysis sees what the model saw.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonscope.backends.hf import render_prompt
from reasonscope.engine.store import read_manifest, read_samples
from reasonscope.genconfig import GenerationConfig, build_user_prompt
from reasonscope.items import Item


class TextFileError(ValueError):
    """A texts file row is unusable; the message names the file and line."""


@dataclass(frozen=True)
class TextSample:
    index: int
    prompt: str
    """Exactly what the model was conditioned on (chat template already applied, if any)."""
    completion: str
    item_id: str | None = None
    behavior: str | None = None
    domain: str | None = None
    sample_index: int | None = None

    @property
    def cell(self) -> str:
        return f"{self.behavior or '?'}/{self.domain or '?'}"


def run_renders_prompt(run_dir: Path) -> bool:
    """Whether the stored prompts of a run still need the chat template (chat endpoints)."""
    manifest = read_manifest(run_dir)
    info = (manifest.model_extra or {}).get("backend_info") or {}
    return manifest.backend != "hf" and info.get("endpoint") == "chat"


def texts_from_run(run_dir: Path | str, tokenizer: Any = None, *, limit: int | None = None
                   ) -> list[TextSample]:
    """Every stored sample (sorted by item and sample index), prompts as the run rendered them.
    `tokenizer` is needed only for runs whose prompts were rendered by a chat server."""
    run_dir = Path(run_dir)
    table = read_samples(run_dir)
    manifest = read_manifest(run_dir)
    config = GenerationConfig.model_validate(manifest.gen_config) if manifest.gen_config \
        else GenerationConfig()
    render = run_renders_prompt(run_dir)
    if render and tokenizer is None:
        raise ValueError(f"{run_dir}: prompts were sent to a chat endpoint; a tokenizer is "
                         "needed to render them with its chat template")
    rows = sorted(table.select(["item_id", "sample_index", "behavior", "domain", "prompt",
                                "completion"]).to_pylist(),
                  key=lambda r: (r["item_id"], r["sample_index"]))
    if limit is not None:
        rows = rows[:limit]
    out = []
    for i, r in enumerate(rows):
        prompt = r["prompt"] or ""
        if render:
            prompt = render_prompt(tokenizer, prompt, config)
        out.append(TextSample(i, prompt, r["completion"] or "", r["item_id"], r["behavior"],
                              r["domain"], r["sample_index"]))
    return out


def texts_from_jsonl(path: Path | str, tokenizer: Any = None,
                     config: GenerationConfig | None = None) -> list[TextSample]:
    """Rows `{"prompt", "completion", ["behavior", "domain", "item_id"]}`; the prompt is taken
    as the exact conditioning text unless a tokenizer and config are given to render it."""
    path = Path(path)
    out: list[TextSample] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise TextFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TextFileError(f"{path}:{line_no}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise TextFileError(f"{path}:{line_no}: a row must be a JSON object")
        for key in ("prompt", "completion"):
            if not isinstance(row.get(key), str):
                raise TextFileError(f"{path}:{line_no}: field {key!r} must be a string")
        for key in ("behavior", "domain", "item_id"):
            if row.get(key) is not None and not isinstance(row[key], str):
                raise TextFileError(f"{path}:{line_no}: field {key!r} must be a string")
        prompt = row["prompt"]
        if tokenizer is not None and config is not None:
            prompt = render_prompt(tokenizer, prompt, config)
        out.append(TextSample(len(out), prompt, row["completion"], row.get("item_id"),
                              row.get("behavior"), row.get("domain")))
    if not out:
        raise TextFileError(f"{path}: no rows")
    return out


def texts_from_items(items: Sequence[Item], tokenizer: Any,
                     config: GenerationConfig | None = None) -> list[TextSample]:
    """Suite prompts as generation would render them, with empty completions."""
    config = config or GenerationConfig()
    return [TextSample(i, render_prompt(tokenizer, build_user_prompt(it.prompt, config), config),
                       "", it.id, it.behavior.value, it.domain.value)
            for i, it in enumerate(items)]
