"""Running untrusted code against its tests, with a verdict the code cannot forge.

Two modes, chosen by the shape of the tests (`testplan`):

- **calls** (tests of the form `assert CALL == EXPECTED`, MBPP's `test_list`, HumanEval checks
  made of asserts): one sandboxed process runs the program and evaluates only the CALL parts;
  it returns their values as plain data, and this process compares them with EXPECTED, which
  never enters the sandbox.
- **two-process** (any other test code, e.g. a `check` with loops): the trusted test code runs
  in one sandbox and the program in another; the tests call the program's functions through
  proxies that pass plain data over pipes. The verdict comes from the test process, where no
  untrusted code ever runs.

Either way each process runs under `isolation` (bubblewrap, or the fallback layers) with CPU,
memory, file-size and process-count limits, and a wall clock that kills everything it started.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from reasonscope.scoring import _sandbox_codec as codec
from reasonscope.scoring.isolation import (
    Isolation,
    SandboxUnavailable,
    bwrap_argv,
    isolation,
    processes_of,
    sweep,
    uid_lease,
)
from reasonscope.scoring.testjudge import HoleResult, judge
from reasonscope.scoring.testplan import CallPlan, defines_check, plan_calls, referenced_names

SandboxStatus = Literal["passed", "failed", "timeout", "error", "killed"]
Mode = Literal["calls", "two-process", "none"]

CHILD_SOURCE_PATH = Path(__file__).with_name("_sandbox_child.py")
CODEC_SOURCE_PATH = Path(__file__).with_name("_sandbox_codec.py")
TAIL_CHARS = 4000
OUTPUT_LIMIT_BYTES = 8 * 1024 * 1024
RESULT_LIMIT_BYTES = 64 * 1024 * 1024
NPROC_ALLOWANCE = 16

__all__ = ["SandboxResult", "SandboxStatus", "SandboxUnavailable", "run_code_tests"]


@dataclass(frozen=True)
class SandboxResult:
    passed: bool
    status: SandboxStatus
    stdout_tail: str
    stderr_tail: str
    duration_s: float
    mode: Mode = "none"
    isolation: str = ""  # "bwrap" or "fallback"


@dataclass(frozen=True)
class _Limits:
    cpu_s: int
    memory_bytes: int
    nproc: int

    def job(self) -> dict[str, int]:
        return {"cpu_s": self.cpu_s, "memory_bytes": self.memory_bytes,
                "fsize_bytes": OUTPUT_LIMIT_BYTES, "nproc": self.nproc}


@functools.lru_cache(maxsize=1)
def _child_source() -> str:
    """The codec, then the child (which uses it): one self-contained `-c` program."""
    codec_src = CODEC_SOURCE_PATH.read_text(encoding="utf-8")
    return codec_src + "\n\n" + CHILD_SOURCE_PATH.read_text(encoding="utf-8")


def _tail(f: IO[bytes]) -> str:
    f.seek(0, os.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - 4 * TAIL_CHARS))
    text: str = f.read().decode("utf-8", errors="replace")
    return text[-TAIL_CHARS:]


def _remove_tree(path: Path) -> None:
    def retry(func: Any, p: str, _exc: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(p), 0o700)
            os.chmod(p, 0o700)
            func(p)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:
        shutil.rmtree(path, onerror=retry)


@contextlib.contextmanager
def _sandboxed(iso: Isolation, job: dict[str, Any], limits: _Limits, pass_fds: tuple[int, ...],
               out: IO[bytes], err: IO[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """One sandboxed child running `job`; on exit it and everything it started are killed."""
    with uid_lease(iso.leased_uid) as uid:
        base: Path | None = None
        proc: subprocess.Popen[bytes] | None = None
        try:
            nproc = limits.nproc + (len(processes_of(os.getuid())) if uid is None else 0)
            job = {**job, "limits": {**limits.job(), "nproc": nproc}}
            args = ["-I", "-S", "-B", "-c", _child_source()]
            extra: dict[str, Any] = {}
            if uid is not None:
                extra = {"user": uid, "group": uid, "extra_groups": []}
            if iso.kind == "bwrap":
                argv, cwd = bwrap_argv(iso, args), "/"
                env: dict[str, str] = {}
            else:
                base = Path(tempfile.mkdtemp(prefix="reasonscope-sandbox-"))
                work = base / "work"
                work.mkdir()
                if uid is not None:
                    os.chmod(base, 0o711)  # the child may pass through to its directory only
                    os.chown(work, uid, uid)
                argv, cwd = [iso.interpreter, *args], str(work)
                env = {"HOME": str(work), "TMPDIR": str(work), "LC_ALL": "C.UTF-8"}
            with tempfile.TemporaryFile() as stdin:
                stdin.write(json.dumps(job).encode())
                stdin.seek(0)
                proc = subprocess.Popen(
                    argv, cwd=cwd, env=env, stdin=stdin, stdout=out, stderr=err,
                    pass_fds=pass_fds, close_fds=True, start_new_session=True, umask=0o077,
                    **extra)
            yield proc
        finally:
            if proc is not None:
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            if uid is not None:
                sweep(uid)
            if base is not None:
                _remove_tree(base)


def _read_until_exit(proc: subprocess.Popen[bytes], fd: int, deadline: float
                     ) -> tuple[bytes, bool]:
    """Everything written on `fd` until it closes and the process exits (the second value is
    True if the wall clock ran out first). Reading stops past RESULT_LIMIT_BYTES."""
    chunks: list[bytes] = []
    size = 0
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"".join(chunks), True
        if not poller.poll(max(1, int(left * 1000))):
            continue
        data = os.read(fd, 1 << 20)
        if not data:
            break
        chunks.append(data)
        size += len(data)
        if size > RESULT_LIMIT_BYTES:  # flooding the result pipe: stop it now
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            break
    try:  # the pipe closed: the process is exiting (bwrap holds it until the sandbox ends)
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return b"".join(chunks), True
    return b"".join(chunks), False


def _messages(data: bytes) -> list[dict[str, Any]]:
    out = []
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            msg = codec.loads(line, RESULT_LIMIT_BYTES)
        except codec.CodecError:
            break
        if not isinstance(msg, dict):
            break
        out.append(msg)
    return out


def _signal_of(rc: int, iso: Isolation) -> int | None:
    """The signal that ended the process (bwrap reports it as 128 + signal number)."""
    if rc < 0:
        return -rc
    if iso.kind == "bwrap" and rc > 128:
        return rc - 128
    return None


def _abnormal(timed_out: bool, rc: int, iso: Isolation) -> SandboxStatus | None:
    if timed_out:
        return "timeout"
    sig = _signal_of(rc, iso)
    if sig is not None:
        return "timeout" if sig == signal.SIGXCPU else "killed"
    return None


def run_code_tests(program: str, tests: str, entry_point: str | None = None, *,
                   timeout_s: float = 10.0, memory_mb: int = 512) -> SandboxResult:
    """Run `program`, then `tests` (then `check(entry_point)` if the tests define `check`, as
    HumanEval's do). Passed only if every test holds; see the module docstring for how."""
    start = time.monotonic()
    if defines_check(tests) and not entry_point:
        return SandboxResult(False, "failed", "",
                             "[sandbox] the tests define check(candidate) but no entry point "
                             "was given", 0.0)
    iso = isolation()
    limits = _Limits(math.ceil(timeout_s) + 1, memory_mb * 1024 * 1024, NPROC_ALLOWANCE)
    deadline = start + timeout_s
    plan = plan_calls(tests, program)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        if plan is not None:
            status, note = _run_calls(iso, plan, program, entry_point, limits, deadline, out, err)
            mode: Mode = "calls"
        else:
            status, note = _run_two_process(iso, program, tests, entry_point, limits, deadline,
                                            out, err)
            mode = "two-process"
        stdout, stderr = _tail(out), _tail(err)
    if note:
        stderr = (stderr + ("\n" if stderr else "") + note)[-TAIL_CHARS:]
    return SandboxResult(status == "passed", status, stdout, stderr, time.monotonic() - start,
                         mode, iso.kind)


def _run_calls(iso: Isolation, plan: CallPlan, program: str, entry: str | None,
               limits: _Limits, deadline: float, out: IO[bytes], err: IO[bytes]
               ) -> tuple[SandboxStatus, str]:
    read_fd, write_fd = os.pipe()
    job = {"role": "calls", "program": program, "setup": plan.setup, "entry": entry,
           "check_param": plan.check_param, "result_fd": write_fd,
           "holes": [{"source": h.source, "in_check": h.in_check} for h in plan.holes]}
    try:
        with _sandboxed(iso, job, limits, (write_fd,), out, err) as proc:
            os.close(write_fd)
            write_fd = -1
            data, timed_out = _read_until_exit(proc, read_fd, deadline)
            if timed_out:
                os.killpg(proc.pid, signal.SIGKILL)
            rc = proc.wait()
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)
    messages = _messages(data)
    phase = messages[0].get("phase") if messages else None
    results = [_hole_result(m) for m in messages[1:] if "phase" not in m]
    complete = len(messages) >= 2 and messages[-1].get("phase") == "done"
    if phase == "program":
        return "error", ""
    if phase == "setup":
        return "failed", ""
    if not (phase == "ready" and complete and len(results) == len(plan.holes)):
        abnormal = _abnormal(timed_out, rc, iso)
        if abnormal is not None:
            return abnormal, ""
        return "error", "[sandbox] the program exited before its tests finished"
    passed, why = judge(plan, results)
    return ("passed", "") if passed else ("failed", why)


