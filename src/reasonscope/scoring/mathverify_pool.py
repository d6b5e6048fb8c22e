"""math-verify in worker processes, with a wall clock enforced from here.

math-verify's timeouts use SIGALRM, which only works in the main thread, and sympy can spin for
minutes on inputs like `10^{10^{10}}`. So comparisons run in long-lived worker processes (started
on first use, reused, shut down at exit); a comparison that overruns its wall clock gets its
worker killed and counts as not equal. Any thread may call `check`; each call borrows one idle
worker. After `os.fork()` the child starts its own workers instead of sharing the parent's pipes.
Workers are separate interpreters (`subprocess`, not `multiprocessing` fork), so a parent that
holds threads or a loaded model is never forked.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

WORKER_SCRIPT = Path(__file__).with_name("_mathverify_worker.py")
DEFAULT_TIMEOUT_S = float(os.environ.get("REASONSCOPE_MATH_TIMEOUT_S", "3.0"))
STARTUP_TIMEOUT_S = 120.0
WORKER_MEMORY_MB = 2048
_GRACE_S = 0.05

Outcome = Literal["equal", "unequal", "pred_unparsed", "timeout", "error"]


@dataclass(frozen=True)
class MathVerdict:
    outcome: Outcome
    gold_parsed: bool = True
    detail: str = ""
    pred_numeric: bool = True  # False: variables, a set, a tuple or an equation (`9x`, `{1, 2}`)

    @property
    def equal(self) -> bool:
        return self.outcome == "equal"


class WorkerError(RuntimeError):
    """A worker could not be started (math-verify missing or broken): a setup problem."""


class _Worker:
    """One worker process and its pipes (raw fds: nothing buffered, safe to drop after fork)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-I", str(WORKER_SCRIPT), str(WORKER_MEMORY_MB)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            bufsize=0, close_fds=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.wfd = self.proc.stdin.fileno()
        self.rfd = self.proc.stdout.fileno()
        self._buf = b""
        ready = self.read_reply(time.monotonic() + STARTUP_TIMEOUT_S)
        if not ready or not ready.get("ready"):
            self.kill()
            raise WorkerError(
                f"math-verify worker did not start ({sys.executable} {WORKER_SCRIPT}); "
                "is math-verify installed in this interpreter?")

    def request(self, payload: dict[str, Any], timeout_s: float) -> dict[str, Any] | None:
        """Send one request; the reply, or None on timeout or a dead worker."""
        data = (json.dumps(payload) + "\n").encode()
        deadline = time.monotonic() + timeout_s
        try:
            while data:
                n = os.write(self.wfd, data)
                data = data[n:]
        except OSError:
            return None
        return self.read_reply(deadline)

    def read_reply(self, deadline: float) -> dict[str, Any] | None:
        poller = select.poll()
        poller.register(self.rfd, select.POLLIN)
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not poller.poll(max(1, int(left * 1000))):
                if time.monotonic() >= deadline:
                    return None
                continue
            chunk = os.read(self.rfd, 65536)
            if not chunk:
                return None
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            reply: dict[str, Any] = json.loads(line)
        except ValueError:
            return None
        return reply

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        self.close_pipes()

    def stop(self) -> None:
        """Polite shutdown: EOF on stdin ends the worker's read loop."""
        self.close_pipes()
        try:
            self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self.kill()

    def close_pipes(self) -> None:
        for f in (self.proc.stdin, self.proc.stdout):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.close()


