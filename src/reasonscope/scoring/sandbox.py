"""Running untrusted code against its tests in a contained subprocess.

Layers, outermost first: a wall clock (the whole process group is killed); when running as root,
a dedicated unprivileged uid per concurrent run (leased with a lock file, so a run can sweep up
every process its code left behind and cannot touch another run); resource limits on CPU time,
address space, file size and process count; a fresh temporary working directory; an isolated
interpreter (`python -I`) with an empty environment (only HOME/TMPDIR pointing at the working
directory and a UTF-8 locale); and an audit hook in the child (see `_sandbox_child`).

The limits are applied by the child itself before any untrusted code runs, not in a
`preexec_fn`: `preexec_fn` is unsafe when the parent has threads, and scoring runs sandboxes from
threads. Privileges are dropped by `subprocess` itself (`user=`, `group=`), which is thread-safe.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import math
import os
import random
import secrets
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

SandboxStatus = Literal["passed", "failed", "timeout", "error", "killed"]

CHILD_SOURCE_PATH = Path(__file__).with_name("_sandbox_child.py")
TAIL_CHARS = 4000
OUTPUT_LIMIT_BYTES = 8 * 1024 * 1024
NPROC_ALLOWANCE = 16
UID_BASE = int(os.environ.get("REASONSCOPE_SANDBOX_UID_BASE", "61000"))
UID_COUNT = 1000
_EXIT_FAILED = 3  # _sandbox_child.EXIT_FAILED (the child module is never imported here)


@dataclass(frozen=True)
class SandboxResult:
    passed: bool
    status: SandboxStatus
    stdout_tail: str
    stderr_tail: str
    duration_s: float


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot run safely here (e.g. no interpreter an unprivileged uid may execute)."""


@functools.lru_cache(maxsize=1)
def _child_source() -> str:
    return CHILD_SOURCE_PATH.read_text(encoding="utf-8")


def _usable_by_others(path: str) -> bool:
    """Can a uid with no group or owner rights execute `path` (and reach it)?"""
    try:
        real = os.path.realpath(path)
        if not os.stat(real).st_mode & stat.S_IXOTH:
            return False
        for p in (Path(os.path.abspath(path)), Path(real)):
            for parent in p.parents:
                if not os.stat(parent).st_mode & stat.S_IXOTH:
                    return False
    except OSError:
        return False
    return True


@functools.lru_cache(maxsize=2)
def _interpreter(drop_privileges: bool) -> str:
    if not drop_privileges:
        return sys.executable
    candidates = [os.environ.get("REASONSCOPE_SANDBOX_PYTHON"), sys.executable,
                  getattr(sys, "_base_executable", None), "/usr/bin/python3",
                  "/usr/local/bin/python3", shutil.which("python3")]
    for c in candidates:
        if c and _usable_by_others(c):
            return c
    raise SandboxUnavailable(
        "no Python interpreter is executable by an unprivileged user; set "
        "REASONSCOPE_SANDBOX_PYTHON to one (e.g. /usr/bin/python3)")


def _processes_of(uid: int) -> list[int]:
    """Live (not zombie) processes owned by `uid`."""
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{name}").st_uid == uid and not _is_zombie(name):
                    pids.append(int(name))
    return pids


def _is_zombie(pid: str) -> bool:
    with open(f"/proc/{pid}/stat", "rb") as f:
        stat_line = f.read()
    return stat_line[stat_line.rfind(b")") + 2:][:1] in (b"Z", b"X")


def _sweep(uid: int) -> None:
    """Kill every process of a leased uid (whatever escaped the process group)."""
    for _ in range(50):
        pids = _processes_of(uid)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _lock_dir() -> Path:
    """Fixed location (not $TMPDIR): every root process on the machine must see the same locks."""
    d = Path("/tmp/reasonscope-sandbox-uids")
    with contextlib.suppress(FileExistsError):
        d.mkdir(mode=0o700)
    st = os.lstat(d)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
        raise SandboxUnavailable(f"{d} is not a directory owned by this user")
    return d


