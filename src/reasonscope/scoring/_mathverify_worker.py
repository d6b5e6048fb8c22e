"""math-verify worker process: one JSON request per line on stdin, one JSON reply per line.

Run as a script (`python -I _mathverify_worker.py MEMORY_MB`), not imported: it needs nothing from
reasonscope, so it starts the same way whatever the parent's sys.path. math-verify's own
signal-based timeouts are turned off; the parent enforces a wall clock and kills this process when
a comparison hangs (sympy can spin for minutes on `10^{10^{10}}`).

Request: {"gold": str, "pred": str}. Reply: {"equal": bool, "pred_parsed": bool,
"gold_parsed": bool, "pred_numeric": bool (a number: no variables, not a set, tuple or
equation), "error": str | null}. The gold is wrapped in `$...$` (a bare `\\frac12`
silently fails to parse) and the prediction in `\\boxed{}`.

math-verify's unit normalisation is turned off (`NormalizationConfig(units=False)`): it deletes
words such as `d`, `o`, `gm` or `feet` after a digit, so `5d` equalled `5` and `1+2m` equalled 3,
in gold and prediction alike. The parent strips units it can recognise (`\\text{ cm}`) itself.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import sys
import threading
import time
from typing import Any

_CACHE_MAX = 4096
_WARMUP = (("\\frac{1}{2}", "0.5"), ("x^2+2x+1", "(x+1)^2"),
           ("(1, \\pi/2)", "(1, \\frac{\\pi}{2})"), ("\\{1, 2\\}", "\\{2, 1\\}"))


def _watch_parent(parent: int) -> None:
    """Exit when the parent dies (a killed parent never closes our stdin in some setups)."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def main() -> None:
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # stray prints from libraries must not corrupt the protocol
    sys.stdout = sys.stderr
    logging.disable(logging.CRITICAL)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()

    from latex2sympy2_extended.latex2sympy2 import NormalizationConfig
    from math_verify import parse, verify
    from math_verify.parser import ExprExtractionConfig, LatexExtractionConfig
    from sympy import Basic, Expr, MatrixBase

    config = [
        LatexExtractionConfig(normalization_config=NormalizationConfig(
            basic_latex=True, units=False, malformed_operators=True, nits=True, boxed="all",
            equations=False)),
        ExprExtractionConfig(),
    ]

    def parsed_ok(values: list[Any]) -> bool:
        return any(isinstance(v, (Basic, MatrixBase)) for v in values)

    def numeric(values: list[Any]) -> bool:
        first = next((v for v in values if isinstance(v, (Basic, MatrixBase))), None)
        return isinstance(first, Expr) and bool(first.is_number)

    gold_cache: dict[str, list[Any]] = {}
    pred_cache: dict[str, list[Any]] = {}  # the same answer recurs across samples and items

    def cached_parse(cache: dict[str, list[Any]], text: str, wrapped: str) -> list[Any]:
        values = cache.get(text)
        if values is None:
            values = parse(wrapped, extraction_config=config, parsing_timeout=None)
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            cache[text] = values
        return values

    def handle(req: dict[str, Any]) -> dict[str, Any]:
        gold_text, pred_text = str(req["gold"]), str(req["pred"])
        gold = cached_parse(gold_cache, gold_text, f"${gold_text}$")
        pred = cached_parse(pred_cache, pred_text, f"\\boxed{{{pred_text}}}")
        equal = bool(gold) and bool(pred) and bool(verify(gold, pred, timeout_seconds=None))
        return {"equal": equal, "pred_parsed": parsed_ok(pred), "gold_parsed": parsed_ok(gold),
                "pred_numeric": numeric(pred), "error": None}

    for gold, pred in _WARMUP:  # sympy imports and caches lazily: pay that before "ready"
        handle({"gold": gold, "pred": pred})
    proto.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        try:
            reply = handle(json.loads(line))
        except (Exception, RecursionError, MemoryError) as exc:  # reply, never die silently
            reply = {"equal": False, "pred_parsed": False, "gold_parsed": False,
                     "error": f"{type(exc).__name__}: {str(exc)[:200]}"}
        proto.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    main()
