"""The model organism: a local tokenizer and a tiny Qwen3 model built from a config (no
download), used by tests and by the demo."""

from reasonscope.organism.model import build_model, default_corpus, save_pretrained_tiny
from reasonscope.organism.tokenizer import CHAT_TEMPLATE, build_tokenizer

__all__ = ["CHAT_TEMPLATE", "build_model", "build_tokenizer", "default_corpus",
           "save_pretrained_tiny"]
