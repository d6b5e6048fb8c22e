"""Helpers shared by the review tests: start the server (in a thread or as a real process) and
talk to its API the way the page does."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from reasonscope.pools.review.server import ReviewApp, ReviewServer

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def thread_server(candidates: Path, host: str = "127.0.0.1") -> Iterator[ReviewServer]:
    server = ReviewServer(ReviewApp(candidates), host, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def request(url: str, *, token: str | None = None, body: Any = None,
            headers: dict[str, str] | None = None) -> tuple[int, Any]:
    hdrs = dict(headers or {})
    if token is not None:
        hdrs["X-Review-Token"] = token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, headers=hdrs,
                                 method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            kind = resp.headers.get("Content-Type", "")
            return resp.status, json.loads(raw) if "json" in kind else raw.decode()
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


def base_of(url: str) -> str:
    u = urlsplit(url)
    return f"{u.scheme}://{u.netloc}"


class ServerProcess:
    """`reasonscope review FILE --port 0 --no-browser` as a child process."""

    def __init__(self, candidates: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reasonscope.cli", "review", str(candidates), "--port", "0",
             "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env, cwd=REPO)
        self.url = self._read_url()
        self.base, self.token = base_of(self.url), token_of(self.url)

    def _read_url(self) -> str:
        deadline = time.monotonic() + 60
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"(http://\S+)", line)
            if m:
                return m.group(1)
        self.proc.kill()
        err = self.proc.stderr.read() if self.proc.stderr else ""
        raise RuntimeError(f"review server did not start: {err}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
