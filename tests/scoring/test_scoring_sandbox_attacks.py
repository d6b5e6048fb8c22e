"""Programs that try to be scored correct without being correct, or to reach outside.

Every attack runs against both verdict modes: `calls` (asserts on calls: the child returns
values, this process compares) and `two-process` (free-form test code: the tests run in their
own sandbox and call the program through proxies). A wrong `add` must fail whatever else the
program does. The isolation tests need bubblewrap (installed in CI) and skip where it is not.
"""

from __future__ import annotations

import os
import secrets
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reasonscope.scoring import run_code_tests
from reasonscope.scoring.isolation import isolation

CALLS_TESTS = "assert add(2, 3) == 5\nassert add(-1, 1) == 0\nassert add(10, 5) == 15\n"
# Not of the assert-on-calls form (a loop): runs in the two-process mode.
FREE_TESTS = ("import math\n"
              "def check(candidate):\n"
              "    for a, b in [(2, 3), (-1, 1), (10, 5)]:\n"
              "        assert candidate(a, b) == a + b\n"
              "        assert math.isclose(candidate(a, 0.5), a + 0.5)\n"
              "        assert abs(candidate(a, b) - (a + b)) < 1e-9\n"
              "        assert isinstance(candidate(a, b), int)\n")
GOOD = "def add(a, b):\n    return a + b\n"
WRONG = "def add(a, b):\n    return a - b\n"


def run(program: str, mode: str, **kw: object) -> tuple[bool, str, str]:
    tests, entry = (CALLS_TESTS, None) if mode == "calls" else (FREE_TESTS, "add")
    r = run_code_tests(program, tests, entry, **kw)  # type: ignore[arg-type]
    assert r.mode == mode, r.mode
    return r.passed, r.status, r.stdout_tail + r.stderr_tail


both_modes = pytest.mark.parametrize("mode", ["calls", "two-process"])
needs_bwrap = pytest.mark.skipif(
    isolation().kind != "bwrap", reason=f"bubblewrap cannot run here: {isolation().why}")


@both_modes
def test_honest_programs_pass_and_wrong_ones_fail(mode: str) -> None:
    assert run(GOOD, mode)[:2] == (True, "passed")
    assert run(WRONG, mode)[:2] == (False, "failed")


PATCHED_BUILTINS = [
    # the harness's own tools
    "import builtins\nbuiltins.exec = lambda *a, **k: None\nbuiltins.eval = lambda *a, **k: 5\n",
    "import builtins\nbuiltins.compile = lambda *a, **k: compile('True', '', 'eval')\n",
    "import builtins\nbuiltins.print = lambda *a, **k: None\n",
    # the helpers tests use to compare
    "import builtins, math\nbuiltins.abs = lambda x: 0\nbuiltins.isinstance = lambda *a: True\n"
    "math.isclose = lambda *a, **k: True\n",
    "import builtins\nclass Always(Exception):\n    pass\nbuiltins.AssertionError = Always\n",
    "import builtins\nbuiltins.len = lambda x: 0\nbuiltins.sorted = lambda x, **k: [5]\n",
]


@both_modes
@pytest.mark.parametrize("patch", PATCHED_BUILTINS)
def test_patched_builtins_do_not_make_a_wrong_answer_pass(mode: str, patch: str) -> None:
    passed, status, _ = run(patch + WRONG, mode)
    assert not passed and status in ("failed", "error"), status


def test_patched_math_isclose_in_a_calls_test() -> None:
    tests = "import math\nassert math.isclose(add(0.1, 0.2), 0.3)\nassert add(1, 1) == 2\n"
    cheat = "import math\nmath.isclose = lambda *a, **k: True\n" + WRONG
    r = run_code_tests(cheat, tests)
    assert r.mode == "calls" and (r.passed, r.status) == (False, "failed")
    assert run_code_tests(GOOD, tests).passed


