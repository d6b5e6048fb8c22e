"""The verdict rules: each claim is decided from the numbers alone, flips when the numbers do,
needs the effect in every seed, and says 'inconclusive' (with the reason) when unmeasured."""

from __future__ import annotations

import math
from typing import Any

import pytest

from reasonscope.organism import claims as cl


def iv(value: float | None, half: float = 0.02) -> dict[str, float | None]:
    if value is None:
        return {"value": None, "lo": None, "hi": None}
    return {"value": value, "lo": value - half, "hi": value + half}


def method(drift: list[float], spike: list[float], balance: list[float],
           collapsed: list[int], **extra: Any) -> dict[str, Any]:
    profiles = [{"drift": iv(d), "spike_share": iv(s), "balance": iv(b),
                 "collapsed": ["calculation"] * c}
                for d, s, b, c in zip(drift, spike, balance, collapsed, strict=True)]
    return {"seeds": list(range(len(drift))), "profile": profiles, **extra}


BALANCED: dict[str, Any] = dict(drift=[0.05, 0.06, 0.05], spike=[0.3, 0.35, 0.3],
                                balance=[0.8, 0.8, 0.82], collapsed=[0, 0, 0])
UNEVEN: dict[str, Any] = dict(drift=[0.20, 0.25, 0.22], spike=[0.7, 0.8, 0.75],
                              balance=[0.6, 0.62, 0.6], collapsed=[2, 1, 2])


def test_rl_more_balanced_follows_the_numbers() -> None:
    methods = {"grpo": method(**BALANCED), "sft-short": method(**UNEVEN),
               "sft-long": method(**UNEVEN)}
    claim = cl.rl_more_balanced(methods)
    assert claim.verdict == "supported"
    assert "8 of 8 favour grpo" in claim.evidence and "Rule:" in claim.evidence
    assert "+0.150" in claim.evidence  # the seed-0 drift gap, written out
    swapped = {"grpo": method(**UNEVEN), "sft-short": method(**BALANCED),
               "sft-long": method(**BALANCED)}
    assert cl.rl_more_balanced(swapped).verdict == "contradicted"


def test_an_effect_that_fails_in_one_seed_does_not_count() -> None:
    mixed: dict[str, Any] = dict(BALANCED, drift=[0.05, 0.30, 0.05], spike=[0.3, 0.9, 0.3],
                 balance=[0.8, 0.5, 0.82], collapsed=[0, 3, 0])
    methods = {"grpo": method(**mixed), "sft-short": method(**UNEVEN),
               "sft-long": method(**UNEVEN)}
    claim = cl.rl_more_balanced(methods)
    assert claim.verdict == "inconclusive"
    assert "0 of 8 favour grpo" in claim.evidence


def test_gaps_below_the_stated_minimum_are_no_effect() -> None:
    near: dict[str, Any] = dict(drift=[0.051, 0.061, 0.051], spike=[0.31, 0.36, 0.31],
                balance=[0.795, 0.795, 0.815], collapsed=[0, 0, 0])
    methods = {"sft-long": method(**BALANCED), "sft-short": method(**near)}
    claim = cl.long_cot_rebalances(methods)
    assert claim.verdict == "inconclusive"
    assert "0 of 4 favour sft-long" in claim.evidence


def test_missing_numbers_are_inconclusive_with_the_reason() -> None:
    for claim in cl.decide_claims({}):
        assert claim.verdict == "inconclusive"
        assert claim.evidence.startswith("not measured")


def params(exact: float, bf16: float, tol: float) -> dict[str, float]:
    return {"changed_frac_exact": exact, "changed_frac_bf16": bf16, "changed_frac_tol": tol}


def test_weight_share_claim_is_judged_per_definition() -> None:
    same = [params(0.99, 0.9, 0.8)] * 3
    methods = {m: {"params": same} for m in ("sft-short", "sft-long", "grpo")}
    assert cl.similar_weight_share(methods).verdict == "supported"
    methods["grpo"] = {"params": [params(0.99, 0.9, 0.2)] * 3}
    claim = cl.similar_weight_share(methods)
    assert claim.verdict == "contradicted"
    assert "changed_frac_tol: SFT 0.800, 0.800, 0.800 vs RL 0.200" in claim.evidence
    assert "changed_frac_exact" in claim.evidence and "-> holds" in claim.evidence


def ti_method(entries: dict[str, Any]) -> dict[str, Any]:
    return {"transfer_index": entries}


def test_transfer_claim_uses_the_ci_and_undefined_entries() -> None:
    weak = {d: [{"value": 10.0, "lo": -20.0, "hi": 40.0}] * 3
            for d in ("science", "coding", "general")}
    methods = {m: ti_method(weak) for m in ("sft-short", "sft-long", "grpo")}
    assert cl.no_strong_transfer(methods).verdict == "supported"
    strong = dict(weak, coding=[{"value": 90.0, "lo": 60.0, "hi": 120.0}] * 3)
    methods["grpo"] = ti_method(strong)
    claim = cl.no_strong_transfer(methods)
    assert claim.verdict == "contradicted" and "grpo->coding" in claim.evidence
    undefined = {d: [None, None, None] for d in ("science", "coding", "general")}
    methods = {m: ti_method(undefined) for m in ("sft-short", "sft-long", "grpo")}
    claim = cl.no_strong_transfer(methods)
    assert claim.verdict == "inconclusive" and "27 undefined" in claim.evidence


def test_drift_predictor_ranks_by_spearman() -> None:
    methods: dict[str, Any] = {}
    drifts = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    for i, name in enumerate(("sft-short", "sft-long", "grpo")):
        d = drifts[2 * i: 2 * i + 2]
        methods[name] = {
            "profile": [{"drift": iv(x)} for x in d],
            "lowlevel": [{"kl_train": 10 * x, "rel_update": math.sin(17 * x)} for x in d]}
    claim = cl.best_drift_predictor(methods)
    assert claim.verdict == "supported"
    assert "Best predictor: kl_train (rho +1.00)" in claim.evidence
    for name in methods:  # now the update size tracks drift and KL does not
        methods[name]["lowlevel"] = [{"kl_train": math.sin(17 * p["drift"]["value"]),
                                      "rel_update": p["drift"]["value"]}
                                     for p in methods[name]["profile"]]
    flipped = cl.best_drift_predictor(methods)
    assert flipped.verdict == "contradicted"
    assert flipped.evidence.startswith("Best predictor: rel_update")


@pytest.mark.parametrize("claim", cl.decide_claims({}))
def test_claims_serialize_with_exactly_three_keys(claim: cl.Claim) -> None:
    assert set(claim.to_dict()) == {"claim", "verdict", "evidence"}
