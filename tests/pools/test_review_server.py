"""The review server: local only, refuses foreign Host headers, missing tokens and
cross-origin posts; decisions survive SIGKILL and concurrent writers."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from rs_review import ServerProcess, request, thread_server, token_of

from reasonscope.pools.candidates import read_candidates
from reasonscope.pools.review.store import DecisionError, DecisionStore, decisions_path, fold


def test_binds_loopback_and_serves_page_only_with_token(candidates_file: Path) -> None:
    with thread_server(candidates_file) as server:
        assert server.server_address[0] == "127.0.0.1"
        base, token = f"http://127.0.0.1:{server.port}", token_of(server.url())
        status, body = request(base + "/")
        assert status == 403 and "token" in body["error"]
        status, body = request(base + "/?token=wrong")
        assert status == 403
        status, page = request(f"{base}/?token={token}")
        assert status == 200 and "<script nonce=" in page
        assert read_candidates(candidates_file)[0].item.prompt not in page, "text only via API"
        status, body = request(base + "/api/state")
        assert status == 403
        status, body = request(base + "/api/state", token=token)
        assert status == 200 and body["orphans"] == 0 and body["progress"]


def test_refuses_foreign_host_header_and_cross_origin(candidates_file: Path) -> None:
    with thread_server(candidates_file) as server:
        base, token = f"http://127.0.0.1:{server.port}", token_of(server.url())
        cid = read_candidates(candidates_file)[0].id
        status, body = request(base + "/api/state", token=token,
                               headers={"Host": f"evil.example:{server.port}"})
        assert status == 421 and "Host" in body["error"]
        status, _ = request(base + "/api/state", token=token,
                            headers={"Host": f"localhost:{server.port}"})
        assert status == 200
        status, body = request(base + "/api/decision", token=token,
                               body={"candidate_id": cid, "action": "accept"},
                               headers={"Origin": "http://evil.example"})
        assert status == 403 and "cross-origin" in body["error"]
        status, body = request(base + "/api/decision", body={"candidate_id": cid,
                                                             "action": "accept"})
        assert status == 403
        status, body = request(base + "/api/decision", token=token, body={"x": 1},
                               headers={"Content-Type": "text/plain"})
        assert status == 415
        for bad, reason in (({"candidate_id": "nope", "action": "accept"}, "unknown candidate"),
                            ({"candidate_id": cid, "action": "approve"}, "unknown action"),
                            ({"candidate_id": cid, "action": "relabel", "behavior": "x",
                              "domain": "math"}, "valid behavior"),
                            ({"candidate_id": cid, "action": "edit", "answer": " "}, "empty")):
            status, body = request(base + "/api/decision", token=token, body=bad)
            assert status == 400 and reason in body["error"], body
        assert DecisionStore(decisions_path(candidates_file)).all() == []


def test_explicit_host_is_allowed_in_host_header(candidates_file: Path) -> None:
    with thread_server(candidates_file, host="0.0.0.0") as server:
        status, _ = request(f"http://127.0.0.1:{server.port}/api/state",
                            token=token_of(server.url()))
        assert status == 200 and server.url().startswith("http://127.0.0.1:")


def test_edit_is_checked_against_the_answer_type(candidates_file: Path) -> None:
    cands = read_candidates(candidates_file)
    integer = next(c for c in cands if c.item.answer_type.value == "integer")
    with thread_server(candidates_file) as server:
        base, token = f"http://127.0.0.1:{server.port}", token_of(server.url())
        status, body = request(base + "/api/decision", token=token, body={
            "candidate_id": integer.id, "action": "edit", "answer": "twelve"})
        assert status == 400 and "not an integer" in body["error"]
        status, body = request(base + "/api/decision", token=token, body={
            "candidate_id": integer.id, "action": "edit", "answer": " 12 "})
        assert status == 200 and body["states"][integer.id]["answer"] == "12"


def test_store_fold_semantics(candidates_file: Path) -> None:
    cands = read_candidates(candidates_file)
    store = DecisionStore(decisions_path(candidates_file))
    a, b, c = cands[0].id, cands[1].id, cands[2].id
    store.record(a, "accept")
    store.record(b, "relabel", behavior="simulation", domain="general")
    store.record(c, "edit", answer="99")
    store.record(c, "reject")
    store.record(a, "reset")
    store.record(a, "reject")
    store.record("gone", "accept")
    with pytest.raises(DecisionError):
        store.record(a, "relabel", behavior="simulation", domain="space")
    states, orphans = fold(cands, store.all())
    assert states[a].status == "rejected" and states[a].decisions == 3
    assert (states[b].status, states[b].behavior.value, states[b].domain.value) == (
        "accepted", "simulation", "general")
    assert states[b].relabelled is (cands[1].item.cell != (states[b].behavior,
                                                           states[b].domain))
    assert states[c].status == "rejected" and states[c].answer == "99" and states[c].edited
    assert [o.candidate_id for o in orphans] == ["gone"]


@pytest.mark.slow
def test_sigkill_mid_review_loses_no_acknowledged_decision(candidates_file: Path) -> None:
    """Two 'tabs' post decisions concurrently; the server is SIGKILLed right after the last
    acknowledgement; every acknowledged decision is on disk, and a new server shows them."""
    cands = read_candidates(candidates_file)
    server = ServerProcess(candidates_file)
    acked: list[tuple[str, str]] = []
    lock = threading.Lock()

    def tab(offset: int) -> None:
        for k in range(offset, 24, 2):
            cand = cands[k % len(cands)]
            action = ("accept", "reject")[k % 2]
            status, _ = request(server.base + "/api/decision", token=server.token,
                                body={"candidate_id": cand.id, "action": action})
            assert status == 200
            with lock:
                acked.append((cand.id, action))

    try:
        tabs = [threading.Thread(target=tab, args=(i,)) for i in (0, 1)]
        for t in tabs:
            t.start()
        for t in tabs:
            t.join()
        server.kill()
        assert server.proc.returncode == -9
    finally:
        server.stop()
    stored = DecisionStore(decisions_path(candidates_file)).all()
    assert sorted((d.candidate_id, d.action) for d in stored) == sorted(acked)
    assert len(stored) == 24 and [d.seq for d in stored] == list(range(1, 25))
    restarted = ServerProcess(candidates_file)
    try:
        status, body = request(restarted.base + "/api/state", token=restarted.token)
    finally:
        restarted.stop()
    assert status == 200
    states, _ = fold(cands, stored)
    assert {cid: s["status"] for cid, s in body["states"].items()} == {
        cid: s.status for cid, s in states.items()}