EARLY_EXITS = [
    "import os\nos._exit(0)\n",
    "import sys\nsys.exit(0)\n",
    "raise SystemExit(0)\n",
    "import atexit, os\natexit.register(lambda: os._exit(0))\nraise SystemExit(0)\n",
    "import os\ndef add(a, b):\n    os._exit(0)\n",
    "import sys\ndef add(a, b):\n    sys.exit(0)\n",
    "def add(a, b):\n    raise SystemExit(0)\n",
    "def add(a, b):\n    raise KeyboardInterrupt\n",
]


@both_modes
@pytest.mark.parametrize("program", EARLY_EXITS)
def test_exiting_early_with_success_does_not_pass(mode: str, program: str) -> None:
    passed, status, _ = run(program, mode)
    assert not passed and status in ("failed", "error"), status


ALWAYS_EQUAL = [
    "class E:\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
    "    def __bool__(self): return True\n    __hash__ = object.__hash__\n"
    "def add(a, b):\n    return E()\n",
    "class I(int):\n    def __eq__(self, o): return True\n    __hash__ = int.__hash__\n"
    "def add(a, b):\n    return I(0)\n",
    "class L(list):\n    def __eq__(self, o): return True\n"
    "def add(a, b):\n    return L()\n",
    "class F(float):\n    def __eq__(self, o): return True\n    def __sub__(self, o): return 0.0\n"
    "    def __rsub__(self, o): return 0.0\n    __hash__ = float.__hash__\n"
    "def add(a, b):\n    return F(-1.0)\n",
    "class Liar:\n    @property\n    def __class__(self): return int\n"
    "    def __eq__(self, o): return True\n    __hash__ = object.__hash__\n"
    "def add(a, b):\n    return Liar()\n",
]


@both_modes
@pytest.mark.parametrize("program", ALWAYS_EQUAL)
def test_always_equal_objects_fail(mode: str, program: str) -> None:
    passed, status, output = run(program, mode)
    assert not passed and status == "failed", (status, output)


def test_a_truthy_object_does_not_pass_a_truthiness_test() -> None:
    tests = "assert is_even(4)\nassert not is_even(3)\n"
    cheat = ("class T:\n    def __bool__(self): return True\n"
             "def is_even(n):\n    return T()\n")
    r = run_code_tests(cheat, tests)
    assert r.mode == "calls" and not r.passed
    assert run_code_tests("def is_even(n):\n    return n % 2 == 0\n", tests).passed


FRAME_WALKS = {
    # rewrite the harness: every reported value becomes `True`, every verdict a pass
    "rewrite-harness": "import sys\n"
    "f = sys._getframe()\n"
    "while f is not None:\n"
    "    g = f.f_globals\n"
    "    if '_value_message' in g:\n"
    "        g['_value_message'] = lambda v: {'v': ['b', True]}\n"
    "        g['_exception_text'] = lambda e: 'none'\n"
    "    if 'judge' in g:\n"
    "        g['judge'] = lambda *a: (True, '')\n"
    "    f = f.f_back\n" + WRONG,
    # look for the expected values in the job the child was given (they are not there)
    "find-expected": "import sys, json\n"
    "f = sys._getframe()\n"
    "found = []\n"
    "while f is not None:\n"
    "    for v in list(f.f_locals.values()):\n"
    "        if isinstance(v, dict):\n"
    "            found.append(json.dumps([v.get('holes'), v.get('tests'), v.get('setup')]))\n"
    "    f = f.f_back\n"
    "assert not any('== 5' in s or '15' in s for s in found), found\n" + GOOD,
    # clear everything the audit hook might consult, then reach the network
    "clear-hook": "import __main__\n"
    "for k, v in list(vars(__main__).items()):\n"
    "    if isinstance(v, (set, dict, list)) and not k.startswith('__'):\n"
    "        try:\n            v.clear()\n        except Exception:\n            pass\n"
    "    elif isinstance(v, frozenset):\n"
    "        setattr(__main__, k, frozenset())\n"
    "import socket\n"
    "socket.socket()\n" + WRONG,
}


