"""Training configuration: study defaults, batch arithmetic, files and flags, the examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonscope.train.config import (
    ConfigError,
    GRPOConfig,
    SFTConfig,
    check_grpo_batch,
    resolve_config,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "train"


def test_batch_arithmetic_counts_completions_over_processes() -> None:
    cfg = GRPOConfig(model="m", out="o", num_generations=16, batch_size=8, grad_accum=2)
    assert check_grpo_batch(cfg, processes=1) == 16
    assert check_grpo_batch(cfg, processes=3) == 48
    odd = GRPOConfig(model="m", out="o", num_generations=16, batch_size=8)
    with pytest.raises(ConfigError, match=r"= 8 completions .* num_generations \(16\)"):
        check_grpo_batch(odd, processes=1)


def test_study_defaults_are_explicit() -> None:
    cfg = GRPOConfig(model="m", out="o")
    assert (cfg.num_generations, cfg.beta, cfg.epsilon, cfg.epsilon_high, cfg.temperature) == (
        16, 0.0, 0.2, 0.28, 1.0)
    assert cfg.loss_type == "dapo"


def test_flags_override_file(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text('model = "m"\nout = "o"\nnum_generations = 8\nbeta = 0.01\n')
    cfg = resolve_config(GRPOConfig, path, {"num_generations": 4, "beta": None})
    assert cfg.num_generations == 4 and cfg.beta == 0.01
    with pytest.raises(ConfigError, match="kind is 'sft'"):
        path.write_text('kind = "sft"\nmodel = "m"\nout = "o"\n')
        resolve_config(GRPOConfig, path, {})
    with pytest.raises(ConfigError, match="'model' is required"):
        resolve_config(GRPOConfig, None, {"out": "o"})


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_example_configs_are_valid(path: Path) -> None:
    cls = GRPOConfig if path.name.startswith("grpo") else SFTConfig
    cfg = resolve_config(cls, path, {})
    if isinstance(cfg, GRPOConfig):
        check_grpo_batch(cfg, processes=1)


def test_examples_exist() -> None:
    assert len(list(EXAMPLES.glob("*.toml"))) >= 4
