"""The first code a sandboxed process runs (`_sandbox_codec` + this file, passed to `python -c`).

It reads its job (JSON) from stdin, applies the resource limits, installs an audit hook, and
only then runs untrusted code, in one of three roles:

- `calls`: run the program (and the tests' setup lines), evaluate each hole of a test plan
  (`testplan`), and report each value as plain data on the result pipe. The parent compares.
- `serve`: run the program, then answer calls from the `tests` process: a function name and
  arguments in, a value (plain data) or an exception name out.
- `tests`: run the (trusted) test code with the program's functions replaced by proxies that
  call the `serve` process, and report the verdict on the result pipe. No untrusted code runs
  in this process, so nothing can patch its builtins, walk its frames or forge its verdict.

The audit hook (refusing process creation, sockets, writes outside the working directory,
reading other processes, ctypes, gc's object walks, tracing) is a second layer behind the OS
isolation. Everything it uses is bound in a closure before any untrusted code runs; nothing it
consults lives in module globals, where a program could clear it.

Exit codes: 0 done, 3 the tests' setup failed, 4 the program itself failed, 5 bad job.
"""

import json
import os
import resource
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # at run time these come from `_sandbox_codec`, prepended to this source
    from typing import Any, NoReturn

    from reasonscope.scoring._sandbox_codec import CodecError, decode, encode, loads

EXIT_FAILED = 3
EXIT_ERROR = 4
EXIT_SETUP = 5
MAX_JOB_BYTES = 64 * 1024 * 1024
MAX_REPLY_BYTES = 32 * 1024 * 1024


def _install_guard(root: str) -> None:
    root = os.path.realpath(root)
    own_proc = "/proc/" + str(os.getpid())
    realpath, fspath, fsdecode = os.path.realpath, os.fspath, os.fsdecode
    blocked = frozenset({
        "os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.forkpty",
        "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill",
        "socket.__new__", "socket.bind", "socket.connect", "socket.getaddrinfo",
        "socket.gethostbyname", "socket.sendto", "resource.setrlimit", "resource.prlimit",
        "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function", "sys.addaudithook",
        "gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace",
        "sys.setprofile", "sys._current_frames", "os.chroot", "os.setuid", "os.setgid",
    })
    blocked_modules = frozenset({
        "ctypes", "_ctypes", "_posixsubprocess", "_xxsubinterpreters", "_xxinterpchannels",
        "_testcapi", "_testinternalcapi", "_testbuffer", "_testmultiphase",
    })
    path_events = {
        "os.remove": (0,), "os.rename": (0, 1), "os.mkdir": (0,), "os.rmdir": (0,),
        "os.chmod": (0,), "os.chown": (0,), "os.link": (0, 1), "os.symlink": (1,),
        "os.truncate": (0,), "os.utime": (0,), "shutil.rmtree": (0,), "os.setxattr": (0,),
        "os.removexattr": (0,), "shutil.copyfile": (1,), "shutil.move": (1,),
    }
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    busy: list[int] = []

    def resolve(path: "Any") -> "str | None":
        if isinstance(path, int):
            return None
        path = fspath(path)
        if isinstance(path, bytes):
            path = fsdecode(path)
        busy.append(1)
        try:
            return realpath(path)
        finally:
            busy.pop()

    def inside(full: str) -> bool:
        return full == root or full.startswith(root + "/")

    def foreign_proc(full: str) -> bool:
        if not full.startswith("/proc/"):
            return False
        head = full[6:].split("/", 1)[0]
        return head.isdigit() and not (full == own_proc or full.startswith(own_proc + "/"))

    def hook(event: str, args: "tuple[Any, ...]") -> None:
        if busy:
            return
        if event in blocked:
            raise PermissionError("sandbox: " + event + " is not allowed")
        if event == "import":
            if str(args[0]).split(".")[0] in blocked_modules:
                raise ImportError("sandbox: importing " + str(args[0]) + " is not allowed")
            return
        if event == "open":
            full = resolve(args[0])
            if full is None:
                return
            mode, flags = args[1], args[2] or 0
            writing = (mode is not None and any(c in str(mode) for c in "wax+")) or (
                flags & write_flags)
            if writing and not inside(full):
                raise PermissionError("sandbox: writing outside the working directory: " + full)
            if foreign_proc(full):
                raise PermissionError("sandbox: reading another process is not allowed")
            return
        positions = path_events.get(event)
        if positions:
            for i in positions:
                full = resolve(args[i]) if i < len(args) else None
                if full is not None and not inside(full):
                    raise PermissionError("sandbox: " + event + " outside the working directory")

    sys.addaudithook(hook)


