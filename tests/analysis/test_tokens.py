"""Token divergences: the per-position math against a brute-force float64 computation, the
alignment against full forward passes, texts from stored runs, and refusal of mismatched
tokenizers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from rs_analysiskit import sample_row, write_run

from reasonscope.analysis.models import TokenizerMismatchError, load_tokenizer
from reasonscope.analysis.texts import (
    TextFileError,
    TextSample,
    texts_from_jsonl,
    texts_from_run,
)
from reasonscope.analysis.token_metrics import position_metrics
from reasonscope.analysis.tokens import TokenOptions, analyze_tokens

TEXTS = [
    TextSample(0, "Compute 17 * 23. Give the result as an integer.",
               "Let me think step by step. 17 * 23 = 391. The answer is \\boxed{391}.",
               "a", "calculation", "math"),
    TextSample(1, "What is the chemical symbol of sodium?", "The answer is \\boxed{Na}.", "b",
               "fact_retrieval", "science"),
    TextSample(2, "How many subsets does a set of 4 elements have?",
               "Each element is in or out: 2^4 = 16. \\boxed{16}", "c", "enumeration", "math"),
    TextSample(3, "", "Step 1: 2 + 3 = 5", "d", "diagnostic", "math"),
]


def _brute(zt: np.ndarray, zb: np.ndarray, y: int) -> dict[str, float]:
    pt = np.exp(zt - zt.max())
    pt /= pt.sum()
    pb = np.exp(zb - zb.max())
    pb /= pb.sum()
    m = 0.5 * (pt + pb)
    kl = float(sum(p * math.log(p / q) for p, q in zip(pt, pb, strict=True) if p > 0))
    rkl = float(sum(q * math.log(q / p) for p, q in zip(pt, pb, strict=True) if q > 0))
    js = 0.5 * float(sum(p * math.log(p / mm) for p, mm in zip(pt, m, strict=True) if p > 0)) \
        + 0.5 * float(sum(q * math.log(q / mm) for q, mm in zip(pb, m, strict=True) if q > 0))
    return {"kl_tb": kl, "kl_bt": rkl, "js": js, "top1": float(zt.argmax() == zb.argmax()),
            "dlogp": math.log(pt[y]) - math.log(pb[y]),
            "rank_t": int((zt > zt[y]).sum()), "rank_b": int((zb > zb[y]).sum())}


def test_position_metrics_equal_brute_force() -> None:
    g = torch.Generator().manual_seed(0)
    zt = torch.randn(12, 57, generator=g) * 3
    zb = zt + torch.randn(12, 57, generator=g)
    zb[0] = zt[0]  # identical distributions at one position
    target = torch.randint(0, 57, (12,), generator=g)
    m = position_metrics(zt, zb, target)
    for i in range(12):
        ref = _brute(zt[i].double().numpy(), zb[i].double().numpy(), int(target[i]))
        for key, value in ref.items():
            got = float(getattr(m, key)[i])
            assert got == pytest.approx(value, abs=2e-5), (i, key)
    assert float(m.kl_tb[0]) == pytest.approx(0.0, abs=1e-6) and float(m.top1[0]) == 1.0


def _full_forward_metrics(model_a: Path, model_b: Path, sample: TextSample
                          ) -> dict[str, list[float]]:
    """What the alignment must give: for completion token j, softmax of the full-model logits
    at j-1 of both models, computed text by text with no batching or chunking."""
    from transformers import AutoModelForCausalLM

    tok = load_tokenizer(model_a)
    p = tok(sample.prompt, add_special_tokens=False)["input_ids"] if sample.prompt else []
    c = tok(sample.completion, add_special_tokens=False)["input_ids"]
    ids = torch.tensor([p + c])
    out: dict[str, list[float]] = {"kl_tb": [], "dlogp": [], "rank_b": []}
    with torch.no_grad():
        za = AutoModelForCausalLM.from_pretrained(model_a).eval()(ids).logits[0].double()
        zb = AutoModelForCausalLM.from_pretrained(model_b).eval()(ids).logits[0].double()
    for j in range(max(len(p), 1), len(p) + len(c)):
        ref = _brute(zb[j - 1].numpy(), za[j - 1].numpy(), int(ids[0, j]))
        out["kl_tb"].append(ref["kl_tb"])
        out["dlogp"].append(ref["dlogp"])
        out["rank_b"].append(ref["rank_b"])
    return out


def test_teacher_forced_alignment_matches_full_forward(tiny_model_dir: Path,
                                                       tiny_model_dir_b: Path) -> None:
    opts = TokenOptions(batch_size=3, chunk_elems=5000)  # forces several head chunks
    report = analyze_tokens(tiny_model_dir, tiny_model_dir_b, TEXTS, opts)
    pos = report.positions
    for s in TEXTS:
        ref = _full_forward_metrics(tiny_model_dir, tiny_model_dir_b, s)
        sel = pos["text_index"] == s.index
        np.testing.assert_allclose(pos["kl_tuned_base"][sel], ref["kl_tb"], atol=2e-5)
        np.testing.assert_allclose(pos["delta_logprob"][sel], ref["dlogp"], atol=2e-5)
        np.testing.assert_array_equal(pos["rank_base"][sel], ref["rank_b"])
        row = report.texts[s.index]
        assert row.n_tokens == len(ref["kl_tb"])
        assert row.kl_tuned_base == pytest.approx(float(np.mean(ref["kl_tb"])), abs=2e-5)
    tok = load_tokenizer(tiny_model_dir)
    n_completion = len(tok(TEXTS[0].completion, add_special_tokens=False)["input_ids"])
    assert report.texts[0].n_tokens == n_completion
    # without a prompt the first completion token has no preceding logits
    no_prompt = len(tok(TEXTS[3].completion, add_special_tokens=False)["input_ids"])
    assert report.texts[3].n_tokens == no_prompt - 1


def test_identical_models_do_not_diverge(tiny_model_dir: Path) -> None:
    report = analyze_tokens(tiny_model_dir, tiny_model_dir, TEXTS)
    assert report.overall.kl_tuned_base == pytest.approx(0.0, abs=1e-6)
    assert report.overall.js == pytest.approx(0.0, abs=1e-6)
    assert report.overall.top1_agree == 1.0 and report.overall.share_kl_above == 0.0
    assert report.movers_up == [] and report.movers_down == []


def test_report_shape_cells_and_deciles(tiny_model_dir: Path, tiny_model_dir_b: Path) -> None:
    report = analyze_tokens(tiny_model_dir, tiny_model_dir_b, TEXTS)
    data = report.to_dict()
    assert {"texts", "cells"} <= set(data)
    for row in data["texts"]:
        assert {"index", "kl_tuned_base", "kl_base_tuned", "js", "top1_agree",
                "n_tokens"} <= set(row)
        assert len(row["kl_by_decile"]) == 10
    cells = {c["key"]: c for c in data["cells"]}
    assert set(cells) == {"calculation/math", "fact_retrieval/science", "enumeration/math",
                          "diagnostic/math"}
    assert cells["calculation/math"]["kl_tuned_base"] == pytest.approx(
        data["texts"][0]["kl_tuned_base"])
    first = np.array([d for d in data["texts"][0]["kl_by_decile"] if d is not None])
    kl0 = report.positions["kl_tuned_base"][report.positions["text_index"] == 0]
    assert first.min() >= kl0.min() - 1e-9 and first.max() <= kl0.max() + 1e-9
    assert data["texts"][0]["share_kl_above"] == pytest.approx(float((kl0 > 0.1).mean()))


def test_mismatched_tokenizers_are_refused(tiny_model_dir: Path,
                                           tiny_model_other_tokenizer: Path) -> None:
    with pytest.raises(TokenizerMismatchError) as info:
        analyze_tokens(tiny_model_dir, tiny_model_other_tokenizer, TEXTS[:1])
    assert str(tiny_model_dir) in str(info.value)
    assert str(tiny_model_other_tokenizer) in str(info.value)


def test_texts_from_hf_run_keep_the_rendered_prompt(tmp_path: Path,
                                                    tiny_model_dir: Path) -> None:
    rendered = "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n"
    rows = [sample_row("r", "m", "i2", "calculation", "math", s, rendered, f"\\boxed{{{s}}}")
            for s in (1, 0)]
    run = write_run(tmp_path, "hf", rows, model="m")
    texts = texts_from_run(run)
    assert [t.prompt for t in texts] == [rendered, rendered]
    assert [t.sample_index for t in texts] == [0, 1]
    assert texts[0].cell == "calculation/math"


def test_texts_from_chat_endpoint_run_are_rendered_like_the_hf_backend(
        tmp_path: Path, tiny_model_dir: Path) -> None:
    from reasonscope.backends.hf import render_prompt
    from reasonscope.genconfig import GenerationConfig

    rows = [sample_row("r", "m", "i1", "calculation", "math", 0, "What is 2+2?", "4")]
    run = write_run(tmp_path, "chat", rows, model="m", backend="openai",
                    backend_info={"endpoint": "chat"}, gen_config={"thinking": "off"})
    tok = load_tokenizer(tiny_model_dir)
    (text,) = texts_from_run(run, tok)
    assert text.prompt == render_prompt(tok, "What is 2+2?", GenerationConfig(thinking="off"))
    assert text.prompt.endswith("<think>\n\n</think>\n\n")
    with pytest.raises(ValueError, match="a tokenizer is needed"):
        texts_from_run(run)


def test_texts_file_errors_name_file_and_line(tmp_path: Path) -> None:
    good = tmp_path / "t.jsonl"
    good.write_text(json.dumps({"prompt": "p", "completion": "c", "behavior": "simulation"})
                    + "\n\n" + json.dumps({"prompt": "q", "completion": "d"}) + "\n")
    assert [t.prompt for t in texts_from_jsonl(good)] == ["p", "q"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"prompt": "p", "completion": "c"}) + "\n"
                   + json.dumps({"prompt": "p", "completion": 3}) + "\n")
    with pytest.raises(TextFileError, match=r"bad\.jsonl:2: field 'completion'"):
        texts_from_jsonl(bad)
    bad.write_text("{oops\n")
    with pytest.raises(TextFileError, match=r"bad\.jsonl:1: not JSON"):
        texts_from_jsonl(bad)
