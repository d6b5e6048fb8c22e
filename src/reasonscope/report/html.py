"""One self-contained HTML file for a comparison: figures inlined as base64 PNG, style inline, no
script and no external resource, so the file opens anywhere, offline, and can be mailed as is.
Everything that comes from data (labels, prompts, completions) is HTML-escaped."""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from html import escape
from pathlib import Path

from reasonscope.fsutil import atomic_write_text
from reasonscope.report import fmt, plots, tables
from reasonscope.report.export import cell_key
from reasonscope.report.template import PAGE, STYLE
from reasonscope.results.profiles import Comparison, Paired
from reasonscope.results.runs import Example, cell_examples
from reasonscope.taxonomy import CELLS

CAPTIONS = {
    "radar": "Behavior profiles: B(b) over all domains, then each domain's five cells. The base "
             "is dashed.",
    "heatmap": "Paired difference of cell accuracy vs the base (model − base). * marks cells "
               "significant after Benjamini-Hochberg across the 20 cells (q ≤ 0.05); grey cells "
               "have no items.",
    "trajectories": "Behavior scores along training steps with 95% bootstrap CI bands.",
    "rates": "Share of samples whose answer parsed (top) and that hit the token limit (bottom).",
}
TITLES = {"radar": "Skill profiles", "heatmap": "Where the model moved",
          "trajectories": "Trajectories over training", "rates": "Parse and truncation rates"}


def _table(data: tables.TableData) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in data.header)
    body = "".join("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in row) + "</tr>"
                   for row in data.rows)
    return (f"<h3>{escape(data.title)}</h3><div class=\"scroll\"><table><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table></div>")


def _figure(name: str, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f"<h2 id=\"{name}\">{escape(TITLES[name])}</h2><figure class=\"plot\" "
            f"data-plot=\"{name}\"><img alt=\"{escape(TITLES[name])}\" "
            f"src=\"data:image/png;base64,{data}\"><figcaption>{escape(CAPTIONS[name])}"
            f"</figcaption></figure>")


def _card(p: Paired) -> str:
    up = sum(1 for d in p.cells.values() if d.significant and d.value > 0)
    down = sum(1 for d in p.cells.values() if d.significant and d.value < 0)
    ti = ", ".join(f"{d.label} {fmt.est(e, 0)}" for d, e in p.transfer_index.items()
                   if e.value == e.value) or "undefined"
    items = [("overall Δ", fmt.diff(p.overall)),
             ("cells up / down (BH)", f"{up} / {down}"),
             ("drift", fmt.est(p.drift.drift)),
             ("gain unevenness", fmt.est(p.drift.unevenness)),
             ("spike share", fmt.est(p.drift.spike_share)),
             ("collapsed", ", ".join(b.value for b in p.collapsed) or "none"),
             ("transfer index", ti)]
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
    return f"<div class=\"card\"><h3>{escape(p.label)} vs base</h3><dl>{rows}</dl></div>"


def _summary(comp: Comparison) -> str:
    base = comp.profiles[0]
    cards = [f"<div class=\"card\"><h3>{escape(base.label)} (base)</h3><dl>"
             f"<dt>overall</dt><dd>{escape(fmt.est(base.accuracy.overall))}</dd>"
             f"<dt>balance</dt><dd>{escape(fmt.est(base.shape.balance))}</dd>"
             f"<dt>spread</dt><dd>{escape(fmt.est(base.shape.spread))}</dd></dl></div>"]
    cards += [_card(p) for p in comp.paired]
    return f"<h2 id=\"summary\">Summary</h2><div class=\"cards\">{''.join(cards)}</div>"


def _runs(comp: Comparison) -> str:
    header = ["run", "model", "run id", "step", "items", "samples/item", "gen config", "suite"]
    rows = []
    for prof, n in zip(comp.profiles, comp.items_per_run, strict=True):
        m = prof.run.manifest
        lo, hi = prof.run.samples_per_item
        rows.append([prof.label, m.model, m.run_id, "" if m.step is None else str(m.step), str(n),
                     str(lo) if lo == hi else f"{lo}-{hi}", m.gen_config_hash, m.suite])
    return _table(tables.TableData("Runs", header, rows))


