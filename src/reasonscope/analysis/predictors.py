"""Which low-level number predicts which skill's loss (DESIGN section 8, Forgetting predictors).

For every checkpoint: `kl_train` (mean KL(tuned || base) on the fine-tuning task's own prompts
with the tuned model's samples: Shenfeld et al. 2025 find it predicts forgetting better than the
size of the update), `kl_eval` (the same on the evaluation suite), the three changed fractions
and the relative update (whole model). Targets: each behavior's drift Δ_b = B_b(tuned) −
B_b(base) and the profile drift ||Δ||₂. Spearman rank correlation across all checkpoints and
methods, with its two-sided p-value; undefined (None) with fewer than three checkpoints or a
constant column. A strongly negative ρ between a statistic and Δ_b says: the more of that
statistic, the more of skill b is lost.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reasonscope.taxonomy import BEHAVIORS

STATISTICS: tuple[str, ...] = ("kl_train", "kl_eval", "changed_frac_exact", "changed_frac_bf16",
                               "changed_frac_tol", "rel_update")
TARGETS: tuple[str, ...] = (*(b.value for b in BEHAVIORS), "drift")
MIN_POINTS = 3


@dataclass
class CheckpointStats:
    label: str
    method: str | None
    stats: dict[str, float | None] = field(default_factory=dict)
    drift: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Correlation:
    statistic: str
    target: str
    rho: float | None
    p_value: float | None
    n: int


@dataclass
class PredictorsReport:
    checkpoints: list[CheckpointStats]
    correlations: list[Correlation]

    def to_dict(self) -> dict[str, Any]:
        return {"checkpoints": [asdict(c) for c in self.checkpoints],
                "correlations": [asdict(c) for c in self.correlations]}

    def best(self, target: str) -> Correlation | None:
        """The statistic most strongly (|ρ|) rank-correlated with `target`."""
        rows = [c for c in self.correlations if c.target == target and c.rho is not None]
        return max(rows, key=lambda c: abs(c.rho or 0.0)) if rows else None


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def spearman(xs: Sequence[float | None], ys: Sequence[float | None]
             ) -> tuple[float | None, float | None, int]:
    """ρ and p over the pairs where both values are finite."""
    from scipy.stats import spearmanr

    pairs = [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)  # type: ignore[arg-type]
             if _finite(x) and _finite(y)]
    n = len(pairs)
    if n < MIN_POINTS or len({p[0] for p in pairs}) < 2 or len({p[1] for p in pairs}) < 2:
        return None, None, n
    result = spearmanr([p[0] for p in pairs], [p[1] for p in pairs])
    rho, p = float(result.statistic), float(result.pvalue)
    return (rho if math.isfinite(rho) else None), (p if math.isfinite(p) else None), n


def correlate(checkpoints: Sequence[CheckpointStats],
              statistics: Sequence[str] = STATISTICS, targets: Sequence[str] = TARGETS
              ) -> PredictorsReport:
    rows = []
    for stat in statistics:
        xs = [c.stats.get(stat) for c in checkpoints]
        for target in targets:
            rho, p, n = spearman(xs, [c.drift.get(target) for c in checkpoints])
            rows.append(Correlation(stat, target, rho, p, n))
    return PredictorsReport(list(checkpoints), rows)


def behavior_drift(base_run: Path | str, runs: Mapping[str, Path | str]
                   ) -> dict[str, dict[str, float | None]]:
    """Per run label: Δ_b for every behavior and ||Δ||₂ against the base run (point values of
    the paired comparison of DESIGN section 5, on the items both runs share)."""
    from reasonscope.results.comparison import compare

    labels = list(runs)
    if not labels:
        return {}
    comp = compare([Path(runs[k]) for k in labels], Path(base_run), replicates=1, flips=1)
    by_path = {prof.run.path.resolve(): pr
               for prof, pr in zip(comp.profiles[1:], comp.paired, strict=True)}
    out: dict[str, dict[str, float | None]] = {}
    for label in labels:
        pr = by_path.get(Path(runs[label]).resolve())
        if pr is None:
            continue
        values: dict[str, float | None] = {
            b.value: (pr.behaviors[b].value if math.isfinite(pr.behaviors[b].value) else None)
            for b in BEHAVIORS}
        d = pr.drift.drift.value
        values["drift"] = d if math.isfinite(d) else None
        out[label] = values
    return out
