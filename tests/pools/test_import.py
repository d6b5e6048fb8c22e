"""`bench import`: pool-format files as they are, other files through a field mapping, and
malformed rows reported by file and line (skipped only with --skip-bad)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from rs_pools import pool_row, small_pool_rows, write_jsonl
from typer.testing import CliRunner

from reasonscope.cli.pools import register_bench
from reasonscope.pools.importer import ImportReport, import_rows
from reasonscope.pools.mapping import FieldMapping, MappingError, load_mapping, template_fields
from reasonscope.pools.rows import PoolRowError, read_pool
from reasonscope.taxonomy import AnswerType


@pytest.fixture()
def cli() -> typer.Typer:
    app = typer.Typer()
    register_bench(app)
    return app


def test_pool_format_is_read_as_it_is_and_typed(small_pool: Path, tmp_path: Path,
                                                 cli: typer.Typer) -> None:
    out = tmp_path / "pool.jsonl"
    res = CliRunner().invoke(cli, ["import", str(small_pool), "--out", str(out),
                                   "--license", "CC0"])
    assert res.exit_code == 0, res.output
    assert f"wrote 16 rows to {out}" in res.stdout
    rows = {r.id: r for r in read_pool(out)}
    original = {r["id"]: r for r in small_pool_rows()}
    for rid, row in rows.items():
        assert (row.question, row.answer, row.meta) == (
            original[rid]["question"], original[rid]["answer"], original[rid]["meta"])
        assert row.license == "CC0"
    assert rows["mini/9"].answer_type is AnswerType.CHOICE
    assert rows["mini/11"].answer_type is AnswerType.LINE
    assert rows["mini/15"].answer_type is AnswerType.CODE_TESTS
    assert rows["mini/16"].answer_type is AnswerType.EXPRESSION
    assert rows["mini/1"].answer_type is AnswerType.INTEGER


def test_malformed_rows_name_file_and_line_and_need_skip_bad(tmp_path: Path,
                                                              cli: typer.Typer) -> None:
    good = small_pool_rows()
    bad_file = write_jsonl(tmp_path / "broken.jsonl", [
        good[0], good[1], "{not json", pool_row("x/1", "", "3"),
        {"id": "x/2", "question": "q?", "answer": "1", "meta": {}},   # no source
        pool_row("x/3", "Which one?", "Z", options=["a", "b"]),       # Z is not an option
        good[2], good[0]])                                            # duplicate id
    out = tmp_path / "pool.jsonl"
    res = CliRunner().invoke(cli, ["import", str(bad_file), "--out", str(out)])
    assert res.exit_code == 1
    assert f"{bad_file}:3: invalid JSON" in res.stderr
    assert "--skip-bad" in res.stderr
    assert not out.exists(), "nothing half-written"

    res = CliRunner().invoke(cli, ["import", str(bad_file), "--out", str(out), "--skip-bad"])
    assert res.exit_code == 0, res.output
    assert "skipped 5 malformed row(s)" in res.stderr
    for line, reason in ((3, "invalid JSON"), (4, "field 'question'"), (5, "field 'source'"),
                         (6, "names none of the options"), (8, "duplicate id")):
        assert f"{bad_file}:{line}: " in res.stderr and reason in res.stderr
    assert [r.id for r in read_pool(out)] == ["mini/1", "mini/2", "mini/3"]


def test_real_pool_with_an_empty_answer(pools_dir: Path) -> None:
    """cruxeval.jsonl has one row without an answer: named precisely, skipped on request."""
    path = pools_dir / "cruxeval.jsonl"
    with pytest.raises(PoolRowError) as info:
        list(import_rows([path]))
    assert info.value.path == str(path) and info.value.line == 272
    assert "answer is empty" in str(info.value)
    report = ImportReport()
    rows = list(import_rows([path], skip_bad=True, report=report))
    assert len(rows) == 1599 and [b.line for b in report.bad] == [272]


def test_csv_with_mapping_flags(tmp_path: Path, cli: typer.Typer) -> None:
    csv = tmp_path / "quiz.csv"
    csv.write_text('uid,q,a,b,label,topic\n7,"Which is a prime, 4 or 7?",4,7,B,numbers\n'
                   '8,"Which is even, 3 or 8?",3,8,B,numbers\n', encoding="utf-8")
    out = tmp_path / "pool.jsonl"
    res = CliRunner().invoke(cli, [
        "import", str(csv), "--out", str(out), "--id", "uid", "--answer", "label",
        "--prompt", "{q}\nOptions:\n(A) {a}\n(B) {b}", "--license-field", "topic"])
    assert res.exit_code == 0, res.output
    rows = read_pool(out)
    assert [r.id for r in rows] == ["quiz/7", "quiz/8"]
    assert rows[0].question == "Which is a prime, 4 or 7?\nOptions:\n(A) 4\n(B) 7"
    assert rows[0].answer_type is AnswerType.CHOICE and rows[0].answer == "B"
    assert rows[0].license == "numbers"
    assert rows[0].meta == {}  # every column was used by the mapping


def test_parquet_with_toml_mapping_and_meta_placeholders(tmp_path: Path) -> None:
    table = pa.table({
        "key": ["p1", "p2", "p3"],
        "text": ["Add 2 and 3.", "Add 4 and 4.", "Name the largest ocean."],
        "gold": [5.0, 8.0, None],
        "meta": [{"unit": "apples", "level": 1}, {"unit": "pears", "level": 2},
                 {"unit": "", "level": 1}],
    })
    path = tmp_path / "sums.parquet"
    pq.write_table(table, path)
    toml = tmp_path / "map.toml"
    toml.write_text('prompt = "{text} Count {meta.unit}."\nanswer = "gold"\nid = "key"\n'
                    'license = "MIT"\n', encoding="utf-8")
    mapping = load_mapping(toml)
    report = ImportReport()
    rows = list(import_rows([path], mapping, skip_bad=True, report=report))
    assert [(r.id, r.question, r.answer, r.answer_type) for r in rows] == [
        ("sums/p1", "Add 2 and 3. Count apples.", "5", AnswerType.INTEGER),
        ("sums/p2", "Add 4 and 4. Count pears.", "8", AnswerType.INTEGER)]
    assert rows[0].meta == {"unit": "apples", "level": 1} and rows[0].license == "MIT"
    assert [(b.line, "answer is empty" in b.reason) for b in report.bad] == [(3, True)]


def test_mapping_errors_are_precise(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="unbalanced brace"):
        template_fields("{question")
    with pytest.raises(MappingError, match=r"no \{field\} placeholder"):
        template_fields("plain text")
    assert template_fields("{{literal}} {a} {meta.b}") == ("a", "meta.b")
    bad = tmp_path / "bad.toml"
    bad.write_text('promt = "{q}"\n', encoding="utf-8")
    with pytest.raises(MappingError, match=r"bad.toml: unknown key\(s\) promt"):
        load_mapping(bad)
    src = write_jsonl(tmp_path / "other.jsonl", [{"q": "What is 1+1?", "ans": "2"}])
    with pytest.raises(PoolRowError, match=r"other.jsonl:1: .*no field 'question'"):
        list(import_rows([src], FieldMapping(prompt="{question}", answer="ans")))
    with pytest.raises(PoolRowError, match=r"other.jsonl:1: .*need a field mapping"):
        list(import_rows([src]))
    rows = list(import_rows([src], FieldMapping(prompt="Q: {q}", answer="ans")))
    assert rows[0].id == "other/1" and rows[0].question == "Q: What is 1+1?"


def test_unknown_file_type_and_missing_file(tmp_path: Path) -> None:
    odd = tmp_path / "items.xlsx"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(PoolRowError, match="unknown file type"):
        list(import_rows([odd]))
    with pytest.raises(PoolRowError, match="does not exist"):
        list(import_rows([tmp_path / "missing.jsonl"]))


def test_import_output_keeps_row_order_and_json_shape(small_pool: Path, tmp_path: Path,
                                                       cli: typer.Typer) -> None:
    out = tmp_path / "pool.jsonl"
    assert CliRunner().invoke(cli, ["import", str(small_pool), "--out", str(out)]).exit_code == 0
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"id", "source", "question", "answer", "meta", "answer_type"}


def test_hugging_face_source_without_datasets_is_a_clear_error(monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    import builtins

    real_import = builtins.__import__

    def no_datasets(name: str, *args: object, **kwargs: object) -> object:
        if name == "datasets":
            raise ImportError("no datasets here")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_datasets)
    with pytest.raises(PoolRowError, match=r"hf:openai/gsm8k:test: .*optional `datasets`"):
        list(import_rows(["hf:openai/gsm8k:test"]))
