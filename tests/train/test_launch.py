"""The train commands under `accelerate launch` on CPU, the way multi-GPU runs start them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reasonscope.train.modelio import checkpoints

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def _cli() -> str:
    script = BIN / "reasonscope"
    if not script.exists():
        pytest.skip("the reasonscope console script is not installed in this environment")
    return str(script)


def _run(cmd: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1",
           "ACCELERATE_CONFIG_FILE": str(tmp_path / "no-accelerate-config.yaml")}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def _train_args(base: Path, data: Path, out: Path) -> list[str]:
    return ["train", "sft", "--model", str(base), "--data", str(data), "--answer-field",
            "golden_answer", "--max-steps", "2", "--save-steps", "1", "--batch-size", "2",
            "--lr", "1e-3", "--device", "cpu", "--out", str(out)]


def test_accelerate_launch_cpu(base_fp32: Path, qa_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "acc"
    _run([str(BIN / "accelerate"), "launch", "--num_processes", "1", "--num_machines", "1",
          "--mixed_precision", "no", "--dynamo_backend", "no", "--cpu", _cli(),
          *_train_args(base_fp32, qa_file, out)], tmp_path)
    assert [s for s, _ in checkpoints(out)] == [1, 2]