def _example(ex: Example) -> str:
    mark = "<span class=\"ok\">correct</span>" if ex.correct else "<span class=\"bad\">wrong</span>"
    return (f"<details><summary>{mark} · {escape(ex.item_id)} · parse: "
            f"{escape(ex.parse_status)} · extracted: {escape(ex.extracted or '∅')}</summary>"
            f"<p class=\"muted\">Prompt</p><pre>{escape(ex.prompt)}</pre>"
            f"<p class=\"muted\">Completion</p><pre>{escape(ex.completion)}</pre></details>")


def _examples(comp: Comparison, per_kind: int) -> str:
    if per_kind <= 0:
        return ""
    per_run = [(p.label, cell_examples(p.run, comp.item_ids, per_kind)) for p in comp.profiles]
    parts = ["<h2 id=\"examples\">Example completions</h2><p class=\"sub\">Per cell, up to "
             f"{per_kind} correct and {per_kind} wrong completions of each run (shared items).</p>"]
    for cell in CELLS:
        inner = []
        for label, examples in per_run:
            found = examples[cell]["correct"] + examples[cell]["wrong"]
            body = "".join(_example(e) for e in found) or "<p class=\"muted\">no samples</p>"
            inner.append(f"<h3>{escape(label)}</h3>{body}")
        parts.append(f"<details class=\"cell\"><summary>{escape(cell_key(cell))}</summary>"
                     f"{''.join(inner)}</details>")
    return "".join(parts)


def render_report(comp: Comparison, examples: int = 2, analysis_dir: Path | None = None,
                  sections: Sequence[str] = ()) -> str:
    """`sections`: ready HTML blocks (the demo's claims) placed after the summary cards."""
    figures = {name: plots.to_png(fig) for name, fig in plots.all_figures(comp).items()}
    nav = "".join(f"<a href=\"#{n}\">{escape(TITLES[n])}</a>" for n in figures)
    low_nav: list[tuple[str, str]] = []
    low_body = ""
    if analysis_dir is not None:
        from reasonscope.report.analysis_section import analysis_sections

        low_nav, low_body = analysis_sections(analysis_dir)
    low_links = "".join(f"<a href=\"#{a}\">{escape(t)}</a>" for a, t in low_nav)
    nav = (f"<nav><a href=\"#summary\">Summary</a>{nav}<a href=\"#tables\">Tables</a>"
           f"{low_links}<a href=\"#examples\">Examples</a></nav>")
    warn = ""
    if comp.warnings:
        warn = ("<div class=\"warn\"><strong>Read before trusting these numbers</strong><ul>"
                + "".join(f"<li>{escape(w)}</li>" for w in comp.warnings) + "</ul></div>")
    head = (f"<h1>reasonscope report</h1><p class=\"sub\">Base: {escape(comp.profiles[0].label)}"
            f" · {comp.n_items} shared items · seed {comp.seed} · 95% percentile bootstrap over "
            f"items ({comp.replicates} replicates) · paired sign-flip tests ({comp.flips} flips)"
            "</p>")
    body = [head, nav, warn, _runs(comp), _summary(comp), *sections]
    body += [_figure(name, png) for name, png in figures.items() if name != "rates"]
    body.append("<h2 id=\"tables\">Tables</h2>")
    body += [_table(t) for t in tables.all_tables(comp)]
    if "rates" in figures:
        body.append(_figure("rates", figures["rates"]))
    body.append(low_body)
    body.append(_examples(comp, examples))
    return PAGE.format(title="reasonscope report", style=STYLE, body="\n".join(body))


def write_report(comp: Comparison, path: Path, examples: int = 2,
                 analysis_dir: Path | None = None, sections: Sequence[str] = ()) -> Path:
    """Write atomically, then give the file the usual permissions of a document (the atomic
    temp file is created owner-only)."""
    out = atomic_write_text(Path(path), render_report(comp, examples, analysis_dir, sections))
    mask = os.umask(0)
    os.umask(mask)
    out.chmod(0o666 & ~mask)
    return out
