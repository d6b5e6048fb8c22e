"""The study's claims, decided by stated rules from the measured numbers.

Every verdict is computed here from `study.json`'s `methods` block (the same numbers the report
and the terminal summary show): nothing is decided in advance. Each rule needs its effect to
hold in *every* fine-tuning seed (training noise) and to clear a stated minimum size, and a
claim whose numbers were not measured is `inconclusive` with the reason. The evidence string
carries the numbers and the rule, so a reader can check the verdict by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Verdict = Literal["supported", "contradicted", "inconclusive"]

SFT_METHODS = ("sft-short", "sft-long")
RL_METHOD = "grpo"
MIN_GAP: dict[str, float] = {"drift": 0.02, "spike_share": 0.05, "balance": 0.02,
                             "collapsed": 1.0}
"""Smallest difference in a balance metric that counts as one method being more balanced."""
BALANCE_METRICS = ("drift", "spike_share", "balance", "collapsed")
LOWER_IS_BALANCED = {"drift": True, "spike_share": True, "balance": False, "collapsed": True}
LARGE_SHARE = 0.5
SIMILAR_SHARE = 0.1
CHANGE_DEFINITIONS = ("changed_frac_exact", "changed_frac_bf16", "changed_frac_tol")
STRONG_TRANSFER = 50.0
"""TI_g >= 50: domain g gained at least half as much as math, on the index's scale."""
PREDICTOR_ALPHA = 0.05


@dataclass(frozen=True)
class Claim:
    claim: str
    verdict: Verdict
    evidence: str

    def to_dict(self) -> dict[str, str]:
        return {"claim": self.claim, "verdict": self.verdict, "evidence": self.evidence}


def _value(x: Any) -> float:
    """A number, or the `value` of an {value, lo, hi} entry; NaN when missing or null."""
    if isinstance(x, Mapping):
        x = x.get("value")
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else math.nan


def _metric(method: Mapping[str, Any], metric: str) -> list[float]:
    """One balance metric of a method's final checkpoint, per seed."""
    out = []
    for seed_profile in method.get("profile", []):
        v = seed_profile.get(metric)
        out.append(float(len(v)) if metric == "collapsed" and isinstance(v, list) else _value(v))
    return out


def favours(a: Mapping[str, Any], b: Mapping[str, Any], metric: str) -> tuple[str, list[float]]:
    """'a' when a is more balanced than b on `metric` by >= MIN_GAP in every seed, 'b' for the
    reverse, else 'neither'; also the per-seed gaps (positive = a more balanced)."""
    va, vb = _metric(a, metric), _metric(b, metric)
    sign = 1.0 if LOWER_IS_BALANCED[metric] else -1.0
    gaps = [sign * (y - x) for x, y in zip(va, vb, strict=False)]
    if not gaps or any(not math.isfinite(g) for g in gaps):
        return "neither", gaps
    if all(g >= MIN_GAP[metric] for g in gaps):
        return "a", gaps
    if all(g <= -MIN_GAP[metric] for g in gaps):
        return "b", gaps
    return "neither", gaps


def _gaps(gaps: Sequence[float]) -> str:
    return "[" + ", ".join(f"{g:+.3f}" for g in gaps) + "]"


def _balance_claim(text: str, a_name: str, b_names: Sequence[str],
                   methods: Mapping[str, Any]) -> Claim:
    """a more balanced than each of b_names: tally metric comparisons that hold in every seed."""
    missing = [m for m in (a_name, *b_names) if not methods.get(m, {}).get("profile")]
    if missing:
        return Claim(text, "inconclusive", f"not measured: no final profile for {missing}")
    a = methods[a_name]
    for_a = for_b = 0
    parts = []
    for b_name in b_names:
        for metric in BALANCE_METRICS:
            side, gaps = favours(a, methods[b_name], metric)
            for_a += side == "a"
            for_b += side == "b"
            who = {"a": a_name, "b": b_name, "neither": "neither"}[side]
            parts.append(f"{metric} vs {b_name}: gaps per seed {_gaps(gaps)} -> {who}")
    total = len(b_names) * len(BALANCE_METRICS)
    need = math.ceil(total / 2)
    if for_a >= need and for_b == 0:
        verdict: Verdict = "supported"
    elif for_b >= need and for_a == 0:
        verdict = "contradicted"
    else:
        verdict = "inconclusive"
    rule = (f"Rule: a metric favours a method when it is more balanced (lower drift, lower spike "
            f"share, higher balance, fewer collapsed behaviors) by at least "
            f"{', '.join(f'{k} {v:g}' for k, v in MIN_GAP.items())} in every seed; supported "
            f"when >= {need} of {total} comparisons favour {a_name} and none favours the other "
            "side, contradicted in the mirror case, else inconclusive.")
    tally = f"{for_a} of {total} favour {a_name}, {for_b} favour {'/'.join(b_names)}."
    return Claim(text, verdict, f"{tally} {'; '.join(parts)}. {rule}")