def _hole_result(message: dict[str, Any]) -> HoleResult:
    if "raise" in message:
        return HoleResult(raised=str(message["raise"])[:2000])
    if "not_data" in message:
        return HoleResult(not_data=str(message["not_data"])[:200])
    try:
        return HoleResult(value=codec.decode(message.get("v")))
    except codec.CodecError as exc:
        return HoleResult(raised=f"sandbox: unreadable value ({exc})")


def _run_two_process(iso: Isolation, program: str, tests: str, entry: str | None,
                     limits: _Limits, deadline: float, out: IO[bytes], err: IO[bytes]
                     ) -> tuple[SandboxStatus, str]:
    """The program serves calls in one sandbox; the tests run in another and decide."""
    names = sorted(set(referenced_names(tests)) | ({entry} if entry else set()))
    req_r, req_w = os.pipe()  # tests -> program
    rep_r, rep_w = os.pipe()  # program -> tests
    res_r, res_w = os.pipe()  # tests -> here
    fds = {req_r, req_w, rep_r, rep_w, res_r, res_w}

    def close(*which: int) -> None:
        for fd in which:
            if fd in fds:
                fds.discard(fd)
                os.close(fd)

    serve = {"role": "serve", "program": program, "entry": entry, "names": names,
             "request_fd": req_r, "reply_fd": rep_w}
    run = {"role": "tests", "tests": tests, "entry": entry, "defines_check": defines_check(tests),
           "request_fd": req_w, "reply_fd": rep_r, "result_fd": res_w}
    try:
        with _sandboxed(iso, serve, limits, (req_r, rep_w), out, err) as server, \
                _sandboxed(iso, run, limits, (req_w, rep_r, res_w), out, err) as runner:
            close(req_r, rep_w, req_w, rep_r, res_w)
            data, timed_out = _read_until_exit(runner, res_r, deadline)
            if timed_out:
                os.killpg(runner.pid, signal.SIGKILL)
            rc = runner.wait()
            with contextlib.suppress(OSError):
                os.killpg(server.pid, signal.SIGKILL)
            server_rc = server.wait()
    finally:
        close(*list(fds))
    messages = _messages(data)
    verdict = messages[0].get("verdict") if messages else None
    if verdict == "passed":
        return "passed", ""
    server_abnormal = _abnormal(False, server_rc, iso)
    if verdict == "failed":
        return ("timeout", "") if server_abnormal == "timeout" else ("failed", "")
    if verdict == "error":
        return "error", ""
    abnormal = _abnormal(timed_out, rc, iso)
    if abnormal is not None:
        return abnormal, ""
    return "error", "[sandbox] the tests ended without a verdict"
