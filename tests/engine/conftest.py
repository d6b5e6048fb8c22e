"""Engine test settings: one torch thread per process.

The tiny models are far too small for intra-op parallelism to pay off, and on a busy 2-core
machine two spinning OpenMP threads make every matmul 10-100x slower; one thread keeps the
tests fast and their timing stable. Subprocesses get the same through OMP_NUM_THREADS."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture(autouse=True)
def _one_torch_thread() -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