@both_modes
@pytest.mark.parametrize("attack", list(FRAME_WALKS))
def test_walking_frames_to_the_harness_gains_nothing(mode: str, attack: str) -> None:
    passed, status, output = run(FRAME_WALKS[attack], mode)
    if attack == "find-expected":
        assert passed, output  # the job the child holds has no expected value in it
    else:
        assert not passed and status in ("failed", "error"), status


@both_modes
def test_the_audit_hook_cannot_be_found_to_be_undone(mode: str) -> None:
    """Its state lives in a closure; the ways to reach the function object are refused."""
    program = ("import gc, sys\n"
               "refused = []\n"
               "for walk in (gc.get_objects, lambda: gc.get_referrers(sys),\n"
               "             lambda: sys._current_frames(), lambda: sys.settrace(None)):\n"
               "    try:\n        walk()\n    except PermissionError:\n"
               "        refused.append(1)\n"
               "assert len(refused) == 4, refused\n" + GOOD)
    assert run(program, mode)[:2] == (True, "passed")


def test_forged_result_messages_do_not_pass() -> None:
    """Writing well-formed 'success' messages on every descriptor, then exiting."""
    forger = ("import os, json\n"
              "msgs = [{'phase': 'ready'}] + [{'v': ['b', True]}] * 3 + [{'phase': 'done'}]\n"
              "line = ''.join(json.dumps(m) + '\\n' for m in msgs).encode()\n"
              "verdict = (json.dumps({'verdict': 'passed'}) + '\\n').encode()\n"
              "for fd in range(1, 64):\n"
              "    for data in (line, verdict):\n"
              "        try:\n            os.write(fd, data)\n        except OSError:\n"
              "            pass\n"
              "os._exit(0)\n")
    for mode in ("calls", "two-process"):
        passed, status, _ = run(forger, mode)
        assert not passed and status in ("failed", "error"), (mode, status)


@pytest.fixture()
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on 127.0.0.1 that records whatever connects to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            received.append(conn.recv(100) or b"<connected>")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(timeout=2)
    server.close()


@both_modes
def test_no_network_even_with_the_hook_cleared(mode: str,
                                               listener: tuple[int, list[bytes]]) -> None:
    port, received = listener
    program = ("import __main__\n"
               "for k, v in list(vars(__main__).items()):\n"
               "    if isinstance(v, (set, dict, list)) and not k.startswith('__'):\n"
               "        v.clear()\n"
               "import socket\n"
               "try:\n"
               f"    s = socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
               "    s.sendall(b'escaped')\n"
               "except OSError:\n"
               "    pass\n" + GOOD)
    run(program, mode)
    assert received == []


@needs_bwrap
def test_no_network_at_the_os_level(listener: tuple[int, list[bytes]]) -> None:
    """The hook refuses sockets; the network namespace would too (probed via /proc/net)."""
    program = ("routes = open('/proc/net/route').read().splitlines()[1:]\n"
               "assert routes == [], routes\n"
               "ifaces = [l.split(':')[0].strip() for l in open('/proc/net/dev').readlines()[2:]]\n"
               "assert set(ifaces) <= {'lo'}, ifaces\n" + GOOD)
    assert run_code_tests(program, CALLS_TESTS).passed


@needs_bwrap
def test_os_open_with_dir_fd_cannot_write_outside(tmp_path: Path) -> None:
    target = tmp_path / "escaped.txt"
    shared_tmp = Path(tempfile.gettempdir()) / f"reasonscope-escape-{secrets.token_hex(4)}"
    program = (
        "import os\n"
        "for base, name in ((" + repr(str(tmp_path)) + ", 'escaped.txt'), ('/', "
        + repr(str(shared_tmp).lstrip("/")) + "), ('/tmp', " + repr(shared_tmp.name) + ")):\n"
        "    try:\n"
        "        d = os.open(base, os.O_RDONLY)\n"
        "        fd = os.open(name, os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=d)\n"
        "        os.write(fd, b'escaped')\n"
        "    except OSError:\n"
        "        pass\n" + GOOD)
    for tests, entry in ((CALLS_TESTS, None), (FREE_TESTS, "add")):
        assert run_code_tests(program, tests, entry).passed
    assert not target.exists() and not shared_tmp.exists()