def _limit(name: str, soft: int) -> None:
    if soft < 0 or not hasattr(resource, name):
        return
    which = getattr(resource, name)
    hard = soft + 1 if name == "RLIMIT_CPU" else soft
    _, cur_hard = resource.getrlimit(which)
    if cur_hard != resource.RLIM_INFINITY:
        soft, hard = min(soft, cur_hard), min(hard, cur_hard)
    resource.setrlimit(which, (soft, hard))


def _print_exception(sources: "dict[str, str]", phase: str) -> None:
    """The traceback, with source lines (the code never existed as files)."""
    import linecache
    import traceback

    for name, text in sources.items():
        linecache.cache[name] = (len(text), None, text.splitlines(True), name)
    sys.stderr.write("[sandbox] " + phase + " raised:\n")
    traceback.print_exc()


def _finish(code: int) -> "NoReturn":
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 (contextlib costs startup time)
            stream.flush()
        except Exception:
            pass
    os._exit(code)


def _send(fd: int, message: "Any") -> None:
    data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
    while data:
        data = data[os.write(fd, data):]


class _Lines:
    """Newline-delimited messages from a pipe, each at most `limit` bytes."""

    def __init__(self, fd: int, limit: int) -> None:
        self.fd, self.limit, self.buf = fd, limit, b""

    def next(self) -> "Any":
        while b"\n" not in self.buf:
            if len(self.buf) > self.limit:
                raise CodecError("message too large")
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return loads(line, self.limit)


