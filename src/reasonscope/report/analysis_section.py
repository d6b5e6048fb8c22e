"""The report's low-level sections: one per analysis whose results exist in an analysis
directory (what `reasonscope analyze` writes). Figures are inline PNG, everything from data is
HTML-escaped, and a missing or partial result simply leaves its section out."""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from reasonscope.analysis import plots
from reasonscope.analysis import results_io as rio
from reasonscope.report.plots import to_png

TITLES = {"params": "Weights: what fine-tuning changed", "tokens": "Token-level divergence",
          "latents": "Hidden states and linear probes", "sae": "Sparse autoencoder features",
          "outputs": "What the outputs look like", "predictors": "Forgetting predictors"}
MAX_ROWS = 40


def _fmt(x: Any, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    if isinstance(x, float):
        return f"{x:.{digits}g}" if abs(x) < 1e-3 and x != 0 else f"{x:.{digits}f}"
    return str(x)


def _pct(x: Any) -> str:
    return "–" if not isinstance(x, (int, float)) or x is None else f"{100 * x:.1f}%"


def _table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows[:MAX_ROWS])
    more = (f"<p class=\"muted\">{len(rows) - MAX_ROWS} more rows in the JSON file.</p>"
            if len(rows) > MAX_ROWS else "")
    return (f"<h3>{escape(title)}</h3><div class=\"scroll\"><table><thead><tr>{head}</tr>"
            f"</thead><tbody>{body}</tbody></table></div>{more}")


def _figure(name: str, fig: Figure | None, caption: str) -> str:
    if fig is None:
        return ""
    data = base64.b64encode(to_png(fig)).decode("ascii")
    return (f"<figure class=\"plot\" data-plot=\"{escape(name)}\"><img alt=\"{escape(caption)}\" "
            f"src=\"data:image/png;base64,{data}\"><figcaption>{escape(caption)}</figcaption>"
            "</figure>")


def params_section(d: Mapping[str, Any]) -> str:
    rows = [[r["model"], str(r["n_tensors"]), _pct(r["changed_frac_exact"]),
             _pct(r["changed_frac_bf16"]), _pct(r["changed_frac_tol"]), _fmt(r["mean_abs"]),
             _fmt(r["rel_update"])] for r in d.get("overall", [])]
    parts = [f"<p class=\"sub\">Three definitions of “changed” side by side (atol "
             f"{_fmt(d.get('atol'))}, rtol {_fmt(d.get('rtol'))}): which one a claim rests on "
             "decides whether fine-tuning touched almost every weight or few of them.</p>",
             _table("Whole model", ["model", "tensors", "changed (exact)", "changed (bf16)",
                                    "changed (tol)", "mean |Δ|", "‖Δ‖/‖W0‖"], rows),
             _figure("params-layer", plots.params_by_layer(d),
                     "Changed fraction by layer under each definition."),
             _figure("params-module", plots.params_by_module(d),
                     "Changed fraction by module type under each definition.")]
    cos = [c for c in d.get("cosines", []) if c.get("name") == "*"]
    if cos:
        parts.append(_table("Cosine of two models' updates (whole model)", ["a", "b", "cosine"],
                            [[c["a"], c["b"], _fmt(c["cosine"])] for c in cos]))
    problems = d.get("problems", [])
    if problems:
        parts.append(_table("Tensors not compared as they are", ["model", "kind", "tensor",
                                                                 "detail"],
                            [[p["model"], p["kind"], p["name"], p["detail"]] for p in problems]))
    return "".join(parts)


def tokens_section(d: Mapping[str, Any]) -> str:
    runs = d.get("runs", [])
    thr = _fmt(runs[0].get("kl_threshold")) if runs else "0.1"
    rows = [[r["model"], r["split"], str(r["overall"]["n_texts"]), str(r["overall"]["n_tokens"]),
             _fmt(r["overall"]["kl_tuned_base"]), _fmt(r["overall"]["kl_base_tuned"]),
             _fmt(r["overall"]["js"]), _pct(r["overall"]["top1_agree"]),
             _pct(r["overall"]["share_kl_above"])] for r in runs]
    parts = [_table("Per checkpoint (means over samples of per-sample means over completion "
                    "tokens)", ["model", "split", "samples", "scored tokens", "KL(t‖b)",
                                "KL(b‖t)", "JS", "top-1 agree", f"KL > {thr}"], rows),
             _figure("tokens-cell", plots.tokens_by_cell(d),
                     "Mean KL(tuned ‖ base) per cell on the evaluation samples."),
             _figure("tokens-decile", plots.tokens_by_decile(d),
                     "Mean KL(tuned ‖ base) by relative position in the completion.")]
    for r in runs[:3]:
        movers = [[repr(m["token"]), str(m["token_id"]), str(m["count"]),
                   _fmt(m["mean_rank_change"], 1), _fmt(m["mean_delta_logprob"])]
                  for m in r.get("movers_up", [])[:10]]
        if movers:
            parts.append(_table(f"{r['model']} ({r['split']}): tokens the tuned model promoted "
                                "most", ["token", "id", "count", "mean rank change",
                                         "mean Δ log p"], movers))
    return "".join(parts)


