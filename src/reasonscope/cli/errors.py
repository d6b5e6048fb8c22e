"""The one way a command reports a user error: one red line on stderr, exit code 2."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print `error: message` and return the Exit to raise (`raise fail(...) from None`)."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/yellow] {escape(message)}", highlight=False, soft_wrap=True)


def validation_message(exc: Exception) -> str:
    """A pydantic ValidationError as `field: reason; field: reason` (every error, so a file
    with several bad fields is fixed in one pass), anything else as text."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = [f"{'.'.join(str(p) for p in e.get('loc', ())) or 'value'}: {e.get('msg', exc)}"
                 for e in errors()]
        return "; ".join(parts) or str(exc)
    return str(exc)


__all__ = ["err", "fail", "validation_message", "warn"]
