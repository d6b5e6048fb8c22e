"""The README's "From Python" example runs as written, from `import reasonscope as rs` alone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _from_python_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the From Python section should hold one python example"
    return blocks[0]


@pytest.mark.slow
def test_readme_python_example_runs(tmp_path: Path) -> None:
    code = _from_python_block()
    imports = {m for m in re.findall(r"^(?:from|import) (\S+)", code, flags=re.M)}
    assert imports == {"reasonscope"}, f"the example imports more than reasonscope: {imports}"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "20 items; rs-synth-mini-v1" in done.stdout
    assert re.search(r"tuned - base [+-]\d\.\d{3} \[", done.stdout)
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert len(list((tmp_path / "runs" / "base").glob("samples-*.parquet"))) >= 1
