"""Which tensors of a base and its tuned checkpoints can be compared, and why the others
cannot: present on one side only (with a hint when a same-shaped unmatched name on the other
side looks like a rename), reshaped, stored in another dtype, or tied.

A checkpoint whose config ties the output head to the input embedding stores no
`lm_head.weight`; when the other side stores one, the head is compared with the tied embedding
and the pairing is reported. Everything is reported by name with the file to look at; nothing
here raises on a mismatch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reasonscope.analysis.safetensors_io import Checkpoint, TensorEntry

HEAD_NAMES = ("lm_head.weight",)
EMBED_SUFFIXES = ("embed_tokens.weight", "wte.weight", "word_embeddings.weight")


@dataclass(frozen=True)
class Problem:
    """A tensor that could not be compared as it is, with the file(s) to look at."""

    kind: str  # missing | extra | shape | dtype | tied
    name: str
    detail: str


def _tied_target(ckpt: Checkpoint, name: str) -> str | None:
    """The embedding a missing head is tied to, when the checkpoint's config (or its absence)
    allows it."""
    if name not in HEAD_NAMES or ckpt.tie_word_embeddings is False:
        return None
    embeds = [n for n in ckpt.tensors if n.endswith(EMBED_SUFFIXES)]
    return embeds[0] if len(embeds) == 1 else None


def _resolve(ckpt: Checkpoint, name: str) -> tuple[TensorEntry | None, str]:
    if name in ckpt.tensors:
        return ckpt.tensors[name], ""
    target = _tied_target(ckpt, name)
    if target is not None:
        return ckpt.tensors[target], f"tied to {target} in {ckpt.path}"
    return None, ""


@dataclass(frozen=True)
class Pair:
    name: str
    base: TensorEntry
    tuned: list[TensorEntry]
    notes: list[str]


def _only(a: Checkpoint, b: Checkpoint) -> dict[str, TensorEntry]:
    """Tensors of `a` that `b` has neither under their name nor through a tie."""
    return {n: e for n, e in a.tensors.items() if _resolve(b, n)[0] is None}


def _renamed_hint(entry: TensorEntry, candidates: Mapping[str, TensorEntry]) -> str:
    """Point at a same-shaped tensor that is unmatched on the other side (a rename?)."""
    same = [n for n, e in candidates.items() if e.shape == entry.shape]
    return f" (same shape as unmatched {same[0]!r}: renamed?)" if same else ""


def _pair_note(bnote: str, tnote: str, b: TensorEntry, e: TensorEntry) -> str:
    parts = [f"base {bnote}" if bnote else "", f"tuned {tnote}" if tnote else "",
             f"dtype {b.dtype} vs {e.dtype}" if b.dtype != e.dtype else ""]
    return "; ".join(x for x in parts if x)


def pair_tensors(base: Checkpoint, tuned: Sequence[Checkpoint]
                 ) -> tuple[list[Pair], list[list[Problem]]]:
    """Names to compare (present, or tied, in base and every tuned model with one shape) and,
    per tuned model, the names it cannot be compared on."""
    problems: list[list[Problem]] = [[] for _ in tuned]
    for i, t in enumerate(tuned):
        base_only, tuned_only = _only(base, t), _only(t, base)
        for name, extra in tuned_only.items():
            problems[i].append(Problem("extra", name, f"in {extra.file} only, not in the base "
                                       f"{base.path}{_renamed_hint(extra, base_only)}"))
        for name, gone in base_only.items():
            problems[i].append(Problem("missing", name, f"in the base {gone.file}, not in "
                                       f"{t.path}{_renamed_hint(gone, tuned_only)}"))
    pairs: list[Pair] = []
    for name, b in base.tensors.items():
        entries: list[TensorEntry] = []
        notes: list[str] = []
        for i, t in enumerate(tuned):
            e, tnote = _resolve(t, name)
            if e is None:
                continue
            if b.shape != e.shape:
                problems[i].append(Problem("shape", name, f"base {list(b.shape)} in {b.file}, "
                                           f"tuned {list(e.shape)} in {e.file}"))
                continue
            if b.dtype != e.dtype:
                problems[i].append(Problem("dtype", name, f"{b.dtype} in {b.file}, "
                                           f"{e.dtype} in {e.file}"))
            entries.append(e)
            notes.append(_pair_note("", tnote, b, e))
            if tnote:
                problems[i].append(Problem("tied", name, f"tuned {tnote}; compared with the "
                                           f"base's own {name} in {b.file}"))
        if len(entries) == len(tuned):
            pairs.append(Pair(name, b, entries, notes))
    # a head the base ties to its embedding, stored on its own by a tuned model
    for name in HEAD_NAMES:
        if name in base.tensors:
            continue
        head, bnote = _resolve(base, name)
        found = [_resolve(t, name) for t in tuned]
        if head is None or any(e is None for e, _ in found):
            continue
        own = [e for e, _ in found if e is not None]
        comparable = (all(not tnote for _, tnote in found)
                      and all(e.shape == head.shape for e in own))
        if comparable:
            pairs.append(Pair(name, head, own, [_pair_note(bnote, "", head, e) for e in own]))
        for i, (e, tnote) in enumerate(found):
            if e is None or tnote:
                continue
            why = ("compared with the base's embedding" if comparable else
                   "not compared: another tuned model ties it, or its shape differs")
            problems[i].append(Problem("tied", name, f"base {bnote}; tuned stores its own head "
                                       f"in {e.file}; {why}"))
    return pairs, problems
