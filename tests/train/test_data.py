"""Training data: traces, the generated set, importing a user's JSONL, and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rs_trainkit import qa_rows, write_jsonl

from reasonscope.items import Item, ItemFileError
from reasonscope.taxonomy import AnswerType, Behavior, Domain
from reasonscope.train.data import (
    ImportFields,
    read_examples,
    render_prompt,
    sft_rows,
    turn_end,
    write_examples,
)
from reasonscope.train.traces import TraceError, condense, long_trace, short_trace

STEPS = ["Split the subsets by size k.", "k = 1: 3 subsets.", "k = 2: 3 subsets.",
         "k = 3: 1 subset.", "Total: 3 + 3 + 1 = 7."]


def _item(steps: list[str] | None = STEPS, behavior: Behavior = Behavior.ENUMERATION) -> Item:
    return Item.create(behavior=behavior, domain=Domain.MATH, difficulty=2,
                       prompt="How many non-empty subsets does {1, 2, 3} have?", answer="7",
                       answer_type=AnswerType.INTEGER, source="test@1+0",
                       meta={"steps": steps} if steps else {})


def test_short_trace_is_condensed_and_boxed() -> None:
    text = short_trace(_item())
    assert text.endswith("\\boxed{7}.")
    assert "<think>" not in text
    assert condense(STEPS) == [STEPS[0], STEPS[-2], STEPS[-1]]
    assert "k = 1: 3 subsets." not in text


def test_long_trace_thinks_enumerates_and_verifies() -> None:
    text = long_trace(_item())
    think, _, final = text.partition("</think>")
    assert think.startswith("<think>\n")
    for i, step in enumerate(STEPS, start=1):
        assert f"{i}. {step}" in think
    assert "The cases are lines 2 to 4 (3 in all)" in think
    assert "verify" in think
    assert final.strip() == "The answer is \\boxed{7}."
    assert len(text) > 2 * len(short_trace(_item()))


def test_trace_needs_steps() -> None:
    with pytest.raises(TraceError, match="no worked solution"):
        short_trace(_item(steps=None))


def test_import_with_custom_fields(qa_file: Path) -> None:
    fields = ImportFields(question="question", answer="golden_answer", solution="solution")
    ex = read_examples(qa_file, style="long", fields=fields)
    assert len(ex) == len(qa_rows())
    first = ex[0]
    assert first.item is not None and first.item.answer == "2"
    assert first.prompt.startswith("What is 1 + 1?") and "\\boxed{}" in first.prompt
    assert first.completion is not None and first.completion.startswith("<think>")


def test_import_takes_answer_from_solution(tmp_path: Path) -> None:
    rows = [{"problem": "What is 2 + 2?", "sol": "2 + 2 = 4, so \\boxed{4}."}]
    path = write_jsonl(tmp_path / "q.jsonl", rows)
    ex = read_examples(path, fields=ImportFields(question="problem", answer=None, solution="sol"))
    assert ex[0].item is not None and ex[0].item.answer == "4"


def test_bad_lines_name_file_line_and_field(tmp_path: Path) -> None:
    rows = qa_rows()[:3]
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(rows[0]), "{broken", json.dumps({"golden_answer": "3"}),
             json.dumps({"question": "q?", "solution": "no answer here"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fields = ImportFields(answer="golden_answer")
    with pytest.raises(ItemFileError) as info:
        read_examples(path, fields=fields)
    msg = str(info.value)
    assert f"{path}:2: invalid JSON" in msg
    assert f"{path}:3: field 'question'" in msg
    assert f"{path}:4: field 'golden_answer'" in msg and "no \\boxed{} answer" in msg
    kept = read_examples(path, fields=fields, skip_bad_lines=True)
    assert len(kept) == 1


def test_sft_needs_solution_field(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "qa.jsonl", [{"question": "1 + 1?", "answer": "2"}])
    with pytest.raises(ItemFileError, match=r"qa.jsonl:1: field 'solution'"):
        read_examples(path, need_completion=True)
    assert read_examples(path, need_completion=False, need_answer=True)[0].completion is None


def test_written_rows_read_back(tmp_path: Path, qa_file: Path) -> None:
    ex = read_examples(qa_file, fields=ImportFields(answer="golden_answer"))
    out = write_examples(tmp_path / "train.jsonl", ex)
    row = json.loads(out.read_text().splitlines()[0])
    assert {"prompt", "completion", "messages", "item_id", "answer", "answer_type"} <= set(row)
    again = read_examples(out, need_answer=True)
    assert [e.item for e in again] == [e.item for e in ex]
    assert [e.completion for e in again] == [e.completion for e in ex]


def test_item_rows_become_traces(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(_item().to_json() + "\n", encoding="utf-8")
    ex = read_examples(path, style="long")
    assert ex[0].completion == long_trace(_item())


def test_generated_set_is_clean_and_disjoint() -> None:
    from reasonscope.train.data import contamination_summary, generated_math_examples

    ex, _ = generated_math_examples(style="short", per_cell=5, difficulties=(1, 2))
    if not ex:
        pytest.skip("no math generator with worked solutions is registered yet")
    assert all(e.item is not None and e.item.domain is Domain.MATH for e in ex)
    assert all(e.completion and e.completion.endswith(f"\\boxed{{{e.item.answer}}}.")
               for e in ex if e.item)
    summary = contamination_summary(ex)
    for name, result in summary.items():
        assert result.get("clean", True), name


def test_counted_length_equals_trl_tokenization(base_fp32: Path, qa_file: Path) -> None:
    """The overflow count must see exactly the tokens TRL will train on."""
    from trl.data_utils import _tokenize

    from reasonscope.train.modelio import load_tokenizer
    from reasonscope.train.sft import _with_eos, token_lengths

    tok = load_tokenizer(base_fp32)
    ex = read_examples(qa_file, style="long", fields=ImportFields(answer="golden_answer"))
    for chat in (True, False):
        rows = _with_eos(sft_rows(ex[:4], tok, chat=chat, thinking="on"), tok.eos_token)
        trl_lengths = [len(_tokenize(tok, r["prompt"] + r["completion"])["input_ids"])
                       for r in rows]
        assert token_lengths(rows, tok) == trl_lengths


def test_chat_rendering_matches_the_template(base_fp32: Path) -> None:
    from reasonscope.train.modelio import load_tokenizer

    tok = load_tokenizer(base_fp32)
    off = render_prompt(tok, "Q?", chat=True, thinking="off")
    assert off.startswith("<|im_start|>user\nQ?") and off.endswith("<think>\n\n</think>\n\n")
    assert render_prompt(tok, "Q?", chat=False, thinking="off") == "Q?"
    assert turn_end(tok, chat=True) == "<|im_end|>"


def test_non_string_completion_is_an_error_naming_line_and_field(tmp_path: Path) -> None:
    import json as _json

    from reasonscope.items import ItemFileError
    from reasonscope.train.data import read_examples

    path = tmp_path / "rows.jsonl"
    path.write_text(_json.dumps({"prompt": "What is 6 x 7?", "completion": 42}) + "\n"
                    + _json.dumps({"prompt": "Name it.", "completion": ["a", "b"]}) + "\n")
    with pytest.raises(ItemFileError) as info:
        read_examples(path)
    text = str(info.value)
    assert "completion" in text and "expected a string" in text and ":1" in text
