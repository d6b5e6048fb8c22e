"""Figures of the analyses, drawn from their JSON results (what `analyze` writes), so a report
can be rebuilt from the files alone. Figures are `Figure` objects (no pyplot state); the
report renders them to PNG."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reasonscope.taxonomy import BEHAVIORS, DOMAINS

DEFINITIONS = (("changed_frac_exact", "stored values differ"),
               ("changed_frac_bf16", "differ after bf16 cast"),
               ("changed_frac_tol", "|Δ| > atol + rtol·|w0|"))
MAX_SERIES = 8
SHORT = {"calculation": "calc", "enumeration": "enum", "simulation": "sim",
         "fact_retrieval": "fact", "diagnostic": "diag"}


def _colors(n: int) -> list[tuple[float, float, float, float]]:
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    return [cmap(i % 10) for i in range(n)]


def _num(x: Any) -> float:
    return float(x) if isinstance(x, (int, float)) and x is not None else math.nan


def _legend(fig: Figure, ax: Axes, ncol: int = 4) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), ncol),
                   fontsize=8, frameon=False)


def _integer_ticks(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _pick(models: Sequence[str]) -> list[str]:
    """At most MAX_SERIES series, spread over the list (long trajectories stay legible)."""
    if len(models) <= MAX_SERIES:
        return list(models)
    idx = sorted({round(i * (len(models) - 1) / (MAX_SERIES - 1)) for i in range(MAX_SERIES)})
    return [models[i] for i in idx]


def params_by_layer(data: Mapping[str, Any]) -> Figure:
    """Changed fraction per layer under each definition, one line per tuned model."""
    rows = [r for r in data.get("by_layer", []) if str(r.get("key", "")).isdigit()]
    models = _pick(list(dict.fromkeys(r["model"] for r in rows)))
    fig = Figure(figsize=(13, 3.6))
    colors = _colors(len(models))
    axes = [fig.add_subplot(1, 3, i + 1) for i in range(3)]
    for ax, (key, title) in zip(axes, DEFINITIONS, strict=True):
        for c, m in zip(colors, models, strict=True):
            pts = sorted((int(r["key"]), _num(r[key])) for r in rows if r["model"] == m)
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", ms=3, lw=1.4, color=c,
                    label=m)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("layer", fontsize=8)
        _integer_ticks(ax)
        ax.set_ylim(-0.02, 1.02)
        ax.tick_params(labelsize=7)
    axes[0].set_ylabel("changed fraction", fontsize=8)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.3, wspace=0.3)
    return fig


def params_by_module(data: Mapping[str, Any]) -> Figure:
    """Changed fraction per module type under each definition (grouped bars per model)."""
    rows = data.get("by_module", [])
    models = _pick(list(dict.fromkeys(r["model"] for r in rows)))
    modules = sorted({r["key"] for r in rows})
    fig = Figure(figsize=(13, 3.6))
    colors = _colors(len(models))
    width = 0.8 / max(len(models), 1)
    axes = [fig.add_subplot(1, 3, i + 1) for i in range(3)]
    for ax, (key, title) in zip(axes, DEFINITIONS, strict=True):
        for mi, (c, m) in enumerate(zip(colors, models, strict=True)):
            vals = {r["key"]: _num(r[key]) for r in rows if r["model"] == m}
            x = np.arange(len(modules)) + mi * width
            ax.bar(x, [vals.get(k, math.nan) for k in modules], width, color=c, label=m)
        ax.set_xticks(np.arange(len(modules)) + 0.4 - width / 2)
        ax.set_xticklabels(modules, fontsize=7, rotation=45)
        ax.set_title(title, fontsize=10)
        ax.set_ylim(0, 1.02)
        ax.tick_params(labelsize=7)
    axes[0].set_ylabel("changed fraction", fontsize=8)
    _legend(fig, axes[0])
    fig.subplots_adjust(bottom=0.35, wspace=0.3)
    return fig


def tokens_by_cell(data: Mapping[str, Any], split: str = "eval") -> Figure | None:
    """Mean KL(tuned || base) per behavior × domain cell, one grid per model."""
    runs = [r for r in data.get("runs", []) if r.get("split") == split]
    runs = [r for r in runs if r["model"] in _pick([x["model"] for x in runs])]
    if not runs:
        return None
    fig = Figure(figsize=(3.4 * len(runs), 3.4))
    values = []
    for r in runs:
        cells = {c["key"]: _num(c["kl_tuned_base"]) for c in r.get("cells", [])}
        values.append(np.array([[cells.get(f"{b.value}/{d.value}", math.nan) for d in DOMAINS]
                                for b in BEHAVIORS]))
    finite = [v for a in values for v in a.ravel() if math.isfinite(v)]
    vmax = max(finite) if finite else 1.0
    image = None
    for i, (r, v) in enumerate(zip(runs, values, strict=True)):
        ax = fig.add_subplot(1, len(runs), i + 1)
        image = ax.imshow(np.ma.masked_invalid(v), cmap="magma_r", vmin=0, vmax=vmax or 1.0,
                          aspect="auto")
        ax.set_facecolor("#dddddd")
        ax.set_xticks(range(len(DOMAINS)))
        ax.set_xticklabels([d.value for d in DOMAINS], fontsize=7, rotation=30)
        ax.set_yticks(range(len(BEHAVIORS)))
        ax.set_yticklabels([SHORT[b.value] for b in BEHAVIORS], fontsize=7)
        for (row, col), val in np.ndenumerate(v):
            if math.isfinite(val):
                ax.text(col, row, f"{val:.2g}", ha="center", va="center", fontsize=6.5,
                        color="white" if val > 0.6 * (vmax or 1) else "black")
        ax.set_title(r["model"], fontsize=9)
    if image is not None:
        fig.colorbar(image, ax=fig.axes, shrink=0.8, label="mean KL (nats)")
    return fig


def tokens_by_decile(data: Mapping[str, Any]) -> Figure | None:
    """Mean KL(tuned || base) by relative position in the completion (deciles)."""
    runs = data.get("runs", [])
    if not runs:
        return None
    fig = Figure(figsize=(7, 3.4))
    ax = fig.add_subplot(1, 1, 1)
    shown = _pick([f"{r['model']} ({r['split']})" for r in runs])
    colors = _colors(len(shown))
    for r in runs:
        name = f"{r['model']} ({r['split']})"
        if name not in shown:
            continue
        dec = [_num(v) for v in r["overall"]["kl_by_decile"]]
        ax.plot(range(1, len(dec) + 1), dec, "o-" if r["split"] == "eval" else "s--", ms=3,
                color=colors[shown.index(name)], label=name)
    ax.set_xlabel("completion decile", fontsize=8)
    ax.set_ylabel("mean KL (nats)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def probe_accuracy(data: Mapping[str, Any], target: str = "behavior") -> Figure | None:
    """Probe accuracy per layer for each model; dashed: the same probe on shuffled labels."""
    rows = [p for p in data.get("probes", []) if p["target"] == target]
    if not any(p["accuracy"] is not None for p in rows):
        return None
    models = list(dict.fromkeys(p["model"] for p in rows))
    fig = Figure(figsize=(7, 3.4))
    ax = fig.add_subplot(1, 1, 1)
    for c, m in zip(_colors(len(models)), models, strict=True):
        pts = sorted((p["layer"], _num(p["accuracy"]), _num(p["shuffled_accuracy"]))
                     for p in rows if p["model"] == m)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", ms=3, color=c, label=m)
        ax.plot([p[0] for p in pts], [p[2] for p in pts], ":", color=c, lw=1)
    chance = _num(rows[0].get("chance"))
    if math.isfinite(chance):
        ax.axhline(chance, color="grey", lw=0.8, ls="--", label="majority class")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("layer (0 = embeddings)", fontsize=8)
    _integer_ticks(ax)
    ax.set_ylabel(f"{target} probe accuracy", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def selective_features(data: Mapping[str, Any]) -> Figure:
    """Latents selective (AUROC >= threshold) for each behavior: base, then each checkpoint."""
    series = [("base", data.get("selective_counts", {}))]
    series += [(c["model"], c.get("selective_counts", {})) for c in data.get("checkpoints", [])]
    behaviors = [b.value for b in BEHAVIORS]
    fig = Figure(figsize=(8, 3.4))
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / len(series)
    for i, (c, (name, counts)) in enumerate(zip(_colors(len(series)), series, strict=True)):
        ax.bar(np.arange(len(behaviors)) + i * width, [counts.get(b, 0) for b in behaviors],
               width, color=c, label=name)
    ax.set_xticks(np.arange(len(behaviors)) + 0.4 - width / 2)
    ax.set_xticklabels(behaviors, fontsize=8)
    ax.set_ylabel("selective latents", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def predictor_heatmap(data: Mapping[str, Any]) -> Figure | None:
    """Spearman ρ of each low-level statistic (rows) with each drift target (columns)."""
    rows = data.get("correlations", [])
    stats = list(dict.fromkeys(r["statistic"] for r in rows))
    targets = list(dict.fromkeys(r["target"] for r in rows))
    if not stats or not targets:
        return None
    grid = np.full((len(stats), len(targets)), math.nan)
    for r in rows:
        grid[stats.index(r["statistic"]), targets.index(r["target"])] = _num(r["rho"])
    fig = Figure(figsize=(1.3 * len(targets) + 2.5, 0.5 * len(stats) + 1.5))
    ax = fig.add_subplot(1, 1, 1)
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="RdBu", vmin=-1, vmax=1, aspect="auto")
    ax.set_facecolor("#dddddd")
    ax.set_xticks(range(len(targets)))
    ax.set_xticklabels(targets, fontsize=7, rotation=30)
    ax.set_yticks(range(len(stats)))
    ax.set_yticklabels(stats, fontsize=7)
    for (r, c), val in np.ndenumerate(grid):
        ax.text(c, r, "–" if not math.isfinite(val) else f"{val:+.2f}", ha="center",
                va="center", fontsize=7,
                color="white" if math.isfinite(val) and abs(val) > 0.6 else "black")
    fig.colorbar(image, ax=ax, shrink=0.8, label="Spearman ρ")
    return fig
