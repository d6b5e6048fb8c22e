"""Named, resumable stages of a long job, with their wall times.

A stage that finished leaves a marker (`.done-<name>`, holding its seconds); a later call skips
it, so an interrupted demo resumes at the first unfinished stage. The work inside a stage must
itself be safe to redo after a crash (training resumes from its last checkpoint, probing skips
rows already stored, files are written atomically), because a stage killed half-way left no
marker and runs again.

`run_all` runs independent stages side by side in worker processes (the study's fine-tunes
and probes depend only on the base and on their own training), each with its share of the
cores: on a small machine two single-threaded stages get more done than one stage spread over
two threads, whose small matrices leave the second thread idle much of the time.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from reasonscope.fsutil import atomic_write_text


@dataclass(frozen=True)
class Stage:
    name: str
    fn: Callable[[], object]
    """Picklable (a module-level function or a partial of one) when run in a worker."""
    after: tuple[str, ...] = ()
    """Stages that must have finished first."""


class StageFailed(RuntimeError):
    """A stage run by `run_all` raised; the stages that finished keep their markers."""


def _init_worker(threads: int) -> None:
    import torch

    torch.set_num_threads(threads)


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return round(time.perf_counter() - t0, 1)


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
        self._finish(name, round(time.perf_counter() - t0, 1))

    def _finish(self, name: str, seconds: float) -> None:
        self.ran[name] = seconds
        atomic_write_text(self.marker(name), json.dumps({"seconds": seconds}) + "\n")

    def run_all(self, stages: Sequence[Stage], workers: int = 1) -> None:
        """Run every unfinished stage once its `after` stages have finished, up to `workers`
        at a time, each in a worker process with `cpu_count // workers` torch threads, in
        list order among those ready (so put the long chains first). One worker: in this
        process, in list order, as `run` does. A failed stage lets the running ones finish,
        starts no more, and raises `StageFailed` naming it."""
        known: set[str] = set()
        for s in stages:
            missing = [a for a in s.after if a not in known and not self.done(a)]
            if missing:
                raise ValueError(f"stage {s.name} runs after {missing}, which come later or "
                                 "are not stages")
            known.add(s.name)
        if workers <= 1:
            for s in stages:
                self.run(s.name, s.fn)
            return
        for s in stages:
            if self.done(s.name):
                self.console.print(f"[dim]{s.name}: done earlier, skipped[/dim]")
        pending = [s for s in stages if not self.done(s.name)]
        if not pending:
            return
        threads = max(1, (os.cpu_count() or 1) // workers)
        failed: tuple[str, BaseException] | None = None
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(threads,)) as pool:
            running: dict[Future[float], Stage] = {}
            while pending or running:
                for s in list(pending):
                    if failed is not None or len(running) >= workers:
                        break
                    if all(self.done(a) for a in s.after):
                        self.console.rule(f"[bold]{s.name}[/bold] (started)")
                        running[pool.submit(_timed, s.fn)] = s
                        pending.remove(s)
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    s = running.pop(fut)
                    try:
                        seconds = fut.result()
                    except BaseException as exc:
                        failed = failed or (s.name, exc)
                        continue
                    self._finish(s.name, seconds)
                    self.console.print(f"[dim]{s.name}: finished in {seconds:g} s[/dim]")
        if failed is not None:
            name, error = failed
            raise StageFailed(f"stage {name} failed: {type(error).__name__}: {error}") from error

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
