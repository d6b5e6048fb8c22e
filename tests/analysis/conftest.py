"""The analysis tests: synthetic safetensors checkpoints with planted differences, stored runs
written through the store, and the shared tiny Qwen3 models."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def tiny_model_other_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Same architecture as the shared tiny model, tokenizer trained on other text."""
    from reasonscope.organism import save_pretrained_tiny

    corpus = [f"zebra {i} quartz {i * 7} lorem ipsum dolor {i % 3}" for i in range(200)]
    return save_pretrained_tiny(tmp_path_factory.mktemp("tiny-other"), corpus, vocab_size=300,
                                seed=0)


@pytest.fixture(autouse=True)
def one_torch_thread() -> Iterator[None]:
    """These tests run tiny matrices, where a second thread (torch, BLAS under scikit-learn)
    only adds contention on a shared 2-core machine; the settings are restored afterwards."""
    import torch
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        yield
    torch.set_num_threads(before)
