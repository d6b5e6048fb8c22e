"""Checkpoint indexing: single files, shards with an index, and every way a checkpoint can be
broken, each an error naming the file (and tensor) before any tensor is read."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest
import torch
from rs_analysiskit import write_checkpoint

from reasonscope.analysis.safetensors_io import (
    CheckpointError,
    load_tensor,
    open_checkpoint,
    read_header,
)


def _tensors() -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    return {f"model.layers.{i}.mlp.up_proj.weight": torch.randn(32, 16, generator=g)
            for i in range(4)}


def test_sharded_index_maps_every_tensor_to_its_shard(tmp_path: Path) -> None:
    tensors = _tensors()
    write_checkpoint(tmp_path, tensors, shards=2)
    ck = open_checkpoint(tmp_path)
    assert ck.index_file == tmp_path / "model.safetensors.index.json"
    assert len(ck.files) == 2 and set(ck.tensors) == set(tensors)
    for name, entry in ck.tensors.items():
        assert entry.dtype == "F32" and entry.shape == (32, 16)
        assert torch.equal(load_tensor(entry), tensors[name])
    assert ck.total_bytes == 4 * 32 * 16 * 4


def test_a_single_file_path_works(tmp_path: Path) -> None:
    write_checkpoint(tmp_path, _tensors())
    ck = open_checkpoint(tmp_path / "model.safetensors")
    assert len(ck.tensors) == 4 and ck.index_file is None


def _truncate(path: Path, drop: int) -> None:
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.truncate(size - drop)


def test_truncated_shard_names_the_file_and_the_tensor(tmp_path: Path) -> None:
    write_checkpoint(tmp_path, _tensors(), shards=2)
    shard = tmp_path / "model-00002-of-00002.safetensors"
    _truncate(shard, 100)
    with pytest.raises(CheckpointError) as info:
        open_checkpoint(tmp_path)
    msg = str(info.value)
    assert str(shard) in msg and "truncated" in msg
    assert "model.layers.3.mlp.up_proj.weight" in msg


def test_truncated_inside_the_header(tmp_path: Path) -> None:
    write_checkpoint(tmp_path, _tensors())
    path = tmp_path / "model.safetensors"
    (header_len,) = struct.unpack("<Q", path.read_bytes()[:8])
    with path.open("r+b") as fh:
        fh.truncate(8 + header_len // 2)
    with pytest.raises(CheckpointError, match="truncated: the header needs"):
        read_header(path)
    path.write_bytes(b"abc")
    with pytest.raises(CheckpointError, match="shorter than the 8-byte"):
        read_header(path)


def test_garbage_header_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    body = b"{not json" + b" " * 7
    path.write_bytes(struct.pack("<Q", len(body)) + body)
    with pytest.raises(CheckpointError, match=r"model\.safetensors: header is not valid JSON"):
        open_checkpoint(tmp_path)


def test_offsets_that_disagree_with_the_shape(tmp_path: Path) -> None:
    meta = {"w": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 60]}}
    body = json.dumps(meta).encode()
    path = tmp_path / "model.safetensors"
    path.write_bytes(struct.pack("<Q", len(body)) + body + b"\0" * 64)
    with pytest.raises(CheckpointError, match="tensor 'w': data_offsets span 60 bytes"):
        open_checkpoint(path)


def test_index_pointing_at_a_missing_shard_or_tensor(tmp_path: Path) -> None:
    write_checkpoint(tmp_path, _tensors(), shards=2)
    index = tmp_path / "model.safetensors.index.json"
    data = json.loads(index.read_text())
    data["weight_map"]["model.extra.weight"] = "model-00001-of-00002.safetensors"
    index.write_text(json.dumps(data))
    with pytest.raises(CheckpointError, match=r"'model\.extra\.weight' is mapped to"):
        open_checkpoint(tmp_path)
    del data["weight_map"]["model.extra.weight"]
    os.remove(tmp_path / "model-00002-of-00002.safetensors")
    index.write_text(json.dumps(data))
    with pytest.raises(CheckpointError, match=r"model-00002-of-00002\.safetensors.*does not exist"):
        open_checkpoint(tmp_path)


def test_no_weights_and_duplicate_names(tmp_path: Path) -> None:
    (tmp_path / "pytorch_model.bin").write_bytes(b"x")
    with pytest.raises(CheckpointError, match=r"found pytorch_model\.bin"):
        open_checkpoint(tmp_path)
    other = tmp_path / "dup"
    write_checkpoint(other, {"a": torch.ones(2)})
    (other / "model.safetensors").rename(other / "one.safetensors")
    write_checkpoint(other, {"a": torch.ones(2)})
    (other / "model.safetensors").rename(other / "two.safetensors")
    with pytest.raises(CheckpointError, match="tensor 'a' is in both"):
        open_checkpoint(other)
    with pytest.raises(CheckpointError, match="no such file"):
        open_checkpoint(tmp_path / "absent")
