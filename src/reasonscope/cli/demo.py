"""`reasonscope demo`: the whole study in miniature on a model it builds and trains itself."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def demo_cmd(
    out: Annotated[Path, typer.Option(help="output directory (resumed when it exists)")] = Path(
        "demo-out"),
    quick: Annotated[bool, typer.Option(help="smoke-sized: every stage, few steps")] = False,
) -> None:
    """Pretrain a tiny Qwen3 on all 20 cells, fine-tune it on math by SFT (short and long CoT)
    and GRPO, probe every checkpoint, and write report.html and compare.json."""
    from rich.console import Console

    from reasonscope.organism.demo import DemoConfig, run_demo

    console = Console()
    report = run_demo(out, DemoConfig.quick() if quick else DemoConfig(), console)
    console.print(f"[bold green]report:[/bold green] {report}")
    console.print(f"numbers: {out / 'compare.json'}   runs: {out / 'runs'}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)
