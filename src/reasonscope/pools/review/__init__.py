"""The local review page: candidates shown with their proposal, decisions saved as made."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from pathlib import Path

from reasonscope.pools.review.server import LOCAL_HOST, ReviewApp, ReviewServer
from reasonscope.pools.review.store import DecisionStore, decisions_path, fold, progress

__all__ = ["LOCAL_HOST", "DecisionStore", "ReviewApp", "ReviewServer", "decisions_path", "fold",
           "progress", "serve"]


def serve(candidates: Path, *, host: str = LOCAL_HOST, port: int = 8765,
          db_path: Path | None = None, open_browser: bool = True, verbose: bool = False,
          on_ready: Callable[[ReviewServer], None] | None = None) -> None:
    """Serve until interrupted. `host` other than 127.0.0.1 must be asked for explicitly."""
    server = ReviewServer(ReviewApp(candidates, db_path), host, port, verbose=verbose)
    if on_ready is not None:
        on_ready(server)
    if open_browser:
        webbrowser.open(server.url())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