def latents_section(d: Mapping[str, Any]) -> str:
    best: dict[str, Any] = {}
    for s in d.get("shifts", []):
        if s["model"] not in best or (s["centroid_shift_rel"] or 0) > \
                (best[s["model"]]["centroid_shift_rel"] or 0):
            best[s["model"]] = s
    rows = [[m, str(s["layer"]), _fmt(s["centroid_shift"]), _fmt(s["centroid_shift_rel"]),
             _fmt(s["centroid_shift_pca"])] for m, s in best.items()]
    return "".join([
        f"<p class=\"sub\">{escape(str(d.get('n_texts')))} texts, states mean-pooled over the "
        f"{escape(str(d.get('span')))} tokens; PCA fitted on the base.</p>",
        _figure("latents-behavior", plots.probe_accuracy(d, "behavior"),
                "Cross-validated logistic-regression probe accuracy for the behavior, per layer; "
                "dotted: the same probe on shuffled labels."),
        _figure("latents-domain", plots.probe_accuracy(d, "domain"),
                "The same for the domain."),
        _table("Largest centroid shift vs base", ["model", "layer", "shift", "shift / RMS norm",
                                                  "shift in base PCA"], rows)])


def sae_section(d: Mapping[str, Any]) -> str:
    head = [[d["model"], d["hook"], str(d["width"]), str(d["k"]), str(d["n_tokens"]),
             _fmt(d["fvu"]), _fmt(d.get("fvu_heldout")), _fmt(d["l0"], 2),
             _pct(d["dead_frac"])]]
    checks = [[c["model"], _fmt(c["fvu"]), _fmt(c["l0"], 2), _pct(c["dead_frac"]),
               _fmt(c["jaccard_vs_base"])] for c in d.get("checkpoints", [])]
    feats = "".join(
        f"<details><summary>latent {f['feature']} · {escape(f['behavior'])} · AUROC "
        f"{_fmt(f['auroc'])}</summary><pre>{escape(chr(10).join(f['contexts']) or '—')}</pre>"
        "</details>" for f in d.get("top_features", [])[:15])
    return "".join([
        _table("The SAE (trained on the base)", ["model", "hook", "latents", "k", "tokens", "FVU",
                                                 "FVU held out", "L0", "dead"], head),
        _figure("sae-selective", plots.selective_features(d),
                f"Latents selective for each behavior (item-level AUROC ≥ "
                f"{_fmt(d.get('threshold'))})."),
        _table("The base SAE on each checkpoint", ["model", "FVU", "L0", "dead",
                                                   "Jaccard of active latents vs base"], checks)
        if checks else "",
        f"<h3>Most selective latents (top-activating contexts, token in [[ ]])</h3>{feats}"
        if feats else ""])


def outputs_section(d: Mapping[str, Any]) -> str:
    rows = [[c["model"], str(c["n_samples"]), _fmt(c["length_tokens"], 1),
             _pct(c["truncation_rate"]), _pct(c["parse_rate"]), _fmt(c["reflection_rate"], 2),
             _pct(c["reflective"]), _pct(c["repeat_4gram"])] for c in d.get("overall", [])]
    return _table("Per run", ["model", "samples", "length (tokens)", "truncated", "parsed",
                              "reflection words / 100 words", "samples reflecting",
                              "repeated 4-grams"], rows)


def predictors_section(d: Mapping[str, Any]) -> str:
    ck = d.get("checkpoints", [])
    stat_names = list(dict.fromkeys(k for c in ck for k in c.get("stats", {})))
    rows = [[c["label"], c.get("method") or "", *(_fmt(c["stats"].get(k)) for k in stat_names),
             _fmt(c["drift"].get("drift"))] for c in ck]
    return "".join([
        "<p class=\"sub\">Spearman rank correlation, across checkpoints and methods, of each "
        "low-level statistic with each behavior's drift Δ_b (and the profile drift ‖Δ‖). A "
        "negative ρ with Δ_b: more of the statistic, more of skill b lost.</p>",
        _figure("predictors", plots.predictor_heatmap(d), "Spearman ρ (– : fewer than three "
                "checkpoints, or a constant column)."),
        _table("Per checkpoint", ["checkpoint", "method", *stat_names, "drift ‖Δ‖"], rows)])


SECTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "params": params_section, "tokens": tokens_section, "latents": latents_section,
    "sae": sae_section, "outputs": outputs_section, "predictors": predictors_section}


def analysis_sections(directory: Path | str) -> tuple[list[tuple[str, str]], str]:
    """(nav entries (anchor, title), HTML) for every analysis result found in `directory`."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: no such analysis directory")
    nav: list[tuple[str, str]] = []
    parts: list[str] = []
    for name, render in SECTIONS.items():
        data = rio.read_json(directory, name)
        if not data:
            continue
        anchor = f"analysis-{name}"
        try:
            body = render(data)
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{directory / rio.FILES[name]}: unexpected content ({exc!r})"
                             ) from None
        nav.append((anchor, TITLES[name]))
        parts.append(f"<h2 id=\"{anchor}\">{escape(TITLES[name])}</h2>{body}")
    return nav, "".join(parts)