@needs_bwrap
def test_other_files_are_not_readable(tmp_path: Path) -> None:
    token = secrets.token_hex(12)
    secret = tmp_path / "secret.txt"
    secret.write_text(token)
    in_tmp = Path(tempfile.gettempdir()) / f"reasonscope-secret-{secrets.token_hex(4)}"
    in_tmp.write_text(token)
    in_tmp.chmod(0o644)
    try:
        paths = [str(secret), str(in_tmp), str(Path.home() / ".cache" / "huggingface" / "token"),
                 "/etc/passwd", "/etc/shadow", os.path.abspath(__file__)]
        program = (
            f"leaked = []\nfor p in {paths!r}:\n"
            "    try:\n        leaked.append(open(p).read())\n    except OSError:\n        pass\n"
            "print(leaked)\n"
            "def add(a, b):\n    return a + b if not leaked else 0\n")
        for tests, entry in ((CALLS_TESTS, None), (FREE_TESTS, "add")):
            r = run_code_tests(program, tests, entry)
            assert r.passed, r.stdout_tail + r.stderr_tail
            assert token not in r.stdout_tail + r.stderr_tail
    finally:
        in_tmp.unlink()


@needs_bwrap
def test_only_the_sandbox_tmpfs_is_writable() -> None:
    program = (
        "import os\n"
        "writable = []\n"
        "stdlib = os.path.dirname(os.__file__)\n"
        "for d in ('/', '/usr', '/tmp', '/dev', '/dev/shm', '/proc', stdlib):\n"
        "    try:\n"
        "        open(os.path.join(d, 'x'), 'w').close()\n"
        "        writable.append(d)\n"
        "    except OSError:\n"
        "        pass\n"
        "open('scratch', 'w').write('ok')\n"
        "assert writable == [], writable\n"
        "assert os.getcwd() == os.environ['HOME'] == '/sandbox', (os.getcwd(), os.environ)\n"
        "assert sorted(os.environ) == ['HOME', 'LC_ALL', 'PWD', 'TMPDIR'], sorted(os.environ)\n"
        "pids = {p for p in os.listdir('/proc') if p.isdigit()}\n"
        "assert pids <= {'1', '2'}, pids  # bubblewrap's init and this process\n"
        + GOOD)
    r = run_code_tests(program, CALLS_TESTS)
    assert r.passed, r.stderr_tail


@both_modes
def test_the_parent_environment_is_not_readable(mode: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    token = secrets.token_hex(8)
    monkeypatch.setenv("REASONSCOPE_TEST_SECRET", token)
    program = ("import os\n"
               "seen = [repr(dict(os.environ))]\n"
               "for pid in ['self', '1', '2', str(os.getppid())]:\n"
               "    try:\n"
               "        seen.append(repr(open('/proc/' + pid + '/environ', 'rb').read()))\n"
               "    except OSError:\n"
               "        pass\n"
               "print(seen)\n" + GOOD)
    passed, _, output = run(program, mode)
    assert passed and token not in output


@both_modes
def test_huge_return_values_are_bounded(mode: str) -> None:
    program = "def add(a, b):\n    return 'x' * (40 * 1024 * 1024)\n"
    passed, status, _ = run(program, mode, memory_mb=512)
    assert not passed and status in ("failed", "error", "killed")


def test_flooding_the_result_pipe_is_stopped() -> None:
    flood = ("import os\n"
             "for fd in range(3, 32):\n"
             "    try:\n"
             "        while True:\n"
             "            os.write(fd, b'x' * (1 << 20))\n"
             "    except OSError:\n"
             "        pass\n")
    r = run_code_tests(flood, CALLS_TESTS, timeout_s=5.0)
    assert not r.passed and r.status in ("killed", "error") and r.duration_s < 5.0
