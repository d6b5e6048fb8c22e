"""The code sandbox contains hostile programs, and scoring goes on after each of them."""

from __future__ import annotations

import os
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rs_scoring import make_item, pool_rows

from reasonscope.items import Item
from reasonscope.scoring import run_code_tests, score

TESTS = "assert add(2, 3) == 5\nassert add(-1, 1) == 0\n"
GOOD = "def add(a, b):\n    return a + b\n"


def code_item(tests: str | list[str] = TESTS, **meta: object) -> Item:
    return make_item("", "code_tests", meta={"tests": tests, **meta})


def fenced(program: str) -> str:
    return f"Here is my solution.\n\n```python\n{program}```\n"


def assert_scoring_still_works() -> None:
    r = score(code_item(), fenced(GOOD))
    assert (r.correct, r.parse_status) == (True, "ok")


def test_correct_and_wrong_programs() -> None:
    ok = run_code_tests(GOOD, TESTS)
    assert (ok.passed, ok.status) == (True, "passed")
    wrong = run_code_tests("def add(a, b):\n    return a - b\n", TESTS)
    assert (wrong.passed, wrong.status) == (False, "failed")
    assert "AssertionError" in wrong.stderr_tail
    broken = run_code_tests("def add(a, b):\n    return undefined_name\n", TESTS)
    assert broken.status == "failed" and "NameError" in broken.stderr_tail
    crash = run_code_tests("raise RuntimeError('at import')\n", TESTS)
    assert crash.status == "error" and "RuntimeError" in crash.stderr_tail


def test_humaneval_style_check_and_entry_point() -> None:
    tests = "def check(candidate):\n    assert candidate(2, 3) == 5\n"
    assert run_code_tests(GOOD, tests, "add").passed
    assert not run_code_tests("def add(a, b):\n    return 0\n", tests, "add").passed
    missing = run_code_tests("def plus(a, b):\n    return a + b\n", tests, "add")
    assert missing.status == "error" and "does not define 'add'" in missing.stderr_tail
    # A check() that is never called would pass vacuously: refused instead.
    assert run_code_tests(GOOD, tests, None).status == "failed"


def test_infinite_loop_times_out() -> None:
    t0 = time.monotonic()
    r = run_code_tests("def add(a, b):\n    while True:\n        pass\n", TESTS, timeout_s=1.0)
    assert (r.passed, r.status) == (False, "timeout")
    assert time.monotonic() - t0 < 4.0
    assert_scoring_still_works()


def test_sleeping_program_times_out_on_the_wall_clock() -> None:
    r = run_code_tests("import time\ntime.sleep(60)\n", TESTS, timeout_s=1.0)
    assert r.status == "timeout" and r.duration_s < 4.0
    assert_scoring_still_works()


@pytest.mark.parametrize("program", [
    "import os\nwhile True:\n    os.fork()\n",
    "import subprocess\nsubprocess.run(['sh', '-c', ':(){ :|:& };:'])\n",
    "import os\nos.system('sleep 100 &')\n",
    "import multiprocessing\nmultiprocessing.Process(target=print).start()\n",
    "import os\nos.posix_spawn('/bin/sh', ['sh'], {})\n",
])
def test_fork_bombs_and_process_spawning_are_refused(program: str) -> None:
    r = run_code_tests(program + GOOD, TESTS, timeout_s=5.0)
    assert not r.passed and r.status in ("error", "killed")
    assert r.duration_s < 5.0
    assert_scoring_still_works()


def test_process_count_and_memory_limits_are_in_place() -> None:
    probe = ("import resource\n"
             "nproc = resource.getrlimit(resource.RLIMIT_NPROC)[0]\n"
             "assert nproc != resource.RLIM_INFINITY, nproc\n"
             "assert resource.getrlimit(resource.RLIMIT_AS)[0] == 256 * 1024 * 1024\n"
             "assert resource.getrlimit(resource.RLIMIT_CPU)[0] <= 4\n"
             "assert resource.getrlimit(resource.RLIMIT_FSIZE)[0] < 2 ** 31\n" + GOOD)
    r = run_code_tests(probe, TESTS, timeout_s=2.0, memory_mb=256)
    assert r.passed, r.stderr_tail


@pytest.mark.parametrize("program", [
    "x = bytearray(4 * 1024 ** 3)\n",
    "x = [0] * (10 ** 10)\n",
    "chunks = []\nwhile True:\n    chunks.append(bytearray(50 * 1024 ** 2))\n",
])
def test_memory_bombs_are_contained(program: str) -> None:
    r = run_code_tests(program + GOOD, TESTS, timeout_s=5.0, memory_mb=256)
    assert not r.passed and r.status in ("error", "killed")
    assert "MemoryError" in r.stderr_tail or r.status == "killed"
    assert_scoring_still_works()


