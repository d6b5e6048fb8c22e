"""The report section "The study's claims on this organism", rendered from a study dict (the
demo's `study.json`): each claim with its verdict, the numbers and the rule that decided it,
the per-seed math gains and GRPO's learning signal, and the timings. Every value comes from
the dict, HTML-escaped; nothing is decided here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

SECTION_ID = "claims"
TITLE = "The study's claims on this organism"
IN_RANGE = (0.15, 0.85)
"""Base cell accuracy range in which a cell can show both gains and losses."""
VERDICT_CLASS = {"supported": "ok", "contradicted": "bad", "inconclusive": "muted"}


def fmt_interval(e: Any, digits: int = 3) -> str:
    """`+v [lo, hi]` of a {value, lo, hi} entry; "undefined" where there is no value."""
    if not isinstance(e, Mapping) or e.get("value") is None:
        return "undefined"
    lo, hi = e.get("lo"), e.get("hi")
    ci = f" [{lo:+.{digits}f}, {hi:+.{digits}f}]" if lo is not None and hi is not None else ""
    return f"{e['value']:+.{digits}f}{ci}"


def cells_in_range(cells: Mapping[str, Any]) -> int:
    """How many cell accuracies lie in IN_RANGE."""
    lo, hi = IN_RANGE
    return sum(1 for v in cells.values() if isinstance(v, int | float) and lo <= v <= hi)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in row) + "</tr>"
                   for row in rows)
    return (f"<div class=\"scroll\"><table><thead><tr>{head}</tr></thead><tbody>{body}"
            "</tbody></table></div>")


def _claims(claims: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for c in claims:
        verdict = str(c.get("verdict", ""))
        css = VERDICT_CLASS.get(verdict, "muted")
        parts.append(f"<div class=\"card claim\" data-verdict=\"{escape(verdict)}\">"
                     f"<h3><span class=\"{css}\">{escape(verdict.upper())}</span> "
                     f"{escape(str(c.get('claim', '')))}</h3>"
                     f"<p class=\"muted\">{escape(str(c.get('evidence', '')))}</p></div>")
    return "".join(parts)


def _gains(methods: Mapping[str, Any]) -> str:
    rows = []
    for name, m in methods.items():
        shares = m.get("signal_share_per_seed") or [None] * len(m.get("seeds", []))
        for i, seed in enumerate(m.get("seeds", [])):
            traj = m.get("trajectory", [[]])[i]
            path = ", ".join(f"{p['step']}: {p['math']:+.3f}" for p in traj
                             if isinstance(p.get("math"), int | float))
            share = shares[i] if i < len(shares) else None
            rows.append([name, str(seed), fmt_interval(m["math_delta"][i]),
                         fmt_interval(m["overall_delta"][i]),
                         fmt_interval(m["profile"][i]["drift"]),
                         "" if share is None else f"{share:.0%}", path])
    return _table(["method", "seed", "math Δ (final)", "overall Δ", "drift",
                   "GRPO signal share", "math Δ by step"], rows)


def _transfer(methods: Mapping[str, Any]) -> str:
    rows = []
    for name, m in methods.items():
        for domain, per_seed in m.get("transfer_index", {}).items():
            rows.append([name, domain, *(fmt_interval(e, 0) for e in per_seed)])
    seeds = max((list(m.get("seeds", [])) for m in methods.values()), key=len, default=[])
    return _table(["method", "domain", *(f"seed {s}" for s in seeds)], rows)


def claims_section(study: Mapping[str, Any]) -> str:
    cells = study.get("base", {}).get("cells", {})
    lo, hi = IN_RANGE
    in_range = cells_in_range(cells)
    methods = study.get("methods", {})
    timings = study.get("timings", {})
    timing_text = ", ".join(f"{k} {v:g} s" for k, v in timings.items())
    return (f"<h2 id=\"{SECTION_ID}\">{escape(TITLE)}</h2>"
            f"<p class=\"sub\">Seeds {escape(str(study.get('seeds', [])))}; base accuracy in "
            f"[{lo}, {hi}] on {in_range} of {len(cells)} cells. Each verdict is decided by "
            "the rule stated with it, from the numbers below.</p>"
            f"<div class=\"cards\">{_claims(study.get('claims', []))}</div>"
            "<h3>Math gain of each fine-tune (paired item bootstrap 95% CI)</h3>"
            f"{_gains(methods)}"
            "<h3>Transfer index per seed (undefined where the math term's CI contains 0)</h3>"
            f"{_transfer(methods)}"
            f"<p class=\"muted\">Timings: {escape(timing_text)}</p>")