def rl_more_balanced(methods: Mapping[str, Any]) -> Claim:
    return _balance_claim("RL's profile stays more balanced than SFT's (balance, spike share, "
                          "drift, collapse counts)", RL_METHOD, SFT_METHODS, methods)


def long_cot_rebalances(methods: Mapping[str, Any]) -> Claim:
    return _balance_claim("Long CoT rebalances SFT compared with short CoT", "sft-long",
                          ("sft-short",), methods)


def similar_weight_share(methods: Mapping[str, Any]) -> Claim:
    """SFT and RL change a similar, large share of weights, under each definition of changed."""
    text = ("SFT and RL change a similar, large share of the weights (by each definition of "
            "'changed')")
    per_def: list[str] = []
    outcomes: list[str] = []
    for key in CHANGE_DEFINITIONS:
        sft_runs = [[_value(p.get(key)) for p in methods.get(m, {}).get("params", [])]
                    for m in SFT_METHODS]
        rl = [_value(p.get(key)) for p in methods.get(RL_METHOD, {}).get("params", [])]
        n = min([len(rl), *(len(s) for s in sft_runs)])
        if n == 0:
            return Claim(text, "inconclusive",
                         "not measured: the parameter analysis of the final checkpoints is "
                         "missing")
        sft = [sum(s[i] for s in sft_runs) / len(sft_runs) for i in range(n)]
        ok = [min(sft[i], rl[i]) >= LARGE_SHARE and abs(sft[i] - rl[i]) <= SIMILAR_SHARE
              for i in range(n)]
        outcome = "holds" if all(ok) else "fails" if not any(ok) else "mixed"
        outcomes.append(outcome)
        per_def.append(f"{key}: SFT {', '.join(f'{x:.3f}' for x in sft)} vs RL "
                       f"{', '.join(f'{x:.3f}' for x in rl[:n])} per seed -> {outcome}")
    if all(o == "holds" for o in outcomes):
        verdict: Verdict = "supported"
    elif any(o == "fails" for o in outcomes):
        verdict = "contradicted"
    else:
        verdict = "inconclusive"
    rule = (f"Rule: under a definition the claim holds in a seed when both shares (SFT: mean of "
            f"short and long CoT) are >= {LARGE_SHARE} and differ by <= {SIMILAR_SHARE}; "
            "supported when it holds in every seed under every definition, contradicted when "
            "some definition fails it in every seed, else inconclusive.")
    return Claim(text, verdict, f"{'; '.join(per_def)}. {rule}")


