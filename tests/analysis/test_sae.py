"""The TopK SAE: recovery of planted sparse directions, the reported metrics, the sparsify
layout round trip, AUROC selectivity, and the whole analysis on a tiny model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from reasonscope.analysis.features import SaeOptions, analyze_sae, auroc_columns
from reasonscope.analysis.sae import (
    SaeConfig,
    TopKSae,
    evaluate_sae,
    load_sae,
    save_sae,
    train_sae,
)
from reasonscope.analysis.texts import TextSample
from reasonscope.taxonomy import BEHAVIORS


def _planted(n: int = 12000, d: int = 32, features: int = 48, active: int = 3, seed: int = 0
             ) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    dirs = torch.randn(features, d, generator=g)
    dirs /= dirs.norm(dim=1, keepdim=True)
    idx = torch.stack([torch.randperm(features, generator=g)[:active] for _ in range(n)])
    mag = 1 + 2 * torch.rand(n, active, generator=g)
    codes = torch.zeros(n, features).scatter_(1, idx, mag)
    return codes @ dirs, dirs


def test_sae_recovers_planted_sparse_directions() -> None:
    x, dirs = _planted()
    cfg = SaeConfig(d_in=32, num_latents=96, k=4)
    sae, log = train_sae(x, cfg, steps=300, batch_size=512, seed=0)
    m = evaluate_sae(sae, x)
    best = (dirs @ sae.W_dec.detach().T).max(dim=1).values
    assert float((best > 0.9).float().mean()) >= 0.9
    assert m.fvu < 0.1 and 0 < m.l0 <= 4 and 0.0 <= m.dead_frac < 1.0
    assert log.fvu[-1] < log.fvu[0]
    norms = sae.W_dec.detach().norm(dim=1)
    assert torch.allclose(norms, torch.ones_like(norms), atol=1e-5)


def test_auxk_trains_only_the_dead_latents() -> None:
    """The AuxK term reconstructs the main residual from dead latents only: its gradient
    reaches their encoder and decoder rows and no live one."""
    x, _ = _planted(n=256, seed=1)
    sae = TopKSae(SaeConfig(d_in=32, num_latents=64, k=4), seed=0)
    dead = torch.zeros(64, dtype=torch.bool)
    dead[::3] = True
    fvu, aux, _ = sae.losses(x, dead)
    assert float(aux.detach()) > 0
    (0 * fvu + aux).backward()
    dec = sae.W_dec.grad.norm(dim=1)  # type: ignore[union-attr]
    enc = sae.encoder.weight.grad.norm(dim=1)  # type: ignore[union-attr]
    assert float(dec[~dead].abs().max()) == 0.0 and float(enc[~dead].abs().max()) == 0.0
    assert float(dec[dead].sum()) > 0 and float(enc[dead].sum()) > 0
    _, none, _ = sae.losses(x, None)
    assert float(none.detach()) == 0.0


def test_save_and_load_in_the_sparsify_layout(tmp_path: Path) -> None:
    x, _ = _planted(n=2000)
    sae, _ = train_sae(x, SaeConfig(d_in=32, num_latents=40, k=3), steps=20, batch_size=256)
    where = save_sae(sae, tmp_path, "layers.1")
    assert where == tmp_path / "layers.1"
    cfg = json.loads((where / "cfg.json").read_text())
    assert cfg["k"] == 3 and cfg["num_latents"] == 40 and cfg["d_in"] == 32
    from safetensors.torch import load_file

    state = load_file(str(where / "sae.safetensors"))
    assert {k: tuple(v.shape) for k, v in state.items()} == {
        "encoder.weight": (40, 32), "encoder.bias": (40,), "W_dec": (40, 32), "b_dec": (32,)}
    again = load_sae(where)
    with torch.no_grad():
        assert torch.allclose(sae.dense(x[:50]), again.dense(x[:50]))
    (where / "cfg.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"cfg\.json"):
        load_sae(where)


def test_auroc_columns_equal_sklearn() -> None:
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    values = rng.integers(0, 4, size=(30, 5)).astype(np.float32)  # ties on purpose
    positive = rng.random(30) < 0.4
    got = auroc_columns(values, positive)
    for j in range(5):
        assert got[j] == pytest.approx(roc_auc_score(positive, values[:, j]))
    assert np.isnan(auroc_columns(values, np.zeros(30, dtype=bool))).all()


def test_analyze_sae_on_a_tiny_model(tmp_path: Path, tiny_model_dir: Path,
                                     tiny_model_dir_b: Path) -> None:
    texts = [TextSample(i, f"Item {i}: {'add' if i % 2 else 'name'} the numbers {i} and 3.",
                        "Let me check. \\boxed{7}", f"it{i}", BEHAVIORS[i % 2].value, "math")
             for i in range(16)]
    opts = SaeOptions(layer=0, width=128, k=8, steps=40, batch_size=128)
    report = analyze_sae(tiny_model_dir, texts, tmp_path, opts, {"b": tiny_model_dir_b})
    data = report.to_dict()
    assert {"fvu", "l0", "dead_frac"} <= set(data)
    assert 0 < data["fvu"] < 2 and 0 < data["l0"] <= 8 and 0 <= data["dead_frac"] <= 1
    assert data["n_items"] == 16 and data["hook"] == "layers.0"
    assert set(data["selective_counts"]) == {BEHAVIORS[0].value, BEHAVIORS[1].value}
    assert (tmp_path / "layers.0" / "sae.safetensors").is_file()
    (check,) = data["checkpoints"]
    assert check["model"] == "b" and 0 <= check["jaccard_vs_base"] <= 1
    for f in data["top_features"]:
        assert f["auroc"] >= 0.8 and all("[[" in c for c in f["contexts"])
    load_sae(tmp_path / "layers.0")
