"""The review page's HTTP server (standard library only), local by default.

Threat model: the page runs in the reviewer's everyday browser, where any other site can make
requests to 127.0.0.1. So the server (1) binds 127.0.0.1 unless a host is given explicitly,
(2) answers only requests whose Host header names this server (which defeats DNS rebinding),
(3) requires a random per-session token, in the page URL for the page and in a custom header
for every API call (a cross-site request cannot set a custom header without a CORS preflight,
which this server never approves), and (4) refuses a POST whose Origin is another site. The
page itself runs under a nonce-based Content-Security-Policy and writes pool text only as text.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from reasonscope.pools.answer_types import check_answer
from reasonscope.pools.candidates import Candidate, read_candidates
from reasonscope.pools.review.page import render_page
from reasonscope.pools.review.store import (
    DecisionError,
    DecisionStore,
    decisions_path,
    fold,
    progress,
)
from reasonscope.taxonomy import BEHAVIORS, DOMAINS

LOCAL_HOST = "127.0.0.1"
TOKEN_HEADER = "X-Review-Token"
MAX_BODY = 64 * 1024


class ReviewApp:
    """What the handler needs: the candidates, the store and the session's secrets."""

    def __init__(self, candidates_path: Path, db_path: Path | None = None,
                 token: str | None = None, reviewer: str | None = None) -> None:
        self.candidates_path = candidates_path
        self.candidates: list[Candidate] = read_candidates(candidates_path)
        self.by_id = {c.id: c for c in self.candidates}
        self.store = DecisionStore(db_path or decisions_path(candidates_path))
        self.token = token or secrets.token_urlsafe(24)
        self.nonce = secrets.token_urlsafe(16)
        self.reviewer = reviewer
        self.allowed_hosts: set[str] = set()
        self.lock = threading.Lock()

    def state(self) -> dict[str, Any]:
        states, orphans = fold(self.candidates, self.store.all())
        return {
            "states": {cid: {**asdict(s), "behavior": s.behavior.value,
                             "domain": s.domain.value} for cid, s in states.items()},
            "progress": [{"cell": f"{p.cell[0].value}/{p.cell[1].value}", "total": p.total,
                          "decided": p.decided, "accepted": p.accepted, "rejected": p.rejected,
                          "relabelled_out": p.relabelled_out}
                         for p in progress(self.candidates, states)],
            "orphans": len(orphans),
        }

    def candidates_json(self) -> list[dict[str, Any]]:
        return [{**c.item.model_dump(mode="json"), **c.proposal} for c in self.candidates]

    def decide(self, body: dict[str, Any]) -> dict[str, Any]:
        cid = body.get("candidate_id")
        if not isinstance(cid, str) or cid not in self.by_id:
            raise DecisionError(f"unknown candidate {cid!r}")
        fields = {k: body.get(k) for k in ("behavior", "domain", "answer")}
        for key, value in fields.items():
            if value is not None and not isinstance(value, str):
                raise DecisionError(f"{key} must be a string")
        if body.get("action") == "edit" and fields["answer"] is not None:
            try:
                fields["answer"] = check_answer(fields["answer"], self.by_id[cid].item.answer_type)
            except ValueError as exc:
                raise DecisionError(str(exc)) from None
        self.store.record(cid, str(body.get("action")), reviewer=self.reviewer, **fields)
        return self.state()


def _host_names(port: int, host: str) -> set[str]:
    names = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    if host not in (LOCAL_HOST, "localhost"):
        names.add(f"{host}:{port}")
    return names


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    @property
    def app(self) -> ReviewApp:
        return self.server.app

    def _send(self, status: HTTPStatus, body: bytes, content_type: str,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: HTTPStatus, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def _refuse(self, status: HTTPStatus, reason: str) -> None:
        self._json(status, {"error": reason})

    def _host_ok(self) -> bool:
        host = self.headers.get("Host", "")
        if host not in self.app.allowed_hosts:
            self._refuse(HTTPStatus.MISDIRECTED_REQUEST, f"unexpected Host header {host!r}")
            return False
        return True

    def _token_ok(self, presented: str | None) -> bool:
        if not presented or not hmac.compare_digest(presented.encode(), self.app.token.encode()):
            self._refuse(HTTPStatus.FORBIDDEN, "missing or wrong session token")
            return False
        return True

    def do_GET(self) -> None:
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path == "/favicon.ico":  # asked for by every browser, without the token
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            return
        if url.path == "/":
            tokens = parse_qs(url.query).get("token") or []
            token = tokens[0] if tokens else None
            if not self._token_ok(token):
                return
            csp = (f"default-src 'none'; script-src 'nonce-{self.app.nonce}'; style-src "
                   f"'nonce-{self.app.nonce}'; connect-src 'self'; img-src 'self'; "
                   "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
            page = render_page(title=self.app.candidates_path.name, token=self.app.token,
                               nonce=self.app.nonce, behaviors=[b.value for b in BEHAVIORS],
                               domains=[d.value for d in DOMAINS])
            self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8",
                       {"Content-Security-Policy": csp})
            return
        if not self._token_ok(self.headers.get(TOKEN_HEADER)):
            return
        if url.path == "/api/candidates":
            self._json(HTTPStatus.OK, {"candidates": self.app.candidates_json()})
        elif url.path == "/api/state":
            self._json(HTTPStatus.OK, self.app.state())
        else:
            self._refuse(HTTPStatus.NOT_FOUND, "no such path")

    def do_POST(self) -> None:
        if not self._host_ok() or not self._token_ok(self.headers.get(TOKEN_HEADER)):
            return
        origin = self.headers.get("Origin")
        if origin is not None and origin != f"http://{self.headers.get('Host')}":
            self._refuse(HTTPStatus.FORBIDDEN, f"cross-origin request from {origin!r}")
            return
        if urlsplit(self.path).path != "/api/decision":
            self._refuse(HTTPStatus.NOT_FOUND, "no such path")
            return
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json")
            return
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._refuse(HTTPStatus.BAD_REQUEST, "missing or oversized body")
            return
        try:
            body = json.loads(self.rfile.read(length))
            if not isinstance(body, dict):
                raise ValueError("expected a JSON object")
            result = self.app.decide(body)
        except (ValueError, DecisionError) as exc:
            self._refuse(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._json(HTTPStatus.OK, result)


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app: ReviewApp, host: str = LOCAL_HOST, port: int = 8765,
                 verbose: bool = False) -> None:
        self.app = app
        self.verbose = verbose
        super().__init__((host, port), ReviewHandler)
        self.app.allowed_hosts = _host_names(self.server_address[1], host)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self) -> str:
        host = str(self.server_address[0])
        shown = LOCAL_HOST if host in ("0.0.0.0", "::", "") else host
        return f"http://{shown}:{self.port}/?token={self.app.token}"
