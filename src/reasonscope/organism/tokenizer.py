"""A small byte-level BPE tokenizer with a Qwen3-style chat template.

Byte-level BPE never meets an unknown character, so any prompt of any suite can be encoded by a
tokenizer trained on a few hundred lines. `<think>`/`</think>` are ordinary added tokens (not
special), as in Qwen3, so decoding with `skip_special_tokens=True` keeps the reasoning block
visible to the scorer, which must look past it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerFast

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
END_OF_TEXT = "<|endoftext|>"
PAD = "<|pad|>"
THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
SPECIAL_TOKENS: tuple[str, ...] = (END_OF_TEXT, IM_START, IM_END, PAD)
THINK_TOKENS: tuple[str, ...] = (THINK_OPEN, THINK_CLOSE)

# Qwen3's template reduced to what a single-turn evaluation and SFT need: the same markers, and
# `enable_thinking=False` pre-fills an empty think block so the model answers directly.
CHAT_TEMPLATE = (
    "{%- for message in messages -%}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}"
    "{{- '<|im_start|>assistant\\n' -}}"
    "{%- if enable_thinking is defined and enable_thinking is false -%}"
    "{{- '<think>\\n\\n</think>\\n\\n' -}}"
    "{%- endif -%}"
    "{%- endif -%}"
)


def build_tokenizer(corpus: Iterable[str], vocab_size: int = 1024, *,
                    split_digits: bool = False) -> PreTrainedTokenizerFast:
    """Train a byte-level BPE on `corpus`; the result has at most `vocab_size` tokens.

    `split_digits` keeps every digit a token of its own: a small model then sees `347` as three
    symbols with a place each, as arithmetic needs, instead of one opaque merged token."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    n_fixed = len(SPECIAL_TOKENS) + len(THINK_TOKENS)
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    if vocab_size < len(alphabet) + n_fixed:
        raise ValueError(f"vocab_size must be >= {len(alphabet) + n_fixed} (bytes + markers)")
    tok = Tokenizer(models.BPE())
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.pre_tokenizer = (pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True),
                                                  byte_level])
                         if split_digits else byte_level)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - len(THINK_TOKENS),
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=alphabet,
        min_frequency=2,
        show_progress=False,
    )
    tok.train_from_iterator((t for t in corpus if t), trainer=trainer)
    tok.add_tokens([AddedToken(t, special=False, normalized=False) for t in THINK_TOKENS])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token=IM_END,
        pad_token=PAD,
        padding_side="left",
        chat_template=CHAT_TEMPLATE,
        model_max_length=1 << 20,
    )
