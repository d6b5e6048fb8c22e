"""math-verify in worker processes: wall-clock timeouts, threads, fork, and the exact fast path."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator

import pytest
from rs_scoring import boxed, make_item

from reasonscope.scoring import compare as compare_mod
from reasonscope.scoring import score, score_many
from reasonscope.scoring.mathguard import too_costly
from reasonscope.scoring.mathverify_pool import MathVerifyPool, get_pool, verify_equal


@pytest.fixture(scope="module")
def warm_pool() -> Iterator[MathVerifyPool]:
    pool = get_pool()
    assert pool.check("1", "1").equal  # starts a worker outside the timed parts
    yield pool


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in (b"Z", b"X")


def test_hanging_comparison_is_cut_off_and_the_worker_replaced(
        warm_pool: MathVerifyPool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warm_pool, "timeout_s", 1.0)
    # Short, but sympy expands a 10,000-term polynomial (not caught by the cheap size guards;
    # against a numeric gold the shape alone would settle it, so the gold is symbolic too).
    item = make_item("x^2+1", "expression")
    before = set(warm_pool.worker_pids())
    t0 = time.monotonic()
    r = score(item, boxed(r"(x+y+1)^{9999}"))
    elapsed = time.monotonic() - t0
    assert (r.correct, r.parse_status) == (False, "ok")
    assert elapsed < 3.0
    killed = before - set(warm_pool.worker_pids())
    assert killed and not any(_alive(pid) for pid in killed)
    # Scoring goes on with a fresh worker.
    assert score(item, boxed("1+x^2")).correct
    assert score(make_item("5", "expression"), boxed("5")).correct


def test_towers_are_judged_without_computing_them(warm_pool: MathVerifyPool) -> None:
    before = set(warm_pool.worker_pids())
    t0 = time.monotonic()
    for tower in (r"10^{10^{10}}", r"9^{9^{9^{9}}}", r"2^{100000}", "99999!"):
        r = score(make_item("5", "expression"), boxed(tower))
        assert (r.correct, r.parse_status) == (False, "ok")
    assert time.monotonic() - t0 < 1.0
    assert before <= set(warm_pool.worker_pids())  # no worker was killed: none was asked
    assert score(make_item(r"2^{100000}", "expression"), boxed(r"2^{100000}")).correct


def test_cost_guard_spares_ordinary_answers() -> None:
    for expr in (r"2^{10}", r"2^{x^2}", r"e^{-x^2/2}", r"x^{2}+1", r"\frac{2^{10}}{3}", r"10!",
                 r"2^{2007}", r"(n+1)!", r"e^{i\pi}", r"3^{\frac{1}{2}}"):
        assert not too_costly(expr), expr


def test_direct_pool_timeout_verdict(warm_pool: MathVerifyPool) -> None:
    t0 = time.monotonic()
    verdict = verify_equal("5", r"2^{2^{40}}", timeout_s=0.5)
    assert verdict.outcome == "timeout"
    assert time.monotonic() - t0 < 2.5
    assert verify_equal(r"\frac{1}{2}", "0.5").equal


def test_threads_share_the_pool(warm_pool: MathVerifyPool) -> None:
    cases = [("x^2+2x+1", "(x+1)^2", True), (r"\sqrt{8}", r"2\sqrt{2}", True),
             (r"\frac{\pi}{3}", r"\pi/3", True), ("x+1", "x+2", False)] * 3
    results: list[tuple[bool, bool]] = []
    lock = threading.Lock()

    def work(gold: str, pred: str, expected: bool) -> None:
        got = score(make_item(gold, "expression"), boxed(pred)).correct
        with lock:
            results.append((got, expected))

    threads = [threading.Thread(target=work, args=c) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == len(cases)
    assert all(got == expected for got, expected in results)
    assert len(warm_pool.worker_pids()) <= warm_pool.size


def test_forked_child_gets_its_own_workers(warm_pool: MathVerifyPool) -> None:
    parent_workers = set(warm_pool.worker_pids())
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: score through the pool, report, exit without running pytest teardown
        try:
            os.close(read_fd)
            r = score(make_item("x^2+1", "expression"), boxed("1 + x^2"))
            payload = {"correct": r.correct, "workers": get_pool().worker_pids()}
            os.write(write_fd, json.dumps(payload).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    child = json.loads(data)
    assert child["correct"] is True
    assert child["workers"] and not set(child["workers"]) & parent_workers
    # The parent's workers were untouched by the child's exit.
    assert all(_alive(p) for p in parent_workers)
    assert score(make_item(r"\frac{1}{2}", "expression"), boxed("0.5")).correct


def test_exact_answers_never_reach_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("math-verify pool used for an exact answer")

    monkeypatch.setattr(compare_mod, "verify_equal", refuse)
    cases = [("rational", "-7/12", r"-\frac{7}{12}", True), ("rational", "1/2", "0.5", True),
             ("rational", "1/3", "2/3", False), ("expression", "42", "42", True),
             ("expression", "42", "41", False),
             ("expression", r"\frac{14}{3}", r"\frac{28}{6}", True),
             ("expression", r"2^{10} \cdot 3", r"2^{10} \cdot 3", True),
             ("expression", r"\text{Evelyn}", "Evelyn", True), ("integer", "7", "7", True),
             # shapes that cannot be equal: far-apart numbers, a number against a tuple,
             # an interval, a matrix or an expression in a variable
             ("expression", r"3\sqrt{13}", "8", False), ("expression", "3", "4.5", False),
             ("expression", "p - q", "6", False), ("expression", "(3, 4)", "7", False),
             ("expression", "10", "x^5 - 1", False), ("expression", "13", "(5, 9]", False),
             ("expression", "4", r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", False),
             ("expression", "1,-2", "54", False)]
    for answer_type, gold, pred, expected in cases:
        assert score(make_item(gold, answer_type), boxed(pred)).correct is expected, (gold, pred)


def test_score_many_matches_score(warm_pool: MathVerifyPool) -> None:
    pairs = [
        (make_item("x^2+1", "expression"), boxed("1+x^2")),
        (make_item("x^2+1", "expression"), boxed("x^2-1")),
        (make_item("7/12", "rational"), boxed(r"\frac{7}{12}")),
        (make_item("12", "integer"), boxed("12")),
        (make_item("12", "integer"), "no box"),
        (make_item("C", "choice"), boxed("(C)")),
        (make_item(r"\sqrt{2}", "expression"), boxed(r"2^{1/2}")),
        (make_item("a, b", "set"), boxed("b, a")),
    ] * 2
    expected = [score(i, c) for i, c in pairs]
    assert score_many(pairs, workers=3) == expected
    assert score_many(pairs, workers=1) == expected
    assert score_many([]) == []
