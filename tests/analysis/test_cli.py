"""`reasonscope analyze ...`: JSON keys on stdout, results under --out, and bad input as a
one-line error naming the file and tensor with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import torch
import typer
from rs_analysiskit import sample_row, write_checkpoint, write_run
from typer.testing import CliRunner, Result

from reasonscope.cli.analyze import register

Q = "model.layers.0.self_attn.q_proj.weight"
NORM = "model.layers.0.input_layernorm.weight"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Test root (keeps `analyze` a sub-command)."""

    return app


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(_app(), ["analyze", *args])


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    g = torch.Generator().manual_seed(0)
    base = {Q: torch.randn(16, 16, generator=g), NORM: torch.ones(16)}
    tuned = {Q: base[Q] + 0.1, NORM: torch.ones(16)}
    return (write_checkpoint(tmp_path / "base", base, shards=2),
            write_checkpoint(tmp_path / "tuned", tuned))


def test_params_json_and_out(tmp_path: Path) -> None:
    base, tuned = _pair(tmp_path)
    result = _invoke("params", str(base), str(tuned), "--json", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"tensors", "by_layer", "by_module", "overall"} <= set(data)
    rows = {r["name"]: r for r in data["tensors"]}
    assert rows[Q]["changed_frac_exact"] == 1.0 and rows[NORM]["changed_frac_exact"] == 0.0
    assert rows[NORM]["stable_rank"] is None
    assert json.loads((tmp_path / "o" / "params.json").read_text())["tensors"]
    assert (tmp_path / "o" / "params-tensors.parquet").is_file()


def test_params_truncated_shard_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    base, tuned = _pair(tmp_path)
    shard = sorted(base.glob("model-*.safetensors"))[-1]
    shard.write_bytes(shard.read_bytes()[:-16])
    out = tmp_path / "o"
    result = _invoke("params", str(base), str(tuned), "--out", str(out))
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "truncated" in text and shard.name in text and NORM in text
    assert not out.exists()


def test_params_renamed_and_reshaped_warn_or_fail_strictly(tmp_path: Path) -> None:
    g = torch.Generator().manual_seed(1)
    base = write_checkpoint(tmp_path / "b", {Q: torch.randn(8, 4, generator=g),
                                             NORM: torch.ones(8)})
    tuned = write_checkpoint(tmp_path / "t", {Q: torch.randn(4, 8, generator=g),
                                              "model.layers.0.ln.weight": torch.ones(8)})
    ok = _invoke("params", str(base), str(tuned), "--out", str(tmp_path / "o"))
    assert ok.exit_code == 0, ok.output
    text = " ".join(ok.output.split())
    assert f"shape {Q}" in text and f"missing {NORM}" in text and "renamed?" in text
    strict = _invoke("params", str(base), str(tuned), "--strict", "--out", str(tmp_path / "s"))
    assert strict.exit_code == 1 and not (tmp_path / "s").exists()


def test_tokens_json_from_a_texts_file(tmp_path: Path, tiny_model_dir: Path,
                                       tiny_model_dir_b: Path) -> None:
    texts = tmp_path / "texts.jsonl"
    texts.write_text("".join(json.dumps({"prompt": f"Compute {i} + 1.", "completion":
                                         f"\\boxed{{{i + 1}}}", "behavior": "calculation",
                                         "domain": "math"}) + "\n" for i in range(3)))
    result = _invoke("tokens", "--base", str(tiny_model_dir), "--tuned", str(tiny_model_dir_b),
                     "--texts", str(texts), "--json", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["texts"]) == 3 and {"index", "kl_tuned_base", "kl_base_tuned", "js",
                                        "top1_agree", "n_tokens"} <= set(data["texts"][0])
    assert [c["key"] for c in data["cells"]] == ["calculation/math"]
    stored = json.loads((tmp_path / "o" / "tokens.json").read_text())
    assert [(r["model"], r["split"]) for r in stored["runs"]] == [(tiny_model_dir_b.name, "eval")]


def test_tokens_refuses_mismatched_tokenizers(tmp_path: Path, tiny_model_dir: Path,
                                              tiny_model_other_tokenizer: Path) -> None:
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"prompt": "a", "completion": "b"}) + "\n")
    result = _invoke("tokens", "--base", str(tiny_model_dir), "--tuned",
                     str(tiny_model_other_tokenizer), "--texts", str(texts))
    assert result.exit_code == 2
    assert "tokenizers differ" in " ".join(result.output.split())


def test_outputs_and_report_with_analysis(tmp_path: Path) -> None:
    rows = [sample_row("r", "m", f"i{i}", "calculation", "math", 0, "p", "Wait, check: 4.")
            for i in range(4)]
    run = write_run(tmp_path, "run", rows, model="m")
    result = _invoke("outputs", str(run), "--json", "--out", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["overall"][0]["reflective"] == 1.0

    from reasonscope.cli import app

    out = tmp_path / "report.html"
    report = CliRunner().invoke(app, ["report", str(run), "--base", str(run), "-o", str(out),
                                      "--analysis", str(tmp_path / "a"), "--replicates", "20",
                                      "--flips", "20"])
    assert report.exit_code == 0, report.output
    assert 'id="analysis-outputs"' in out.read_text()
    missing = CliRunner().invoke(app, ["report", str(run), "--base", str(run), "-o", str(out),
                                       "--analysis", str(tmp_path / "nope")])
    assert missing.exit_code == 2


def test_latents_and_sae_commands(tmp_path: Path, tiny_model_dir: Path,
                                  tiny_model_dir_b: Path) -> None:
    texts = tmp_path / "texts.jsonl"
    texts.write_text("".join(json.dumps({
        "prompt": f"Item {i}: what is {i} + {i}?", "completion": f"It is \\boxed{{{2 * i}}}.",
        "behavior": ("calculation", "enumeration")[i % 2], "domain": "math",
        "item_id": f"i{i}"}) + "\n" for i in range(8)))
    lat = _invoke("latents", "--base", str(tiny_model_dir), "--tuned", str(tiny_model_dir_b),
                  "--texts", str(texts), "--folds", "2", "--json", "--out", str(tmp_path / "o"))
    assert lat.exit_code == 0, lat.output
    data = json.loads(lat.stdout)
    assert {p["model"] for p in data["probes"]} == {"base", tiny_model_dir_b.name}
    sae = _invoke("sae", "--model", str(tiny_model_dir), "--layer", "1", "--width", "32",
                  "--k", "4", "--steps", "5", "--sae-batch", "64", "--texts", str(texts),
                  "--out", str(tmp_path / "o"), "--json")
    assert sae.exit_code == 0, sae.output
    assert {"fvu", "l0", "dead_frac"} <= set(json.loads(sae.stdout))
    assert (tmp_path / "o" / "sae" / "layers.1" / "cfg.json").is_file()
    assert (tmp_path / "o" / "latents.json").is_file() and (tmp_path / "o" / "sae.json").is_file()
    bad = _invoke("sae", "--model", str(tiny_model_dir), "--layer", "9", "--texts", str(texts),
                  "--out", str(tmp_path / "p"))
    assert bad.exit_code == 2 and "layer must be in 0..1" in bad.output
    assert not (tmp_path / "p" / "sae.json").exists()
