"""Weight fingerprints: two checkpoints saved under the same name must never share results.

A fingerprint hashes what identifies the weights: the safetensors index, each weight file's name
and size, and bytes sampled from inside every file. Files up to FULL_HASH_BYTES are hashed
whole (exact for small models); larger ones contribute their header (which lists every tensor)
and SAMPLES chunks spread over the data, enough to tell apart checkpoints that differ anywhere
broadly (fine-tuning moves nearly every tensor) while reading megabytes, not gigabytes.
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

WEIGHT_PATTERNS: tuple[str, ...] = ("*.safetensors", "*.bin", "*.pt", "*.gguf")
INDEX_PATTERNS: tuple[str, ...] = ("*.safetensors.index.json", "*.bin.index.json")
TOKENIZER_FILES: tuple[str, ...] = ("tokenizer.json", "tokenizer_config.json",
                                    "chat_template.jinja", "chat_template.json",
                                    "special_tokens_map.json", "generation_config.json")
FULL_HASH_BYTES = 128 * 1024 * 1024
SAMPLES = 64
CHUNK = 64 * 1024


def _file_digest(path: Path, h: hashlib._Hash) -> None:
    size = path.stat().st_size
    h.update(f"{path.name}\0{size}\0".encode())
    with path.open("rb") as fh:
        if size <= FULL_HASH_BYTES:
            while block := fh.read(1 << 20):
                h.update(block)
            return
        head = fh.read(8)
        h.update(head)
        if path.suffix == ".safetensors" and len(head) == 8:
            (header_len,) = struct.unpack("<Q", head)
            h.update(fh.read(min(header_len, 100 * 1024 * 1024)))
        for k in range(SAMPLES):
            fh.seek((size - CHUNK) * k // (SAMPLES - 1))
            h.update(fh.read(CHUNK))


def _weight_files(model_dir: Path) -> list[Path]:
    files = {p for pat in WEIGHT_PATTERNS for p in model_dir.glob(pat) if p.is_file()}
    if any(p.suffix == ".safetensors" for p in files):
        files = {p for p in files if p.suffix == ".safetensors"}
    return sorted(files)


def weight_fingerprint(model_dir: Path) -> str:
    """sha256 over the weight index, weight file names and sizes, and their (sampled) bytes."""
    model_dir = Path(model_dir)
    files = _weight_files(model_dir)
    if not files:
        raise FileNotFoundError(f"{model_dir}: no weight files ({', '.join(WEIGHT_PATTERNS)})")
    h = hashlib.sha256(b"reasonscope-weights-v1\0")
    for pat in INDEX_PATTERNS:
        for index in sorted(model_dir.glob(pat)):
            data = json.loads(index.read_text(encoding="utf-8"))
            h.update(json.dumps(data.get("weight_map", data), sort_keys=True).encode())
    for path in files:
        _file_digest(path, h)
    return h.hexdigest()


def tokenizer_fingerprint(model_dir: Path) -> str:
    """Hash of the tokenizer and chat-template files: the same weights behind another template
    are prompted differently, so a run records this beside the weight fingerprint."""
    h = hashlib.sha256(b"reasonscope-tokenizer-v1\0")
    for name in TOKENIZER_FILES:
        path = Path(model_dir) / name
        if path.is_file():
            h.update(name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def name_fingerprint(*parts: str) -> str:
    """For models only reachable by name (a server): the name is all that can be checked."""
    return "name:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def resolve_model_dir(model: str | Path) -> Path | None:
    """A local directory for `model`: the path itself, or a Hugging Face cache snapshot of a hub
    id (without network access). None when neither exists."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve()
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(str(model), local_files_only=True))
    except Exception:
        return None