def test_writes_outside_the_working_directory_fail(tmp_path: Path) -> None:
    victim = tmp_path / "keep.txt"
    victim.write_text("original")
    escape = Path("/tmp") / f"reasonscope-escape-{secrets.token_hex(4)}"
    attempts = [
        f"open({str(tmp_path / 'new.txt')!r}, 'w').write('x')\n",
        f"open({str(victim)!r}, 'a').write('x')\n",
        f"open({str(escape)!r}, 'w').write('x')\n",  # /tmp is world-writable: the hook stops it
        f"import os\nos.remove({str(victim)!r})\n",
        f"import os\nos.rename({str(victim)!r}, 'stolen.txt')\n",
        f"import shutil\nshutil.copyfile('/etc/hostname', {str(escape)!r})\n",
        f"import os\nos.symlink({str(tmp_path)!r}, 'link')\nopen('link/new.txt', 'w')\n",
    ]
    for program in attempts:
        r = run_code_tests(program + GOOD, TESTS)
        assert not r.passed and r.status == "error", program
        assert "PermissionError" in r.stderr_tail, program
    assert victim.read_text() == "original"
    assert not (tmp_path / "new.txt").exists() and not escape.exists()
    assert_scoring_still_works()


def test_writes_inside_the_working_directory_work() -> None:
    program = ("import os, tempfile\n"
               "open('scratch.txt', 'w').write('hi')\n"
               "assert open('scratch.txt').read() == 'hi'\n"
               "os.mkdir('d'); os.remove('scratch.txt')\n"
               "with tempfile.NamedTemporaryFile() as f:\n    f.write(b'x')\n" + GOOD)
    r = run_code_tests(program, TESTS)
    assert r.passed, r.stderr_tail


def test_parent_environment_is_invisible(monkeypatch: pytest.MonkeyPatch) -> None:
    token = secrets.token_hex(8)
    monkeypatch.setenv("REASONSCOPE_TEST_SECRET", token)
    program = ("import os\n"
               "assert 'REASONSCOPE_TEST_SECRET' not in os.environ, 'leaked'\n"
               "print(sorted(os.environ))\n"
               "print(open('/proc/self/environ', 'rb').read())\n" + GOOD)
    r = run_code_tests(program, TESTS)
    assert r.passed, r.stderr_tail
    assert token not in r.stdout_tail
    snoop = ("import os\n"
             "print(open(f'/proc/{os.getppid()}/environ', 'rb').read())\n" + GOOD)
    r = run_code_tests(snoop, TESTS)
    assert not r.passed and token not in r.stdout_tail and token not in r.stderr_tail
    assert_scoring_still_works()


@pytest.mark.skipif(os.geteuid() != 0, reason="privileges are dropped only when running as root")
def test_runs_as_an_unprivileged_user() -> None:
    r = run_code_tests("import os\nassert os.getuid() != 0 and os.getgid() != 0\n"
                       "assert os.getgroups() == []\n" + GOOD, TESTS)
    assert r.passed, r.stderr_tail


@pytest.mark.parametrize("program", [
    "import os\nos._exit(0)\n",
    "import sys\nsys.exit(0)\n",
    "import atexit, os\natexit.register(lambda: os._exit(0))\nraise SystemExit(0)\n",
])
def test_exiting_early_does_not_pass(program: str) -> None:
    r = run_code_tests(program, "assert False\n")
    assert not r.passed and r.status == "error"


def test_flooding_output_is_bounded() -> None:
    r = run_code_tests("while True:\n    print('x' * 100000)\n", TESTS, timeout_s=5.0)
    assert not r.passed and r.status in ("error", "killed")
    assert len(r.stdout_tail) <= 4000 and len(r.stderr_tail) <= 4000
    assert_scoring_still_works()


def test_sockets_and_ctypes_are_refused() -> None:
    for program in ("import socket\nsocket.create_connection(('127.0.0.1', 9))\n",
                    "import ctypes\nctypes.CDLL(None)\n"):
        r = run_code_tests(program + GOOD, TESTS)
        assert not r.passed and r.status == "error", program


def test_concurrent_runs_are_isolated() -> None:
    programs = [GOOD, "def add(a, b):\n    return 0\n"] * 4
    with ThreadPoolExecutor(4) as ex:
        results = list(ex.map(lambda p: run_code_tests(p, TESTS), programs))
    assert [r.passed for r in results] == [True, False] * 4


def test_scoring_code_items() -> None:
    item = code_item()
    assert score(item, fenced(GOOD)).correct
    think = f"<think>```python\n{GOOD}```</think>\n```python\ndef add(a, b):\n    return 0\n```"
    assert not score(item, think).correct  # the draft inside <think> is not the answer
    r = score(item, fenced("def add(a, b)\n    return a + b\n"))
    assert (r.correct, r.parse_status) == (False, "unparseable")  # not Python at all
    assert score(item, "no code at all").parse_status == "no_answer"
    assert score(item, r"\boxed{add = lambda a, b: a + b}").correct  # boxed code, no fence
    mbpp_style = code_item(tests=["assert add(1, 1) == 2", "assert add(0, 0) == 0"])
    assert score(mbpp_style, fenced(GOOD)).correct
    prelude = code_item(tests=TESTS, prelude="from operator import add as plus\n")
    assert score(prelude, fenced("def add(a, b):\n    return plus(a, b)\n")).correct


def test_real_humaneval_solutions() -> None:
    rows = pool_rows("humaneval.jsonl", limit=6)
    for row in rows:
        item = make_item("", "code_tests", prompt=row["question"],
                         meta={"tests": row["meta"]["test"],
                               "entry_point": row["meta"]["entry_point"]})
        right = fenced(row["question"] + row["answer"])
        wrong = fenced(row["question"] + "    return None\n")
        assert score(item, right).correct, row["id"]
        r = score(item, wrong)
        assert (r.correct, r.parse_status) == (False, "ok"), row["id"]
