"""How a sandboxed process is started: bubblewrap where it runs, the fallback layers where not.

With bubblewrap (`bwrap`) each run gets new user, PID, network, IPC, UTS and cgroup namespaces,
no capabilities, no further user namespaces, a new session (no terminal injection), death with
its parent, an empty environment, `/proc` of its own PID namespace only, a minimal `/dev`, and a
root that holds nothing but read-only binds of the interpreter, its standard library and the
shared libraries they load; a fresh size-limited tmpfs at `/sandbox` is the only writable place
and is HOME and the working directory. When running as root, bwrap itself runs under an
unprivileged uid leased for the run (so process-count limits apply and a sweep can kill
whatever the run left), falling back to bwrap as root (no capabilities inside) if that fails.

Where bwrap cannot run, a warning says so once and runs use the fallback layers: a leased
unprivileged uid (root only), a host temporary directory, an empty environment, rlimits and
the child's audit hook. `REASONSCOPE_SANDBOX_BWRAP=off` forces the fallback; `=require` makes a
missing bwrap an error (`SandboxUnavailable`) instead of a warning.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import logging
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

UID_BASE = int(os.environ.get("REASONSCOPE_SANDBOX_UID_BASE", "61000"))
UID_COUNT = 1000
SANDBOX_DIR = "/sandbox"
TMPFS_BYTES = 64 * 1024 * 1024
SANDBOX_UID = 65534  # the uid (and gid) the code sees inside the user namespace
_PROBE_TIMEOUT_S = 30.0

Kind = Literal["bwrap", "fallback"]


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot run safely here (e.g. no interpreter an unprivileged uid may execute)."""


@dataclass(frozen=True)
class Isolation:
    kind: Kind
    leased_uid: bool  # each run leases an unprivileged uid (only when running as root)
    interpreter: str
    binds: tuple[str, ...] = ()  # read-only binds (bwrap only)
    why: str = ""  # why bwrap is not used (fallback only)


# --- uids ------------------------------------------------------------------------------------

def processes_of(uid: int) -> list[int]:
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


def sweep(uid: int) -> None:
    """Kill every process of a leased uid (whatever escaped the process group)."""
    for _ in range(50):
        pids = processes_of(uid)
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
def uid_lease(wanted: bool) -> Iterator[int | None]:
    """An unprivileged uid no other run holds (None when not wanted or not root)."""
    if not wanted or os.geteuid() != 0:
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
            sweep(uid)  # leftovers of a crashed earlier run
            yield uid
        finally:
            os.close(fd)  # releases the lock
        return
    raise SandboxUnavailable("all sandbox uids are in use")


# --- interpreters ----------------------------------------------------------------------------

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


def _interpreter(for_other_uid: bool) -> str | None:
    """A base (non-venv) interpreter; one an unprivileged uid can run if `for_other_uid`."""
    candidates = [os.environ.get("REASONSCOPE_SANDBOX_PYTHON"),
                  getattr(sys, "_base_executable", None), sys.executable, "/usr/bin/python3",
                  "/usr/local/bin/python3", shutil.which("python3")]
    for c in candidates:
        if c and os.path.exists(c) and (not for_other_uid or _usable_by_others(c)):
            return os.path.realpath(c)
    return None


_PATHS_SCRIPT = (
    "import json, os, sys, sysconfig\n"
    "std = sysconfig.get_path('stdlib')\n"
    "plat = sysconfig.get_path('platstdlib')\n"
    "dyn = sysconfig.get_config_var('DESTSHARED') or os.path.join(plat, 'lib-dynload')\n"
    "print(json.dumps({'stdlib': std, 'platstdlib': plat, 'dynload': dyn,"
    " 'version': list(sys.version_info[:2])}))\n"
)


@functools.lru_cache(maxsize=4)
def interpreter_binds(interpreter: str) -> tuple[str, ...]:
    """The interpreter, its standard library and the shared libraries it and its extension
    modules load: everything the sandbox root holds (read-only)."""
    out = subprocess.run([interpreter, "-I", "-S", "-c", _PATHS_SCRIPT], capture_output=True,
                         text=True, timeout=_PROBE_TIMEOUT_S, env={}, check=True)
    paths = json.loads(out.stdout)
    binds = {interpreter}
    for key in ("stdlib", "platstdlib", "dynload"):
        p = os.path.realpath(paths[key])
        if os.path.isdir(p) and not any(p == b or p.startswith(b + "/") for b in binds):
            binds.add(p)
    objects = [interpreter]
    dyn = os.path.realpath(paths["dynload"])
    if os.path.isdir(dyn):
        objects += [str(p) for p in sorted(Path(dyn).glob("*.so"))]
    binds.update(_shared_libraries(objects))
    if os.path.exists("/etc/ld.so.cache"):
        binds.add("/etc/ld.so.cache")
    return tuple(sorted(binds))