class MathVerifyPool:
    """Up to `size` workers, started lazily as concurrent callers need them."""

    def __init__(self, size: int | None = None, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.size = size or max(1, min(4, os.cpu_count() or 1))
        self.timeout_s = timeout_s
        self.pid = os.getpid()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._workers: set[_Worker] = set()
        self._count = 0  # running + starting workers
        self._lock = threading.Lock()
        self._closed = False

    def _borrow(self) -> _Worker:
        while True:
            try:  # a busy worker is usually free within milliseconds; starting one takes seconds
                return self._idle.get(timeout=_GRACE_S) if self._count else self._idle.get_nowait()
            except queue.Empty:
                pass
            with self._lock:
                can_start = self._count < self.size
                if can_start:
                    self._count += 1
            if can_start:
                break
            try:  # all busy: wait for one back (or for a retired one's slot to free up)
                return self._idle.get(timeout=0.1)
            except queue.Empty:
                continue
        try:
            worker = _Worker()
        except BaseException:
            with self._lock:
                self._count -= 1
            raise
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        """Kill a hung worker and start its replacement in the background (it takes seconds)."""
        worker.kill()
        with self._lock:
            self._workers.discard(worker)
            self._count -= 1
        if not self._closed:
            threading.Thread(target=self._start_spare, name="mathverify-respawn",
                             daemon=True).start()

    def _start_spare(self) -> None:
        with self._lock:
            if self._closed or self._count >= self.size:
                return
            self._count += 1
        try:
            worker = _Worker()
        except Exception:  # the next check starts one itself, and reports any failure
            with self._lock:
                self._count -= 1
            return
        with self._lock:
            closed = self._closed or os.getpid() != self.pid
            if not closed:
                self._workers.add(worker)
        if closed:
            worker.stop()
        else:
            self._idle.put(worker)

    def check(self, gold: str, pred: str, timeout_s: float | None = None) -> MathVerdict:
        """Is `pred` (box content) equal to `gold` (canonical answer) according to math-verify?"""
        if self._closed:
            raise RuntimeError("math-verify pool is closed")
        limit = self.timeout_s if timeout_s is None else timeout_s
        worker = self._borrow()
        try:
            reply = worker.request({"gold": gold, "pred": pred}, limit)
        except BaseException:
            self._retire(worker)
            raise
        if reply is None:
            self._retire(worker)
            return MathVerdict("timeout", detail=f"no answer within {limit:.1f}s")
        self._idle.put(worker)
        gold_parsed = bool(reply.get("gold_parsed"))
        if reply.get("error"):
            return MathVerdict("error", gold_parsed, str(reply["error"]))
        if reply.get("equal"):
            return MathVerdict("equal", gold_parsed)
        if not reply.get("pred_parsed"):
            return MathVerdict("pred_unparsed", gold_parsed)
        return MathVerdict("unequal", gold_parsed, pred_numeric=bool(reply.get("pred_numeric")))

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(w.proc.pid for w in self._workers)

    def close(self) -> None:
        self._closed = True
        if os.getpid() != self.pid:
            return
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
            self._count = 0
        for w in workers:
            w.stop()

    def abandon(self) -> None:
        """In a forked child: close our copies of the parent's pipes, leave its workers alone."""
        self._closed = True
        for w in list(self._workers):
            w.close_pipes()
        self._workers = set()


_POOL: MathVerifyPool | None = None
_POOL_LOCK = threading.Lock()
_POOL_SETTINGS: dict[str, Any] = {}


def get_pool() -> MathVerifyPool:
    """The process-wide pool, created on first use (and afresh in a forked child)."""
    global _POOL
    pool = _POOL
    if pool is not None and pool.pid == os.getpid():
        return pool
    with _POOL_LOCK:
        if _POOL is None or _POOL.pid != os.getpid():
            _POOL = MathVerifyPool(**_POOL_SETTINGS)
        return _POOL


def configure_pool(*, size: int | None = None, timeout_s: float | None = None) -> None:
    """Set worker count and per-check wall clock; replaces (and stops) the current pool."""
    global _POOL
    if size is not None:
        _POOL_SETTINGS["size"] = size
    if timeout_s is not None:
        _POOL_SETTINGS["timeout_s"] = timeout_s
    with _POOL_LOCK:
        old, _POOL = _POOL, None
    if old is not None:
        old.close()


def verify_equal(gold: str, pred: str, timeout_s: float | None = None) -> MathVerdict:
    return get_pool().check(gold, pred, timeout_s)


def shutdown_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        old, _POOL = _POOL, None
    if old is not None:
        old.close()


def _after_fork_in_child() -> None:
    global _POOL, _POOL_LOCK
    _POOL_LOCK = threading.Lock()  # a lock held by another thread at fork time stays held
    if _POOL is not None:
        _POOL.abandon()
        _POOL = None


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(shutdown_pool)
