"""A minimal OpenAI-compatible server for tests (stdlib only, random port on 127.0.0.1).

Completions are a deterministic function of (prompt, seed, choice index), so tests can check
that seeds reach the server and that retried requests return the same text. Prompts listed in
`fail_first` get one 500 and prompts in `throttle_first` one 429 (with Retry-After) before
succeeding, to exercise the client's retries; prompts in `reject` always get a 400."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def fake_text(prompt: str, seed: int | None, index: int) -> str:
    h = int(hashlib.sha256(f"{prompt}|{seed}|{index}".encode()).hexdigest(), 16)
    return f"Thinking about it. The answer is \\boxed{{{h % 10}}}."


@dataclass
class FakeServer:
    fail_first: set[str] = field(default_factory=set)
    throttle_first: set[str] = field(default_factory=set)
    reject: set[str] = field(default_factory=set)
    requests: list[dict[str, Any]] = field(default_factory=list)
    errors_sent: int = 0
    _seen: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, payload, headers = server.handle(self.path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def handle(self, path: str, body: dict[str, Any]
               ) -> tuple[int, dict[str, Any], dict[str, str]]:
        chat = path.endswith("/chat/completions")
        prompt = body["messages"][-1]["content"] if chat else body["prompt"]
        key = f"{prompt}|{body.get('seed')}"
        with self._lock:
            self.requests.append(body)
            first = key not in self._seen
            self._seen.add(key)
            if any(p in prompt for p in self.reject):
                return 400, {"error": {"message": "bad prompt", "type": "invalid_request"}}, {}
            if first and any(p in prompt for p in self.fail_first):
                self.errors_sent += 1
                return 500, {"error": {"message": "boom", "type": "server_error"}}, {}
            if first and any(p in prompt for p in self.throttle_first):
                self.errors_sent += 1
                return 429, {"error": {"message": "slow down", "type": "rate_limit"}}, {
                    "Retry-After": "0"}
        n = int(body.get("n", 1))
        limit = int(body.get("max_tokens", 16))
        choices = []
        for i in range(n):
            text = fake_text(prompt, body.get("seed"), i)
            words = text.split(" ")
            finish = "length" if len(words) > limit else "stop"
            text = " ".join(words[:limit])
            if chat:
                choices.append({"index": i, "finish_reason": finish,
                                "message": {"role": "assistant", "content": text}})
            else:
                choices.append({"index": i, "finish_reason": finish, "text": text})
        usage = {"prompt_tokens": len(prompt.split()),
                 "completion_tokens": sum(min(len(fake_text(prompt, body.get("seed"), i)
                                                  .split(" ")), limit) for i in range(n)),
                 "total_tokens": 0}
        return 200, {"id": "x", "object": "chat.completion" if chat else "text_completion",
                     "created": 0, "model": body["model"], "choices": choices,
                     "usage": usage}, {}
