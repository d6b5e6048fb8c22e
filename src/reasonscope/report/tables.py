"""The tables of a comparison as plain data (title, header, rows of strings), rendered by rich in
the terminal and as HTML in the report, so both views always show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reasonscope.report import fmt
from reasonscope.report.export import cell_key
from reasonscope.results.profiles import Comparison, GridScores
from reasonscope.taxonomy import BEHAVIORS, CELLS, DOMAINS, Behavior


@dataclass(frozen=True)
class TableData:
    title: str
    header: list[str]
    rows: list[list[str]]


def scores(comp: Comparison) -> TableData:
    header = ["score", *(p.label for p in comp.profiles), *(f"Δ {p.label}" for p in comp.paired)]
    rows = [[b.label, *(fmt.est(p.accuracy.behaviors[b]) for p in comp.profiles),
             *(fmt.diff(p.behaviors[b]) for p in comp.paired)] for b in BEHAVIORS]
    rows += [[f"domain: {d.label}", *(fmt.est(p.accuracy.domains[d]) for p in comp.profiles),
              *(fmt.diff(p.domains[d]) for p in comp.paired)] for d in DOMAINS]
    rows.append(["overall", *(fmt.est(p.accuracy.overall) for p in comp.profiles),
                 *(fmt.diff(p.overall) for p in comp.paired)])
    return TableData("Behavior and domain scores (accuracy, 95% CI; Δ vs base, * = BH q <= 0.05)",
                     header, rows)


def cells(comp: Comparison) -> TableData:
    header = ["cell", "n", comp.profiles[0].label]
    for p in comp.paired:
        header += [p.label, f"Δ {p.label}", "p", "q"]
    base = comp.profiles[0]
    prof = {p.label: p for p in comp.profiles}
    rows = []
    for cell in CELLS:
        row = [cell_key(cell), str(base.accuracy.cells[cell].n), fmt.est(base.accuracy.cells[cell])]
        for p in comp.paired:
            d = p.cells[cell]
            row += [fmt.est(prof[p.label].accuracy.cells[cell]), fmt.diff(d), fmt.pvalue(d.p),
                    fmt.pvalue(d.q)]
        rows.append(row)
    return TableData("Cells: accuracy and paired difference vs base (p: sign-flip permutation, "
                     "q: Benjamini-Hochberg across cells)", header, rows)


def shape(comp: Comparison) -> TableData:
    header = ["metric", *(p.label for p in comp.profiles)]
    rows = [["spread", *(fmt.est(p.shape.spread) for p in comp.profiles)],
            ["CV", *(fmt.est(p.shape.cv) for p in comp.profiles)],
            ["balance", *(fmt.est(p.shape.balance) for p in comp.profiles)]]
    if comp.paired:
        rows += [["drift", "", *(fmt.est(p.drift.drift) for p in comp.paired)],
                 ["gain unevenness", "", *(fmt.est(p.drift.unevenness) for p in comp.paired)],
                 ["spike share", "", *(fmt.est(p.drift.spike_share) for p in comp.paired)],
                 ["collapsed", "", *(", ".join(b.value for b in p.collapsed) or "none"
                                     for p in comp.paired)]]
    return TableData("Profile shape over behaviors, and movement vs base", header, rows)


def domain_shape(comp: Comparison) -> TableData:
    header = ["domain", "metric", *(p.label for p in comp.profiles)]
    rows = []
    for d in DOMAINS:
        rows.append([d.label, "balance", *(fmt.est(p.domain_shape[d].balance)
                                           for p in comp.profiles)])
        rows.append([d.label, "spread", *(fmt.est(p.domain_shape[d].spread)
                                          for p in comp.profiles)])
        if comp.paired:
            rows.append([d.label, "drift", "", *(fmt.est(p.domain_drift[d].drift)
                                                 for p in comp.paired)])
            rows.append([d.label, "spike share", "", *(fmt.est(p.domain_drift[d].spike_share)
                                                       for p in comp.paired)])
    return TableData("Profile shape within each domain (profile = the domain's five cells)",
                     header, rows)


def transfer(comp: Comparison) -> TableData:
    header = ["domain"]
    for p in comp.paired:
        header += [f"DI {p.label}", f"TI {p.label}"]
    rows = []
    for d in DOMAINS:
        row = [d.label]
        for p in comp.paired:
            row += [fmt.est(p.transfer_di[d]), fmt.est(p.transfer_index[d], digits=1)]
        rows.append(row)
    return TableData("Transfer index TI_g = 100·DI_g/DI_math (Huan et al. 2025; – = undefined)",
                     header, rows)


def pass_at_k(comp: Comparison) -> TableData | None:
    ks = sorted({k for p in comp.profiles for k in p.pass_at_k if k != 1})
    if not ks:
        return None
    header = ["score", *(f"{p.label} pass@{k}" for p in comp.profiles for k in ks)]

    def cell(grid: GridScores | None, b: Behavior | None) -> str:
        if grid is None:
            return "n/a"
        return fmt.est(grid.overall if b is None else grid.behaviors[b])

    rows = [[b.label, *(cell(p.pass_at_k.get(k), b) for p in comp.profiles for k in ks)]
            for b in BEHAVIORS]
    rows.append(["overall", *(cell(p.pass_at_k.get(k), None) for p in comp.profiles for k in ks)])
    return TableData("pass@k (unbiased estimator, 95% CI; n/a: fewer samples per item than k)",
                     header, rows)


def rates(comp: Comparison) -> TableData:
    header = ["cell", *(p.label for p in comp.profiles)]
    rows = [[cell_key(c), *(f"{fmt.pct(p.rates[c][1])} / {fmt.pct(p.rates[c][2])}"
                            for p in comp.profiles)] for c in CELLS]
    return TableData("Parse rate / truncation rate per cell (share of samples)", header, rows)


def all_tables(comp: Comparison) -> list[TableData]:
    out = [scores(comp), cells(comp), shape(comp), domain_shape(comp)]
    if comp.paired:
        out.append(transfer(comp))
    extra = pass_at_k(comp)
    if extra is not None:
        out.append(extra)
    out.append(rates(comp))
    return out


def to_rich(data: TableData) -> Table:
    table = Table(title=escape(data.title))
    for i, name in enumerate(data.header):
        table.add_column(escape(name), justify="left" if i == 0 else "right")
    for row in data.rows:
        table.add_row(*(escape(x) for x in row))
    return table


def print_comparison(comp: Comparison, console: Console) -> None:
    console.print(f"[bold]Base:[/bold] {escape(comp.profiles[0].label)}   "
                  f"[bold]items:[/bold] {comp.n_items} shared   [bold]seed:[/bold] {comp.seed}   "
                  f"bootstrap {comp.replicates} replicates, {comp.flips} sign flips")
    for w in comp.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(w)}")
    for data in all_tables(comp):
        console.print(to_rich(data))
