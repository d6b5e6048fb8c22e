"""Named, resumable stages of a long job, with their wall times.

A stage that finished leaves a marker (`.done-<name>`, holding its seconds); a later call skips
it, so an interrupted demo resumes at the first unfinished stage. The work inside a stage must
itself be safe to redo after a crash (training resumes from its last checkpoint, probing skips
rows already stored, files are written atomically), because a stage killed half-way left no
marker and runs again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from reasonscope.fsutil import atomic_write_text


class StageRunner:
    def __init__(self, out: Path, console: Console) -> None:
        self.out, self.console = Path(out), console
        self.ran: dict[str, float] = {}

    def marker(self, name: str) -> Path:
        return self.out / f".done-{name}"

    def done(self, name: str) -> bool:
        return self.marker(name).exists()

    def run(self, name: str, fn: Callable[[], object]) -> None:
        if self.done(name):
            self.console.print(f"[dim]{name}: done earlier, skipped[/dim]")
            return
        self.console.rule(f"[bold]{name}")
        t0 = time.perf_counter()
        fn()
        seconds = round(time.perf_counter() - t0, 1)
        self.ran[name] = seconds
        atomic_write_text(self.marker(name), json.dumps({"seconds": seconds}) + "\n")

    def timings(self) -> dict[str, float]:
        """Seconds of every finished stage, this call's and earlier calls' alike."""
        out: dict[str, float] = {}
        for path in sorted(self.out.glob(".done-*")):
            try:
                out[path.name.removeprefix(".done-")] = float(
                    json.loads(path.read_text())["seconds"])
            except (ValueError, KeyError, TypeError):
                continue
        return out