def _shared_libraries(objects: list[str]) -> set[str]:
    """Libraries the dynamic loader would map for `objects` (via `ldd`); the system library
    directories as a whole if `ldd` is missing."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return {d for d in ("/lib", "/lib64", "/usr/lib", "/usr/lib64") if os.path.isdir(d)}
    out = subprocess.run([ldd, *objects], capture_output=True, text=True,
                         timeout=_PROBE_TIMEOUT_S, env={"LC_ALL": "C"})
    libs: set[str] = set()
    for line in out.stdout.splitlines():
        parts = line.split()
        for part in parts:
            if part.startswith("/") and os.path.exists(part) and not part.endswith(":"):
                libs.add(part)
    return libs


# --- bwrap -----------------------------------------------------------------------------------

def bwrap_argv(iso: Isolation, interpreter_args: list[str]) -> list[str]:
    """The command line that runs `interpreter interpreter_args` inside the sandbox."""
    bwrap = shutil.which("bwrap") or "bwrap"
    argv = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--new-session", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--clearenv",
            "--setenv", "HOME", SANDBOX_DIR, "--setenv", "TMPDIR", SANDBOX_DIR,
            "--setenv", "LC_ALL", "C.UTF-8"]
    if os.geteuid() == 0 and not iso.leased_uid:
        argv += ["--cap-drop", "ALL"]
    for path in iso.binds:
        real = os.path.realpath(path)
        argv += ["--ro-bind", real, path]
        for hidden in _package_dirs(real):  # third-party packages are not the stdlib
            argv += ["--tmpfs", os.path.join(path, hidden), "--remount-ro",
                     os.path.join(path, hidden)]
    argv += ["--proc", "/proc", "--dev", "/dev", "--size", str(TMPFS_BYTES), "--tmpfs",
             SANDBOX_DIR, "--chdir", SANDBOX_DIR, "--remount-ro", "/dev", "--remount-ro", "/",
             "--", iso.interpreter, *interpreter_args]
    return argv


def _package_dirs(path: str) -> list[str]:
    """`site-packages`/`dist-packages` inside a bound standard library (pyenv keeps them
    there), to be covered by an empty read-only tmpfs."""
    if not os.path.isdir(path):
        return []
    return [name for name in ("site-packages", "dist-packages")
            if os.path.isdir(os.path.join(path, name))]


_PROBE = (
    "import os, json\n"
    "caps = open('/proc/self/status').read().split('CapEff:')[1].split()[0]\n"
    "open('/sandbox/probe', 'w').write('ok')\n"
    "try:\n    open('/probe', 'w')\n    root_writable = True\n"
    "except OSError:\n    root_writable = False\n"
    "print(json.dumps({'caps': caps, 'root_writable': root_writable,"
    " 'pids': [p for p in os.listdir('/proc') if p.isdigit()]}))\n"
)


def _probe(iso: Isolation) -> str | None:
    """Run a trivial program in the sandbox; None if it behaved as a sandbox should, else why."""
    argv = bwrap_argv(iso, ["-I", "-S", "-B", "-c", _PROBE])
    with uid_lease(iso.leased_uid) as uid:
        extra = {} if uid is None else {"user": uid, "group": uid, "extra_groups": []}
        try:
            out = subprocess.run(argv, capture_output=True, text=True, env={},
                                 timeout=_PROBE_TIMEOUT_S, **extra)  # type: ignore[call-overload]
        except (OSError, subprocess.SubprocessError) as exc:
            return f"{type(exc).__name__}: {exc}"
    if out.returncode != 0:
        return (out.stderr.strip() or f"exit status {out.returncode}")[-300:]
    try:
        seen = json.loads(out.stdout)
    except ValueError:
        return f"unexpected probe output {out.stdout[-200:]!r}"
    if int(seen["caps"], 16) != 0 or seen["root_writable"] or len(seen["pids"]) > 3:
        return f"the sandbox is not contained: {seen}"
    return None


_ISOLATION_LOCK = threading.Lock()


def isolation() -> Isolation:
    """How this process runs sandboxes (probed once, by one thread; a fallback is announced
    once)."""
    with _ISOLATION_LOCK:
        return _isolation()


def reset_isolation() -> None:
    """Forget the probe (for tests that change the environment it depends on)."""
    with _ISOLATION_LOCK:
        _isolation.cache_clear()


@functools.lru_cache(maxsize=1)
def _isolation() -> Isolation:
    mode = os.environ.get("REASONSCOPE_SANDBOX_BWRAP", "auto").strip().lower()
    root = os.geteuid() == 0
    reasons: list[str] = []
    if mode == "off":
        reasons.append("REASONSCOPE_SANDBOX_BWRAP=off")
    elif shutil.which("bwrap") is None:
        reasons.append("bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)")
    else:
        for leased in ((True, False) if root else (False,)):
            interpreter = _interpreter(for_other_uid=leased)
            if interpreter is None:
                reasons.append("no interpreter an unprivileged uid may execute")
                continue
            try:
                binds = interpreter_binds(interpreter)
            except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
                reasons.append(f"cannot list what {interpreter} needs: {exc}")
                continue
            iso = Isolation("bwrap", leased, interpreter, binds)
            why = _probe(iso)
            if why is None:
                return iso
            reasons.append(f"bwrap{' as an unprivileged uid' if leased else ''}: {why}")
    why = "; ".join(reasons)
    if mode == "require":
        raise SandboxUnavailable(f"bubblewrap is required but cannot run: {why}")
    if mode != "off":
        log.warning(
            "SANDBOX WEAKENED: bubblewrap cannot run here (%s). Code answers run only under the "
            "fallback layers (rlimits, %san empty environment, an audit hook): a hostile program "
            "can read files this user can read. See docs/answer-types.md.", why,
            "an unprivileged uid, " if root else "")
    interpreter = _interpreter(for_other_uid=root)
    if interpreter is None:
        raise SandboxUnavailable(
            "no Python interpreter is executable by an unprivileged user; set "
            "REASONSCOPE_SANDBOX_PYTHON to one (e.g. /usr/bin/python3)")
    return Isolation("fallback", root, interpreter, why=why)