def no_strong_transfer(methods: Mapping[str, Any]) -> Claim:
    """No strong cross-domain transfer: TI_g of the non-math domains stays below 50."""
    text = (f"No strong cross-domain transfer from math (transfer index TI_g < {STRONG_TRANSFER:g} "
            "for science, coding, general)")
    strong: list[str] = []
    weak = undefined = total = 0
    parts = []
    for name in (*SFT_METHODS, RL_METHOD):
        ti = methods.get(name, {}).get("transfer_index", {})
        for domain, per_seed in sorted(ti.items()):
            shown = []
            lows = []
            for e in per_seed:
                total += 1
                if not isinstance(e, Mapping) or not math.isfinite(_value(e)):
                    undefined += 1
                    shown.append("undefined")
                    lows.append(math.nan)
                    continue
                lo, hi = _value(e.get("lo")), _value(e.get("hi"))
                weak += hi < STRONG_TRANSFER
                lows.append(lo)
                shown.append(f"{_value(e):.0f} [{lo:.0f}, {hi:.0f}]")
            if lows and all(math.isfinite(x) and x >= STRONG_TRANSFER for x in lows):
                strong.append(f"{name}->{domain}")
            parts.append(f"{name}->{domain}: {', '.join(shown)}")
    if total == 0:
        return Claim(text, "inconclusive", "not measured: no transfer index in the study")
    if strong:
        verdict: Verdict = "contradicted"
    elif undefined == 0 and weak * 3 >= 2 * total:
        verdict = "supported"
    else:
        verdict = "inconclusive"
    rule = (f"Rule: TI is undefined where the bootstrap CI of the math term DI_math contains 0; "
            f"contradicted when for some method and domain the TI CI lies entirely at or above "
            f"{STRONG_TRANSFER:g} in every seed; supported when every TI is defined and at least "
            f"two thirds of them have the CI entirely below {STRONG_TRANSFER:g}; else "
            "inconclusive.")
    tally = (f"{weak} of {total} TIs have CI below {STRONG_TRANSFER:g}, {undefined} undefined, "
             f"strong in every seed: {', '.join(strong) or 'none'}.")
    return Claim(text, verdict, f"{tally} {'; '.join(parts)}. {rule}")


def best_drift_predictor(methods: Mapping[str, Any]) -> Claim:
    """Which low-level statistic of a final checkpoint best predicts its behavioral drift
    (Spearman across every method and seed); the claim tested is RL's Razor: KL on the
    fine-tuning distribution predicts it better than the size of the weight update."""
    from scipy.stats import spearmanr

    text = ("The KL divergence on the fine-tuning distribution predicts behavioral drift better "
            "than any other low-level statistic (RL's Razor)")
    rows: dict[str, list[float]] = {}
    drift: list[float] = []
    for name in (*SFT_METHODS, RL_METHOD):
        m = methods.get(name, {})
        for profile, low in zip(m.get("profile", []), m.get("lowlevel", []), strict=False):
            if not isinstance(low, Mapping):
                continue
            drift.append(_value(profile.get("drift")))
            for stat, v in low.items():
                rows.setdefault(stat, []).append(_value(v))
    usable = {k: v for k, v in rows.items()
              if len(v) == len(drift) and len(v) >= 4 and all(math.isfinite(x) for x in v)
              and len(set(v)) > 1}
    if "kl_train" not in usable or len(set(drift)) < 2:
        return Claim(text, "inconclusive", "not measured: KL on the training distribution and "
                     f"other statistics for >= 4 checkpoints are needed (have "
                     f"{sorted(rows)} over {len(drift)} checkpoints, usable: "
                     f"{sorted(usable) or 'none'})")
    stats = {}
    for k, v in usable.items():
        res = spearmanr(v, drift)
        stats[k] = (float(res.statistic), float(res.pvalue))
    ranked = sorted(stats.items(), key=lambda kv: -abs(kv[1][0]) if math.isfinite(kv[1][0])
                    else 0.0)
    best, (rho_best, p_best) = ranked[0]
    rho_kl, p_kl = stats["kl_train"]
    if best == "kl_train" and p_kl < PREDICTOR_ALPHA:
        verdict: Verdict = "supported"
    elif best != "kl_train" and p_best < PREDICTOR_ALPHA and p_kl >= PREDICTOR_ALPHA:
        verdict = "contradicted"
    else:
        verdict = "inconclusive"
    listed = "; ".join(f"{k}: rho {r:+.2f} (p {p:.3f})" for k, (r, p) in ranked)
    rule = (f"Rule: Spearman rho of each statistic with drift over {len(drift)} final "
            f"checkpoints (every method and seed); supported when kl_train has the largest "
            f"|rho| with p < {PREDICTOR_ALPHA}, contradicted when another statistic has the "
            f"largest |rho| with p < {PREDICTOR_ALPHA} and kl_train's p >= {PREDICTOR_ALPHA}, "
            "else inconclusive.")
    return Claim(text, verdict, f"Best predictor: {best} (rho {rho_best:+.2f}); kl_train rho "
                 f"{rho_kl:+.2f}. {listed}. {rule}")


def decide_claims(methods: Mapping[str, Any]) -> list[Claim]:
    return [rl_more_balanced(methods), long_cot_rebalances(methods),
            similar_weight_share(methods), no_strong_transfer(methods),
            best_drift_predictor(methods)]
