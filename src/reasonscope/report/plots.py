"""Figures of a comparison, rendered by matplotlib to PNG bytes so the report embeds them inline
and needs no JavaScript or network. Figures are built on `Figure` objects (no pyplot state), so
rendering is safe in any process and leaves no global figures behind."""

from __future__ import annotations

import io
import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from reasonscope.results.profiles import Comparison, GridScores
from reasonscope.taxonomy import BEHAVIORS, DOMAINS, Behavior

SHORT = {Behavior.CALCULATION: "calc", Behavior.ENUMERATION: "enum",
         Behavior.SIMULATION: "sim", Behavior.FACT_RETRIEVAL: "fact",
         Behavior.DIAGNOSTIC: "diag"}
DPI = 100


def _colors(n: int) -> list[tuple[float, float, float, float]]:
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    return [cmap(i % 10) for i in range(n)]


def to_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def _profile_values(grid: GridScores, domain_index: int | None) -> list[float]:
    if domain_index is None:
        return [grid.behaviors[b].value for b in BEHAVIORS]
    d = DOMAINS[domain_index]
    return [grid.cells[(b, d)].value for b in BEHAVIORS]


def radar(comp: Comparison) -> Figure:
    """Behavior profiles overall and per domain; the base dashed, every model overlaid."""
    panels: list[tuple[str, int | None]] = [("All domains (B)", None)]
    panels += [(d.label, j) for j, d in enumerate(DOMAINS)]
    fig = Figure(figsize=(3.1 * len(panels), 3.6))
    angles = np.linspace(0, 2 * np.pi, len(BEHAVIORS), endpoint=False)
    closed = np.append(angles, angles[0])
    colors = _colors(len(comp.profiles))
    for i, (title, j) in enumerate(panels):
        ax = fig.add_subplot(1, len(panels), i + 1, projection="polar")
        for pi, prof in enumerate(comp.profiles):
            vals = np.array(_profile_values(prof.accuracy, j))
            vals = np.append(vals, vals[0])
            style = "--" if pi == 0 else "-"
            ax.plot(closed, vals, style, color="black" if pi == 0 else colors[pi], lw=1.6,
                    label=prof.label + (" (base)" if pi == 0 else ""))
            if pi:
                ax.fill(closed, np.nan_to_num(vals), color=colors[pi], alpha=0.08)
        ax.set_xticks(angles)
        ax.set_xticklabels([SHORT[b] for b in BEHAVIORS], fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_yticks([0.25, 0.5, 0.75])
        ax.set_yticklabels(["", "0.5", ""], fontsize=7)
        ax.set_title(title, fontsize=10, pad=12)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4), fontsize=8,
               frameon=False)
    fig.subplots_adjust(bottom=0.14, wspace=0.45)
    return fig


