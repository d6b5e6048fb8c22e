"""The first code a sandboxed process runs (its source is passed to `python -I -c`).

It takes its limits from argv and its job from files in its working directory (`solution.py`,
`tests.py`, `nonce`; deleted once read), applies the resource limits, installs an audit hook, and
only then executes the untrusted program and its tests. The hook is a second layer behind the OS
(unprivileged uid, rlimits): it refuses writes outside the working directory, reading other
processes' /proc entries (their environment), starting processes, sockets, signals, ctypes and
raising limits. It imports as little as possible (startup time is paid per run) and only from the
stdlib, since it runs on whatever interpreter the parent picked.

Exit codes: 0 tests passed (and the job's nonce printed last on stdout, so a program that calls
`os._exit(0)` early does not pass), 3 tests failed, 4 the program itself failed, 5 bad job.
The nonce stops accidental or naive early exits, not code that inspects this module's frames.
"""

from __future__ import annotations

import os
import resource
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

EXIT_FAILED = 3
EXIT_ERROR = 4
EXIT_SETUP = 5

_BLOCKED_EVENTS = frozenset({
    "os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.forkpty",
    "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill",
    "socket.__new__", "socket.bind", "socket.connect", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.sendto", "resource.setrlimit", "resource.prlimit",
    "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function", "sys.addaudithook",
})
_BLOCKED_MODULES = frozenset({
    "ctypes", "_ctypes", "_posixsubprocess", "_xxsubinterpreters", "_xxinterpchannels",
    "_testcapi", "_testinternalcapi",
})
# Events whose arguments at these positions are paths that get modified.
_PATH_EVENTS = {
    "os.remove": (0,), "os.rename": (0, 1), "os.mkdir": (0,), "os.rmdir": (0,),
    "os.chmod": (0,), "os.chown": (0,), "os.link": (0, 1), "os.symlink": (1,),
    "os.truncate": (0,), "os.utime": (0,), "shutil.rmtree": (0,), "os.setxattr": (0,),
    "os.removexattr": (0,), "shutil.copyfile": (1,), "shutil.move": (1,),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_SOURCES: dict[str, str] = {}


def _install_guard(root: str) -> None:
    root = os.path.realpath(root)
    own_proc = "/proc/" + str(os.getpid())
    realpath, fspath, fsdecode = os.path.realpath, os.fspath, os.fsdecode
    busy: list[int] = []

    def resolve(path: Any) -> str | None:
        if isinstance(path, int):
            return None
        path = fspath(path)
        if isinstance(path, bytes):
            path = fsdecode(path)
        return realpath(path)

    def resolve_guarded(path: Any) -> str | None:
        busy.append(1)
        try:
            return resolve(path)
        finally:
            busy.pop()

    def inside(full: str) -> bool:
        return full == root or full.startswith(root + "/")

    def foreign_proc(full: str) -> bool:
        if not full.startswith("/proc/"):
            return False
        head = full[6:].split("/", 1)[0]
        return head.isdigit() and not (full == own_proc or full.startswith(own_proc + "/"))

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if busy:
            return
        if event in _BLOCKED_EVENTS:
            raise PermissionError("sandbox: " + event + " is not allowed")
        if event == "import":
            if str(args[0]).split(".")[0] in _BLOCKED_MODULES:
                raise ImportError("sandbox: importing " + str(args[0]) + " is not allowed")
            return
        if event == "open":
            full = resolve_guarded(args[0])
            if full is None:
                return
            mode, flags = args[1], args[2] or 0
            writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (
                flags & _WRITE_FLAGS)
            if writing and not inside(full):
                raise PermissionError("sandbox: writing outside the working directory: " + full)
            if foreign_proc(full):
                raise PermissionError("sandbox: reading another process is not allowed")
            return
        positions = _PATH_EVENTS.get(event)
        if positions:
            for i in positions:
                full = resolve_guarded(args[i]) if i < len(args) else None
                if full is not None and not inside(full):
                    raise PermissionError("sandbox: " + event + " outside the working directory")

    sys.addaudithook(hook)


def _limit(name: str, soft: int, hard: int | None = None) -> None:
    if soft < 0 or not hasattr(resource, name):
        return
    which = getattr(resource, name)
    hard = soft if hard is None else hard
    _, cur_hard = resource.getrlimit(which)
    if cur_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, cur_hard), min(hard, cur_hard)
    resource.setrlimit(which, (soft, hard))


def _report(phase: str) -> None:
    """Print the traceback, with source lines (the code never existed as files)."""
    import linecache
    import traceback

    for name, text in _SOURCES.items():
        linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    sys.stderr.write("[sandbox] " + phase + " raised:\n")
    traceback.print_exc()


def _finish(code: int, nonce: str | None = None) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 (contextlib costs startup time)
            stream.flush()
        except Exception:
            pass
    if nonce is not None:
        os.write(1, ("\n" + nonce + "\n").encode())
    os._exit(code)


def _take(name: str) -> str:
    with open(name, encoding="utf-8") as f:
        text = f.read()
    os.unlink(name)
    return text


def main() -> None:
    try:
        cpu_s, memory_bytes, fsize_bytes, nproc = (int(a) for a in sys.argv[1:5])
        entry = sys.argv[5] if len(sys.argv) > 5 else ""
        nonce = _take("nonce")
        program = _SOURCES["<solution>"] = _take("solution.py")
        tests = _SOURCES["<tests>"] = _take("tests.py")
        _limit("RLIMIT_CPU", cpu_s, cpu_s + 1)
        _limit("RLIMIT_AS", memory_bytes)
        _limit("RLIMIT_FSIZE", fsize_bytes)
        _limit("RLIMIT_NPROC", nproc)
        _limit("RLIMIT_CORE", 0)
        _install_guard(os.getcwd())
    except Exception:
        _report("sandbox setup")
        _finish(EXIT_SETUP)

    ns: dict[str, Any] = {"__name__": "__sandbox__", "__builtins__": __builtins__}
    try:
        exec(compile(program, "<solution>", "exec"), ns)
        if entry and entry not in ns:
            raise NameError("the program does not define " + repr(entry))
    except BaseException:
        _report("the program")
        _finish(EXIT_ERROR)
    try:
        exec(compile(tests, "<tests>", "exec"), ns)
        check = ns.get("check")
        if callable(check) and "def check" in tests:
            if not entry:
                raise ValueError("the tests define check(candidate) but no entry point was given")
            check(ns[entry])
    except BaseException:
        _report("the tests")
        _finish(EXIT_FAILED)
    _finish(0, nonce)


if __name__ == "__main__":
    main()