@contextlib.contextmanager
def _uid_lease() -> Iterator[int | None]:
    """An unprivileged uid no other run holds (None when not root: nothing to drop to)."""
    if os.geteuid() != 0:
        yield None
        return
    lock_dir = _lock_dir()
    offset = random.randrange(UID_COUNT)
    for k in range(UID_COUNT):
        uid = UID_BASE + (offset + k) % UID_COUNT
        fd = os.open(lock_dir / f"{uid}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            _sweep(uid)  # leftovers of a crashed earlier run
            yield uid
        finally:
            os.close(fd)  # releases the lock
        return
    raise SandboxUnavailable("all sandbox uids are in use")


def _tail(f: Any) -> str:
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


def _wait_exit(proc: subprocess.Popen[bytes], timeout_s: float) -> bool:
    """Wait for exit without `Popen.wait`'s polling sleeps (up to 50 ms each) where possible."""
    if hasattr(os, "pidfd_open"):
        try:
            fd = os.pidfd_open(proc.pid)
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                poller = select.poll()
                poller.register(fd, select.POLLIN)
                poller.poll(max(0, int(timeout_s * 1000)))
            finally:
                os.close(fd)
    try:
        proc.wait(timeout=0 if hasattr(os, "pidfd_open") else timeout_s)
    except subprocess.TimeoutExpired:
        return False
    return True


def run_code_tests(program: str, tests: str, entry_point: str | None = None, *,
                   timeout_s: float = 10.0, memory_mb: int = 512) -> SandboxResult:
    """Run `program`, then `tests` in the same namespace (then `check(entry_point)` if the tests
    define `check`, as HumanEval's do). Passed only if every test ran without an exception."""
    start = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="reasonscope-sandbox-"))
    try:
        with _uid_lease() as uid:
            return _run(base, uid, program, tests, entry_point, timeout_s, memory_mb, start)
    finally:
        _remove_tree(base)


def _run(base: Path, uid: int | None, program: str, tests: str, entry_point: str | None,
         timeout_s: float, memory_mb: int, start: float) -> SandboxResult:
    work = base / "work"
    work.mkdir()
    nonce = secrets.token_hex(16)
    cpu_s = math.ceil(timeout_s) + 1
    nproc = NPROC_ALLOWANCE
    if uid is None:  # the limit counts all of this user's processes, not just the child's
        nproc += len(_processes_of(os.getuid()))
    job = {"solution.py": program, "tests.py": tests, "nonce": nonce}
    for name, text in job.items():
        (work / name).write_text(text, encoding="utf-8")
    argv = [str(cpu_s), str(memory_mb * 1024 * 1024), str(OUTPUT_LIMIT_BYTES), str(nproc),
            entry_point or ""]
    extra: dict[str, Any] = {}
    if uid is not None:
        os.chmod(base, 0o711)  # the child may pass through to its directory, nothing more
        for p in (work, *(work / name for name in job)):
            os.chown(p, uid, uid)
        os.chmod(work, 0o700)
        extra = {"user": uid, "group": uid, "extra_groups": []}
    env = {"HOME": str(work), "TMPDIR": str(work), "LC_ALL": "C.UTF-8"}
    with open(base / "stdout", "w+b") as out, open(base / "stderr", "w+b") as err:
        proc = subprocess.Popen(
            [_interpreter(uid is not None), "-I", "-c", _child_source(), *argv],
            cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            close_fds=True, start_new_session=True, umask=0o077, **extra)
        timed_out = not _wait_exit(proc, timeout_s)
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        rc = proc.wait()
        if uid is not None:
            _sweep(uid)
        duration = time.monotonic() - start
        stdout, stderr = _tail(out), _tail(err)
    status: SandboxStatus
    marker = f"\n{nonce}\n"
    if timed_out:
        status = "timeout"
    elif rc < 0:
        status = "timeout" if -rc == signal.SIGXCPU else "killed"
    elif rc == 0 and stdout.endswith(marker):
        status = "passed"
        stdout = stdout[: -len(marker)]
    elif rc == _EXIT_FAILED:
        status = "failed"
    else:
        status = "error"
        if rc == 0:
            stderr += "\n[sandbox] the program exited before its tests finished"
    return SandboxResult(status == "passed", status, stdout, stderr, duration)
