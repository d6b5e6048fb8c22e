"""Progress of a long step: done/total, rates, ETA, on stderr.

Rich draws a live bar on a terminal. When stderr is not a terminal (CI logs, `nohup`, the demo
under a pipe) rich would print nothing until the end, so a plain line is printed instead at most
every `interval_s` seconds and once at the end: a long stage never looks hung.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


def _fmt_s(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """`advance(n, tokens=...)` as work completes; usable as a context manager."""

    def __init__(self, total: int, done: int = 0, *, enabled: bool = True, label: str = "",
                 unit: str = "items", interval_s: float = 10.0,
                 stream: TextIO | None = None) -> None:
        self.total, self.done, self.label, self.unit = total, done, label, unit
        self.enabled, self.interval_s = enabled, interval_s
        self.items = 0
        self.tokens = 0
        self.start = time.perf_counter()
        self._stream = stream or sys.stderr
        self._last_line = 0.0
        self._bar: Any = None
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        if enabled and self._tty:
            self._bar = _rich_bar(self._stream)
            self._task = self._bar.add_task(label, total=total, completed=done, ips=0.0,
                                            tps=0.0, unit=unit)

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif self.enabled and self.items:
            self._plain_line(final=True)

    def advance(self, items: int, *, tokens: int = 0) -> None:
        if not self.enabled or items <= 0:
            return
        self.items += items
        self.done += items
        self.tokens += tokens
        dt = max(time.perf_counter() - self.start, 1e-9)
        if self._bar is not None:
            self._bar.update(self._task, advance=items, ips=self.items / dt,
                             tps=self.tokens / dt, description=self.label)
        elif time.perf_counter() - self._last_line >= self.interval_s:
            self._plain_line()

    def note(self, text: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=f"{self.label} ({text})")
        elif self.enabled:
            print(f"{self.label}: {text}", file=self._stream, flush=True)

    def _plain_line(self, final: bool = False) -> None:
        self._last_line = time.perf_counter()
        dt = max(self._last_line - self.start, 1e-9)
        rate = self.items / dt
        eta = (self.total - self.done) / rate if rate > 0 and not final else 0.0
        tok = f", {self.tokens / dt:.0f} tok/s" if self.tokens else ""
        print(f"{self.label}: {self.done}/{self.total} {self.unit} ({rate:.2f}/s{tok}), "
              f"elapsed {_fmt_s(dt)}, ETA {_fmt_s(eta)}", file=self._stream, flush=True)


def _rich_bar(stream: TextIO) -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress

    return RichProgress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[ips]:.2f} {task.fields[unit]}/s"),
        TextColumn("{task.fields[tps]:.0f} tok/s"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=Console(file=stream), transient=False,
    )


RunProgress = Progress
"""The name the runner uses: one bar per evaluation."""

__all__ = ["Progress", "RunProgress"]
