"""The demo's closing summary in the terminal, read from the study dict alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reasonscope.report.claims_section import IN_RANGE, cells_in_range, fmt_interval

VERDICT_STYLE = {"supported": "green", "contradicted": "red", "inconclusive": "yellow"}


def methods_table(study: Mapping[str, Any]) -> Table:
    table = Table(title="Final checkpoint vs base, per seed (paired item bootstrap 95% CI)")
    for name in ("method", "seed", "math Δ", "overall Δ", "drift", "spike share", "signal"):
        table.add_column(name, justify="left" if name == "method" else "right")
    for method, m in study["methods"].items():
        shares = m.get("signal_share_per_seed") or [None] * len(m["seeds"])
        for i, seed in enumerate(m["seeds"]):
            share = shares[i]
            table.add_row(method, str(seed), fmt_interval(m["math_delta"][i]),
                          fmt_interval(m["overall_delta"][i]),
                          fmt_interval(m["profile"][i]["drift"]),
                          fmt_interval(m["profile"][i]["spike_share"]),
                          "" if share is None else f"{share:.0%}")
    return table


def print_summary(study: Mapping[str, Any], console: Console) -> None:
    lo, hi = IN_RANGE
    cells = study["base"]["cells"]
    console.rule("[bold]The study's claims on this organism")
    console.print(f"Base: {cells_in_range(cells)} of {len(cells)} cells with accuracy in "
                  f"[{lo}, {hi}]; seeds {study['seeds']}.")
    console.print(methods_table(study))
    grpo = study["methods"].get("grpo", {})
    if grpo.get("signal_share") is not None:
        console.print(f"GRPO learning signal: {grpo['signal_share']:.0%} of groups had mixed "
                      "rewards (mean over seeds).")
    for claim in study["claims"]:
        style = VERDICT_STYLE.get(claim["verdict"], "white")
        console.print(f"[bold {style}]{claim['verdict'].upper()}[/bold {style}] "
                      f"{escape(claim['claim'])}")
        console.print(f"  [dim]{escape(claim['evidence'])}[/dim]")
    timings = study.get("timings", {})
    if timings:
        console.print("Timings (s): " + ", ".join(f"{k} {v:g}" for k, v in timings.items()))