def _exception_text(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "<unprintable>"
    return type(exc).__name__ + ": " + text[:2000]


def _value_message(value: object) -> "dict[str, Any]":
    try:
        return {"v": encode(value)}
    except CodecError:
        try:
            name = type(value).__name__
        except BaseException:
            name = "object"
        return {"not_data": str(name)[:200]}


def _load_program(job: "dict[str, Any]", sources: "dict[str, str]") -> "dict[str, Any] | None":
    """Run the program in a fresh namespace; on failure report and exit."""
    ns: dict[str, Any] = {"__name__": "__sandbox__", "__builtins__": __builtins__}
    program = sources["<solution>"] = job["program"]
    compile_ = compile
    try:
        exec(compile_(program, "<solution>", "exec"), ns)
        entry = job.get("entry") or ""
        if entry and entry not in ns:
            raise NameError("the program does not define " + repr(entry))
    except BaseException:
        _print_exception(sources, "the program")
        return None
    return ns


def _run_calls(job: "dict[str, Any]", sources: "dict[str, str]") -> None:
    out = job["result_fd"]
    eval_, compile_ = eval, compile
    ns = _load_program(job, sources)
    if ns is None:
        _send(out, {"phase": "program"})
        _finish(EXIT_ERROR)
    setup = sources["<tests>"] = job.get("setup") or ""
    try:
        exec(compile_(setup, "<tests>", "exec"), ns)
    except BaseException:
        _print_exception(sources, "the tests' setup")
        _send(out, {"phase": "setup"})
        _finish(EXIT_FAILED)
    entry, param = job.get("entry") or "", job.get("check_param") or ""
    _send(out, {"phase": "ready"})
    for hole in job["holes"]:
        local = {param: ns[entry]} if hole["in_check"] and param and entry else {}
        try:
            value = eval_(compile_(hole["source"], "<tests>", "eval"), ns, local)
            message = _value_message(value)
        except BaseException as exc:
            message = {"raise": _exception_text(exc)}
            _print_exception(sources, hole["source"][:200])
        _send(out, message)
    _send(out, {"phase": "done"})
    _finish(0)


def _serve(job: "dict[str, Any]", sources: "dict[str, str]") -> None:
    requests, replies = job["request_fd"], job["reply_fd"]
    ns = _load_program(job, sources)
    if ns is None:
        _send(replies, {"loaded": False})
        _finish(EXIT_ERROR)
    import types

    kinds: dict[str, list[Any]] = {}
    for name in job["names"]:
        if name not in ns:
            kinds[name] = ["missing"]
            continue
        value = ns[name]
        if isinstance(value, types.ModuleType):
            kinds[name] = ["module", str(getattr(value, "__name__", name))]
        elif callable(value):
            kinds[name] = ["callable"]
        else:
            message = _value_message(value)
            kinds[name] = ["value", message["v"]] if "v" in message else ["other"]
    _send(replies, {"loaded": True, "names": kinds})
    lines = _Lines(requests, MAX_REPLY_BYTES)
    while True:
        request = lines.next()
        if request is None:
            _finish(0)
        try:
            func = ns[request["call"]]
            args: Any = decode(request["args"])
            kwargs: Any = decode(request["kwargs"])
            message = _value_message(func(*args, **kwargs))
        except BaseException as exc:
            message = {"raise": _exception_text(exc)}
        _send(replies, message)


def _run_tests(job: "dict[str, Any]", sources: "dict[str, str]") -> None:
    import builtins
    import importlib

    out = job["result_fd"]
    requests, replies = job["request_fd"], job["reply_fd"]
    lines = _Lines(replies, MAX_REPLY_BYTES)
    hello = lines.next()
    if not hello or not hello.get("loaded"):
        _send(out, {"verdict": "error", "why": "the program failed to load"})
        _finish(0)

    def remote_call(name: str, args: "tuple[Any, ...]", kwargs: "dict[str, Any]") -> "Any":
        try:
            request = {"call": name, "args": encode(list(args)), "kwargs": encode(kwargs)}
        except CodecError as exc:
            raise TypeError("sandbox: arguments for " + name + "() cannot be sent: "
                            + str(exc)) from None
        _send(requests, request)
        reply = lines.next()
        if reply is None:
            raise RuntimeError("sandbox: the program exited during a call to " + name + "()")
        if "raise" in reply:
            kind, _, text = str(reply["raise"]).partition(": ")
            cls = getattr(builtins, kind, None)
            if isinstance(cls, type) and issubclass(cls, Exception):
                raise cls(text)
            raise RuntimeError(kind + ": " + text)
        if "not_data" in reply:
            raise TypeError("sandbox: " + name + "() returned a " + str(reply["not_data"])
                            + ", which is not plain data")
        return decode(reply["v"])

    def proxy(name: str) -> "Any":
        def call(*args: "Any", **kwargs: "Any") -> "Any":
            return remote_call(name, args, kwargs)
        call.__name__ = call.__qualname__ = name
        return call

    ns: dict[str, Any] = {"__name__": "__sandbox__", "__builtins__": builtins}
    for name, kind in hello["names"].items():
        if kind[0] == "callable":
            ns[name] = proxy(name)
        elif kind[0] == "value":
            ns[name] = decode(kind[1])
        elif kind[0] == "module":
            try:  # noqa: SIM105 (contextlib costs startup time)
                ns[name] = importlib.import_module(kind[1])
            except ImportError:
                pass
    entry = job.get("entry") or ""
    if entry and hello["names"].get(entry, ["missing"])[0] != "callable":
        sys.stderr.write("[sandbox] the program does not define " + repr(entry) + "\n")
        _send(out, {"verdict": "error", "why": "the program does not define " + repr(entry)})
        _finish(0)
    tests = sources["<tests>"] = job["tests"]
    try:
        exec(compile(tests, "<tests>", "exec"), ns)
        if job.get("defines_check"):
            ns["check"](ns[entry])
    except BaseException:
        _print_exception(sources, "the tests")
        _send(out, {"verdict": "failed"})
        _finish(0)
    _send(out, {"verdict": "passed"})
    _finish(0)


def _read_job() -> "dict[str, Any]":
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_JOB_BYTES:
            raise ValueError("job too large")
        chunks.append(chunk)
    job: dict[str, Any] = json.loads(b"".join(chunks))
    return job


def main() -> None:
    sources: dict[str, str] = {}
    try:
        job = _read_job()
        limits = job["limits"]
        _limit("RLIMIT_CPU", limits["cpu_s"])
        _limit("RLIMIT_AS", limits["memory_bytes"])
        _limit("RLIMIT_FSIZE", limits["fsize_bytes"])
        _limit("RLIMIT_NPROC", limits["nproc"])
        _limit("RLIMIT_CORE", 0)
        os.umask(0o077)
        _install_guard(os.getcwd())
        role = {"calls": _run_calls, "serve": _serve, "tests": _run_tests}[job["role"]]
    except Exception:
        _print_exception(sources, "sandbox setup")
        _finish(EXIT_SETUP)
    role(job, sources)


if __name__ == "__main__":
    main()