def _annotated_grid(ax: Axes, values: np.ndarray, labels: list[list[str]], cmap: str,
                    vmin: float, vmax: float) -> AxesImage:
    masked = np.ma.masked_invalid(values)
    image = ax.imshow(masked, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.set_facecolor("#dddddd")
    ax.set_xticks(range(len(DOMAINS)))
    ax.set_xticklabels([d.label for d in DOMAINS], fontsize=8)
    ax.set_yticks(range(len(BEHAVIORS)))
    ax.set_yticklabels([SHORT[b] for b in BEHAVIORS], fontsize=8)
    for r in range(values.shape[0]):
        for c in range(values.shape[1]):
            ax.text(c, r, labels[r][c], ha="center", va="center", fontsize=7.5,
                    color=_text_color(cmap, (values[r, c] - vmin) / (vmax - vmin)))
    return image


def _text_color(cmap: str, frac: float) -> str:
    """White on dark cells, black on light ones, so every annotation stays readable."""
    from matplotlib import colormaps

    if not math.isfinite(frac):
        return "black"
    red, green, blue, _ = colormaps[cmap](float(np.clip(frac, 0.0, 1.0)))
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.5 else "black"


def heatmap(comp: Comparison) -> Figure:
    """Cell differences vs base (model - base accuracy); * marks BH q <= 0.05."""
    n = max(len(comp.paired), 1)
    fig = Figure(figsize=(3.6 * n, 3.6))
    vals = [np.array([[p.cells[(b, d)].value for d in DOMAINS] for b in BEHAVIORS])
            for p in comp.paired]
    finite = [abs(v) for a in vals for v in a.ravel() if math.isfinite(v)]
    lim = max([0.05, *finite])
    if not comp.paired:
        ax = fig.add_subplot(1, 1, 1)
        ax.text(0.5, 0.5, "no model to compare with the base", ha="center", va="center")
        ax.set_axis_off()
        return fig
    image: AxesImage | None = None
    for i, (p, v) in enumerate(zip(comp.paired, vals, strict=True)):
        ax = fig.add_subplot(1, n, i + 1)
        labels = [[_diff_label(p.cells[(b, d)].value, p.cells[(b, d)].n,
                               p.cells[(b, d)].significant) for d in DOMAINS] for b in BEHAVIORS]
        image = _annotated_grid(ax, v, labels, "RdBu", -lim, lim)
        ax.set_title(f"{p.label} − base", fontsize=10)
    assert image is not None
    fig.colorbar(image, ax=fig.axes, shrink=0.8, label="Δ accuracy")
    return fig


def _diff_label(value: float, n: int, significant: bool) -> str:
    if n == 0:
        return "n=0"
    if not math.isfinite(value):
        return "–"
    return f"{value:+.2f}{'*' if significant else ''}"


def trajectories(comp: Comparison) -> Figure | None:
    """Each behavior (and the overall score) along training steps, with 95% CI bands."""
    series = {k: v for k, v in comp.trajectories.items() if len(v) >= 2}
    if not series:
        return None
    names = [*(b.label for b in BEHAVIORS), "Overall"]
    fig = Figure(figsize=(3.0 * len(names), 3.2))
    colors = _colors(len(series))
    axes = [fig.add_subplot(1, len(names), i + 1) for i in range(len(names))]
    for si, (key, points) in enumerate(series.items()):
        steps = [s for s, _ in points]
        for ai, ax in enumerate(axes):
            ests = [comp.profiles[idx].accuracy.overall if ai == len(BEHAVIORS)
                    else comp.profiles[idx].accuracy.behaviors[BEHAVIORS[ai]]
                    for _, idx in points]
            ax.plot(steps, [e.value for e in ests], "o-", color=colors[si], lw=1.5, ms=3,
                    label=key)
            ax.fill_between(steps, [e.lo for e in ests], [e.hi for e in ests],
                            color=colors[si], alpha=0.2)
    for ax, name in zip(axes, names, strict=True):
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("step", fontsize=8)
        ax.set_ylim(-0.02, 1.02)
        ax.tick_params(labelsize=7)
    axes[0].set_ylabel("accuracy", fontsize=8)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 3), fontsize=8,
               frameon=False)
    fig.subplots_adjust(bottom=0.3, wspace=0.35)
    return fig


def rates(comp: Comparison) -> Figure:
    """Parse rate (top row) and truncation rate (bottom row) per cell for every run."""
    n = len(comp.profiles)
    fig = Figure(figsize=(3.2 * n, 6.4))
    for i, prof in enumerate(comp.profiles):
        for row, (col, cmap, title) in enumerate([(1, "Greens", "parse rate"),
                                                  (2, "Oranges", "truncation rate")]):
            ax = fig.add_subplot(2, n, row * n + i + 1)
            v = np.array([[prof.rates[(b, d)][col] for d in DOMAINS] for b in BEHAVIORS])
            labels = [[("n=0" if prof.rates[(b, d)][0] == 0 else f"{100 * v[r, c]:.0f}%")
                       for c, d in enumerate(DOMAINS)] for r, b in enumerate(BEHAVIORS)]
            _annotated_grid(ax, v, labels, cmap, 0.0, 1.0)
            ax.set_title(f"{prof.label}: {title}", fontsize=9)
    fig.subplots_adjust(hspace=0.45, wspace=0.5)
    return fig


def all_figures(comp: Comparison) -> dict[str, Figure]:
    figs: dict[str, Figure] = {"radar": radar(comp), "heatmap": heatmap(comp)}
    traj = trajectories(comp)
    if traj is not None:
        figs["trajectories"] = traj
    figs["rates"] = rates(comp)
    return figs

