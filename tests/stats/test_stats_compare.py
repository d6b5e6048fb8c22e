"""`reasonscope compare` on simulated run directories: its JSON against a direct computation from
the stored samples, known effects, and the awkward inputs (partial overlap, one sample per item,
empty cells, a missing base, different generation configs, training trajectories)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
import typer
from rs_simruns import shifted, simulate_run
from typer.testing import CliRunner

from reasonscope.cli.compare import register
from reasonscope.results import stats
from reasonscope.taxonomy import BEHAVIORS, CELLS, DOMAINS, Behavior, Domain


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def run_cli(app: typer.Typer, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result


def compare_json(app: typer.Typer, *args: str) -> dict[str, Any]:
    result = run_cli(app, "compare", *args, "--json")
    return dict(json.loads(result.stdout))


def stored_item_accuracy(run_dir: Path) -> dict[str, tuple[str, str, float]]:
    """item id -> (behavior, domain, correct/samples), straight from the Parquet shards."""
    counts: dict[str, list[Any]] = {}
    for shard in sorted(run_dir.glob("samples-*.parquet")):
        for row in pq.read_table(shard).to_pylist():
            entry = counts.setdefault(row["item_id"], [row["behavior"], row["domain"], 0, 0])
            entry[2] += int(bool(row["correct"]))
            entry[3] += 1
    return {k: (b, d, c / n) for k, (b, d, c, n) in counts.items()}


def test_compare_json_equals_direct_computation(app: typer.Typer, tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="models/base", cell_p=0.45, seed=1)
    tuned = simulate_run(tmp_path, "tuned", model="models/tuned", seed=2,
                         cell_p=shifted(0.45, {(None, Domain.MATH): 0.3}))
    seed = 7
    out = compare_json(app, str(tuned), "--base", str(base), "--seed", str(seed))
    acc_b, acc_t = stored_item_accuracy(base), stored_item_accuracy(tuned)
    prof_b, prof_t = out["profiles"]["base"], out["profiles"]["tuned"]
    comp = out["comparisons"]["tuned"]
    R, F = stats.DEFAULT_REPLICATES, stats.DEFAULT_FLIPS
    assert out["replicates"] == R and out["flips"] == F and out["seed"] == seed

    cell_reps: dict[tuple[Behavior, Domain], tuple[np.ndarray, np.ndarray]] = {}
    pvalues = []
    for b, d in CELLS:
        ids = sorted(i for i, (bb, dd, _) in acc_b.items() if (bb, dd) == (b.value, d.value))
        a0 = np.array([acc_b[i][2] for i in ids])
        a1 = np.array([acc_t[i][2] for i in ids])
        # The draws, all at once: row r of the index matrix is bootstrap replicate r.
        n = len(ids)
        idx = stats.derive_rng(seed, "bootstrap", b, d).integers(0, n, size=(R, n))
        r0, r1 = a0[idx].mean(axis=1), a1[idx].mean(axis=1)
        cell_reps[(b, d)] = (r0, r1)
        key = f"{b.value}/{d.value}"
        for got, a, r in ((prof_b, a0, r0), (prof_t, a1, r1)):
            cell = got["accuracy"]["cells"][key]
            assert cell["n"] == len(ids)
            assert cell["value"] == pytest.approx(a.mean(), abs=1e-12)
            lo, hi = np.percentile(r, [2.5, 97.5])
            assert (cell["lo"], cell["hi"]) == (pytest.approx(lo, abs=1e-9),
                                                pytest.approx(hi, abs=1e-9))
        diff = a1 - a0
        lo, hi = np.percentile(r1 - r0, [2.5, 97.5])
        got = comp["cells"][key]
        assert got["value"] == pytest.approx(diff.mean(), abs=1e-12)
        assert (got["lo"], got["hi"]) == (pytest.approx(lo, abs=1e-9), pytest.approx(hi, abs=1e-9))
        signs = stats.derive_rng(seed, "signflip", b, d).integers(0, 2, size=(F, n)) * 2 - 1
        null = (signs * diff).mean(axis=1)
        hits = int(np.sum(np.abs(null) >= abs(diff.mean()) - 1e-12))
        p = (1 + hits) / (1 + F)
        assert got["p"] == pytest.approx(p)
        pvalues.append(p)
    from scipy.stats import false_discovery_control

    q = false_discovery_control(pvalues, method="bh")
    for (b, d), qv in zip(CELLS, q, strict=True):
        got = comp["cells"][f"{b.value}/{d.value}"]
        assert got["q"] == pytest.approx(qv)
        assert got["significant"] == (qv <= 0.05)

    # Behavior scores: macro over domains, CI from resampling items within each cell.
    delta = []
    for b in BEHAVIORS:
        point = np.mean([np.mean([acc_t[i][2] for i in acc_t
                                  if acc_t[i][:2] == (b.value, d.value)]) for d in DOMAINS])
        reps = np.mean([cell_reps[(b, d)][1] for d in DOMAINS], axis=0)
        got = prof_t["accuracy"]["behaviors"][b.value]
        assert got["value"] == pytest.approx(point, abs=1e-12)
        lo, hi = np.percentile(reps, [2.5, 97.5])
        assert (got["lo"], got["hi"]) == (pytest.approx(lo, abs=1e-9), pytest.approx(hi, abs=1e-9))
        delta.append(got["value"] - prof_b["accuracy"]["behaviors"][b.value]["value"])
        assert comp["behaviors"][b.value]["value"] == pytest.approx(delta[-1], abs=1e-12)
    assert comp["profile"]["drift"]["value"] == pytest.approx(np.linalg.norm(delta), abs=1e-12)
    dom = [np.mean([acc_t[i][2] for i in acc_t if acc_t[i][:2] == (b.value, "math")])
           for b in BEHAVIORS]
    assert prof_t["accuracy"]["domains"]["math"]["value"] == pytest.approx(np.mean(dom))
    assert out["comparisons"]["tuned"]["transfer"]["ti"]["math"]["value"] == pytest.approx(100)
    assert out["items"]["common"] == 240 and not out["warnings"]


def test_known_effects_collapse_and_transfer(app: typer.Typer, tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="m/base", cell_p=0.5, seed=3, n_per_cell=30)
    tuned = simulate_run(tmp_path, "tuned", model="m/tuned", seed=4, n_per_cell=30,
                         cell_p=shifted(0.5, {(None, Domain.MATH): 0.3,
                                              (Behavior.FACT_RETRIEVAL, None): -0.35}))
    out = compare_json(app, str(tuned), "--base", str(base))
    comp = out["comparisons"]["tuned"]
    for b in (Behavior.CALCULATION, Behavior.ENUMERATION, Behavior.SIMULATION):
        cell = comp["cells"][f"{b.value}/math"]
        assert cell["significant"] and cell["value"] > 0.15
    untouched = [f"{b.value}/{d.value}" for b, d in CELLS
                 if d != Domain.MATH and b != Behavior.FACT_RETRIEVAL]
    assert sum(comp["cells"][k]["significant"] for k in untouched) <= 2
    assert comp["collapsed"] == ["fact_retrieval"]
    fact = comp["behaviors"]["fact_retrieval"]
    assert fact["value"] < -0.2 and fact["hi"] < 0 and fact["significant"]
    assert 0 < comp["profile"]["spike_share"]["value"] <= 1
    assert comp["profile"]["drift"]["lo"] <= comp["profile"]["drift"]["value"]
    ti = comp["transfer"]["ti"]
    assert ti["math"]["value"] == pytest.approx(100)
    assert ti["science"]["value"] < 100


def test_partial_overlap_compares_the_intersection(app: typer.Typer, tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="m/base", seed=1)
    skip = [f"calculation-math-{i:03d}" for i in range(5)]
    tuned = simulate_run(tmp_path, "tuned", model="m/tuned", seed=2, skip_items=skip)
    out = compare_json(app, str(tuned), "--base", str(base))
    assert out["items"] == {"common": 235, "per_run": {"base": 240, "tuned": 235}}
    assert out["profiles"]["base"]["accuracy"]["cells"]["calculation/math"]["n"] == 7
    assert any("only the 235 item(s)" in w and "base: 240" in w for w in out["warnings"])


def test_one_sample_per_item_limits_pass_at_k(app: typer.Typer, tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="m/base", samples=1, seed=1)
    tuned = simulate_run(tmp_path, "tuned", model="m/tuned", samples=4, seed=2)
    out = compare_json(app, str(tuned), "--base", str(base), "--k", "1,4")
    assert sorted(out["profiles"]["base"]["pass_at_k"]) == ["1"]
    assert sorted(out["profiles"]["tuned"]["pass_at_k"]) == ["1", "4"]
    assert any("base: pass@4 not reported" in w and "has 1" in w for w in out["warnings"])
    for prof in out["profiles"].values():
        for key, cell in prof["accuracy"]["cells"].items():
            assert prof["pass_at_k"]["1"]["cells"][key] == pytest.approx(cell, abs=1e-12)
    tuned_p = out["profiles"]["tuned"]["pass_at_k"]
    acc = stored_item_accuracy(tuned)
    ids = sorted(i for i, v in acc.items() if v[:2] == ("simulation", "coding"))
    direct = np.mean([1 - math.comb(4 - round(4 * acc[i][2]), 4) / math.comb(4, 4) for i in ids])
    assert tuned_p["4"]["cells"]["simulation/coding"]["value"] == pytest.approx(direct)
    for key, cell in tuned_p["4"]["cells"].items():
        assert cell["value"] >= tuned_p["1"]["cells"][key]["value"]


def test_empty_cells_report_n_zero(app: typer.Typer, tmp_path: Path) -> None:
    gone = [(Behavior.DIAGNOSTIC, Domain.GENERAL)]
    base = simulate_run(tmp_path, "base", model="m/base", seed=1, skip_cells=gone)
    tuned = simulate_run(tmp_path, "tuned", model="m/tuned", seed=2, skip_cells=gone)
    out = compare_json(app, str(tuned), "--base", str(base))
    cell = out["profiles"]["tuned"]["accuracy"]["cells"]["diagnostic/general"]
    assert cell == {"value": None, "lo": None, "hi": None, "n": 0}
    diff = out["comparisons"]["tuned"]["cells"]["diagnostic/general"]
    assert diff["n"] == 0 and diff["p"] is None and diff["significant"] is False
    diag = out["profiles"]["tuned"]["accuracy"]["behaviors"]["diagnostic"]
    cells = out["profiles"]["tuned"]["accuracy"]["cells"]
    assert diag["value"] == pytest.approx(np.mean(
        [cells[f"diagnostic/{d}"]["value"] for d in ("math", "science", "coding")]))
    assert any("diagnostic/general" in w for w in out["warnings"])
    text = run_cli(app, "compare", str(tuned), "--base", str(base)).stdout
    assert "n=0" in text


def test_bad_base_or_run_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    run = simulate_run(tmp_path, "run", model="m/run", seed=1, n_per_cell=2)
    missing = run_cli(app, "compare", str(run), "--base", str(tmp_path / "nope"), code=2)
    assert "base run" in missing.stderr and "nope" in missing.stderr
    (tmp_path / "plain").mkdir()
    not_run = run_cli(app, "compare", str(run), "--base", str(tmp_path / "plain"), code=2)
    assert "not a run directory" in not_run.stderr
    bad_run = run_cli(app, "compare", str(tmp_path / "plain"), "--base", str(run), code=2)
    assert "not a run directory" in bad_run.stderr


def test_different_gen_configs_warn(app: typer.Typer, tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="m/base", seed=1, n_per_cell=3)
    tuned = simulate_run(tmp_path, "tuned", model="m/tuned", seed=2, n_per_cell=3,
                         gen_hash="other", temperature=1.0)
    result = run_cli(app, "compare", str(tuned), "--base", str(base), "--json")
    warnings = json.loads(result.stdout)["warnings"]
    assert any("generation config differs" in w and "tuned" in w for w in warnings)
    assert "generation config differs" in result.stderr


def test_sample_count_alone_is_not_another_generation_config(app: typer.Typer,
                                                             tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="m/base", seed=1, n_per_cell=3, samples=2)
    fewer = simulate_run(tmp_path, "fewer", model="m/fewer", seed=2, n_per_cell=3, samples=1,
                         gen_hash="one-sample")
    result = run_cli(app, "compare", str(fewer), "--base", str(base), "--json")
    assert not any("generation config differs" in w
                   for w in json.loads(result.stdout)["warnings"])


def test_trajectories_over_checkpoint_steps(app: typer.Typer, tmp_path: Path) -> None:
    runs = []
    for i, step in enumerate((0, 50, 100)):
        runs.append(simulate_run(tmp_path, f"ck{step}", model=f"train/sft/checkpoint-{step}",
                                 step=step, seed=10 + i, n_per_cell=4,
                                 cell_p=shifted(0.4, {(None, Domain.MATH): 0.003 * step})))
    out = compare_json(app, str(runs[2]), str(runs[1]), "--base", str(runs[0]))
    assert list(out["trajectories"]) == ["train/sft"]
    points = out["trajectories"]["train/sft"]
    assert [p["step"] for p in points] == [0, 50, 100]
    assert [p["run"] for p in points] == ["sft@0", "sft@50", "sft@100"]
    assert points[0]["drift"] is None and points[2]["drift"]["value"] > 0
    calc = points[1]["behaviors"]["calculation"]
    assert calc == out["profiles"]["sft@50"]["accuracy"]["behaviors"]["calculation"]


def test_terminal_tables(app: typer.Typer, tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="m/base", seed=1, n_per_cell=4)
    tuned = simulate_run(tmp_path, "tuned", model="m/tuned", seed=2, n_per_cell=4)
    text = run_cli(app, "compare", str(tuned), "--base", str(base), "--k", "1,2").stdout
    for needle in ("Behavior and domain scores", "calculation/math", "Transfer index",
                   "pass@2", "balance", "Δ tuned"):
        assert needle in text


def test_seed_changes_cis_but_not_point_estimates(app: typer.Typer, tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="m/base", seed=1, n_per_cell=6)
    tuned = simulate_run(tmp_path, "tuned", model="m/tuned", seed=2, n_per_cell=6)
    a = compare_json(app, str(tuned), "--base", str(base), "--seed", "1")
    b = compare_json(app, str(tuned), "--base", str(base), "--seed", "1")
    c = compare_json(app, str(tuned), "--base", str(base), "--seed", "2")
    assert a == b
    key = ("profiles", "tuned", "accuracy", "overall")
    pa_, pc_ = a, c
    for k in key:
        pa_, pc_ = pa_[k], pc_[k]
    assert pa_["value"] == pc_["value"] and (pa_["lo"], pa_["hi"]) != (pc_["lo"], pc_["hi"])
    counts: dict[str, int] = defaultdict(int)
    for w in a["warnings"]:
        counts[w] += 1
    assert all(v == 1 for v in counts.values())


def test_truncated_shard_is_one_line_naming_it(app: typer.Typer, tmp_path: Path) -> None:
    base = simulate_run(tmp_path, "base", model="m/base", seed=1, n_per_cell=2)
    tuned = simulate_run(tmp_path, "tuned", model="m/tuned", seed=2, n_per_cell=2)
    shard = sorted(tuned.glob("samples-*.parquet"))[0]
    shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])
    for cmd in (["compare"], ["report", "-o", str(tmp_path / "r.html")]):
        res = run_cli(app, *cmd, str(tuned), "--base", str(base), code=2)
        assert shard.name in res.stderr and "delete it" in res.stderr
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) <= 3
    assert not (tmp_path / "r.html").exists()


def test_runs_sharing_no_item_are_an_error_and_self_compare_warns(app: typer.Typer,
                                                                  tmp_path: Path) -> None:
    from reasonscope.taxonomy import CELLS

    half = CELLS[:10]
    base = simulate_run(tmp_path, "base", model="m/base", seed=1, n_per_cell=2, skip_cells=half)
    other = simulate_run(tmp_path, "other", model="m/other", seed=2, n_per_cell=2,
                         skip_cells=CELLS[10:])
    res = run_cli(app, "compare", str(other), "--base", str(base), code=2)
    assert "shares no item" in res.stderr and "other" in res.stderr
    same = run_cli(app, "compare", str(base), "--base", str(base), "--json")
    assert "is the base run" in same.stderr
