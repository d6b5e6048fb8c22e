"""A fixed tiny evaluation gives exactly the sample rows recorded in data/: any change to
selection, prompting, seeding, decoding or scoring that moves a number shows up here.

The recorded rows come from a random-weight tiny Qwen3 (tokenizer trained on the mini suite's
prompts, model seed 0) on the first item of each cell of rs-synth-mini-v1, 2 samples of 24
tokens at the default temperature/top-p with seed 7. Regenerate the file only for a change that
is meant to move numbers, and say so.
"""

from __future__ import annotations

import json
from pathlib import Path

import reasonscope as rs
from reasonscope.engine.store import read_samples
from reasonscope.organism import save_pretrained_tiny

PINNED = Path(__file__).with_name("data") / "pinned_eval_rows.json"
FIELDS = ("item_id", "sample_index", "seed", "completion", "extracted", "correct")


def test_tiny_eval_reproduces_the_pinned_rows(tmp_path: Path) -> None:
    suite = rs.load_suite("rs-synth-mini-v1")
    model = save_pretrained_tiny(tmp_path / "model", corpus=[i.prompt for i in suite.items],
                                 vocab_size=512, seed=0)
    task = rs.EvalTask.create("rs-synth-mini-v1", per_cell=1,
                              generation=rs.GenerationConfig(samples=2, max_new_tokens=24,
                                                             seed=7))
    rs.evaluate(task, model, tmp_path / "run", progress=False)
    rows = sorted(({k: r[k] for k in FIELDS} for r in read_samples(tmp_path / "run").to_pylist()),
                  key=lambda r: (r["item_id"], r["sample_index"]))
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert len(rows) == len(pinned) == 40
    for got, want in zip(rows, pinned, strict=True):
        assert got == want, f"row {want['item_id']}#{want['sample_index']} changed"
