"""Generation settings of a run. Their hash is part of every sample's resume key, so two runs
that sample differently can never be mixed up in one directory."""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_INSTRUCTION = (
    "Please reason step by step, and put your final answer within \\boxed{}."
)


class GenerationConfig(BaseModel):
    """Defaults follow the study: temperature 0.6, top-p 0.95, final answer in \\boxed{}."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    temperature: float = Field(default=0.6, ge=0, description="sampling temperature; 0 = greedy")
    top_p: float = Field(default=0.95, gt=0, le=1, description="nucleus sampling mass")
    top_k: int = Field(default=0, ge=0, description="0 disables top-k filtering")
    max_new_tokens: int = Field(default=1024, ge=1, description="completion token budget")
    samples: int = Field(default=1, ge=1, description="completions per item")
    seed: int = Field(default=0, description="base seed of every sample's sampler")
    thinking: Literal["on", "off", "auto"] = Field(
        default="auto", description="Qwen3 enable_thinking; auto leaves the template's default"
    )
    chat_template: bool = Field(default=True,
                                description="use the tokenizer's chat template if any")
    stop: tuple[str, ...] = ()
    instruction: str = DEFAULT_INSTRUCTION

    def hash(self) -> str:
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def build_user_prompt(question: str, config: GenerationConfig) -> str:
    """The text a model is asked: the item's question, then the answer-format instruction."""
    return f"{question}\n\n{config.instruction}" if config.instruction else question
