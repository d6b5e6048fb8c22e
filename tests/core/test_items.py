from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonscope.items import Item, ItemFileError, content_id, read_items, write_items
from reasonscope.taxonomy import AnswerType, Behavior, Domain

SHARED = Path(__file__).resolve().parents[3] / "shared"


def make(prompt: str = "What is 2+3?", answer: str = "5", **kw: object) -> Item:
    args: dict[str, object] = dict(behavior=Behavior.CALCULATION, domain=Domain.MATH,
                                   difficulty=1, prompt=prompt, answer=answer,
                                   answer_type=AnswerType.INTEGER, source="test@1+0")
    args.update(kw)
    return Item.create(**args)  # type: ignore[arg-type]


def test_id_is_content_derived_and_stable() -> None:
    a, b = make(), make()
    assert a.id == b.id == content_id("calculation", "math", "What is 2+3?", "5", "integer")
    assert a.id.startswith("calculation.math.")
    assert make(answer="6").id != a.id
    assert make(prompt="What is 3+2?").id != a.id


def test_round_trip_is_byte_identical(tmp_path: Path) -> None:
    items = [make(), make("Which element has symbol Fe?", "Iron", behavior=Behavior.FACT_RETRIEVAL,
                          domain=Domain.SCIENCE, answer_type=AnswerType.STRING,
                          meta={"aliases": ["iron"]})]
    p1, p2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_items(items, p1)
    write_items(read_items(p1), p2)
    assert p1.read_bytes() == p2.read_bytes()
    assert read_items(p2) == items


def _write_rows(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


@pytest.mark.parametrize(
    ("mutate", "field", "reason"),
    [
        (lambda r: r.update(behavior="guessing"), "behavior", "Input should be"),
        (lambda r: r.update(domain="law"), "domain", "Input should be"),
        (lambda r: r.update(answer_type="vibes"), "answer_type", "Input should be"),
        (lambda r: r.update(difficulty=7), "difficulty", "less than or equal to 5"),
        (lambda r: r.pop("prompt"), "prompt", "Field required"),
        (lambda r: r.update(colour="red"), "colour", "unknown field"),
        (lambda r: r.update(answer=""), None, "answer is empty"),
        (lambda r: r.update(tolerance=0.1), None, "tolerance"),
    ],
)
def test_bad_row_names_file_line_and_field(tmp_path: Path, mutate, field, reason) -> None:  # type: ignore[no-untyped-def]
    good = make().model_dump(mode="json")
    bad = dict(good)
    mutate(bad)
    path = _write_rows(tmp_path / "items.jsonl", [good, bad])
    with pytest.raises(ItemFileError) as info:
        read_items(path)
    exc = info.value
    assert exc.line == 2 and exc.path == str(path)
    assert f"{path}:2" in str(exc)
    if field:
        assert exc.field == field and f"'{field}'" in str(exc)
    assert reason in str(exc)


def test_invalid_json_empty_and_non_utf8(tmp_path: Path) -> None:
    p = _write_rows(tmp_path / "a.jsonl", [make().model_dump(mode="json"), "{not json"])
    with pytest.raises(ItemFileError, match=r"a.jsonl:2: invalid JSON"):
        read_items(p)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n")
    with pytest.raises(ItemFileError, match="file is empty"):
        read_items(empty)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(make().to_json().encode() + b"\n" + b'{"prompt": "caf\xe9"}\n')
    with pytest.raises(ItemFileError, match=r"latin.jsonl:2: not valid UTF-8"):
        read_items(latin)
    with pytest.raises(ItemFileError, match="does not exist"):
        read_items(tmp_path / "missing.jsonl")


def test_duplicate_ids_reported(tmp_path: Path) -> None:
    row = make().model_dump(mode="json")
    p = _write_rows(tmp_path / "dup.jsonl", [row, row])
    with pytest.raises(ItemFileError, match="duplicate id"):
        read_items(p)
    assert len(read_items(p, allow_duplicates=True)) == 2


def test_code_tests_items_need_tests() -> None:
    with pytest.raises(ValueError, match=r"meta\.tests"):
        make(answer="", answer_type=AnswerType.CODE_TESTS, domain=Domain.CODING)
    item = make(answer="", answer_type=AnswerType.CODE_TESTS, domain=Domain.CODING,
                meta={"tests": "assert f() == 1", "entry_point": "f"})
    assert item.answer == ""


def test_real_pool_rows_become_items(tmp_path: Path) -> None:
    pool = SHARED / "pools" / "gsm8k_test.jsonl"
    if not pool.exists():
        pytest.skip(f"shared pools not found at {pool.parent} (run from a checkout beside shared/)")
    rows = [json.loads(line) for line in pool.read_text().splitlines()[:50]]
    items = [Item.create(behavior=Behavior.CALCULATION, domain=Domain.GENERAL, difficulty=2,
                         prompt=r["question"], answer=r["answer"], answer_type=AnswerType.INTEGER,
                         source=r["source"] + "#" + r["id"]) for r in rows]
    write_items(items, tmp_path / "gsm.jsonl")
    again = read_items(tmp_path / "gsm.jsonl")
    assert [i.id for i in again] == [i.id for i in items]
    assert len({i.id for i in again}) == 50


@pytest.mark.parametrize("meta,needle", [({"timeout_s": "abc"}, "timeout_s"),
                                         ({"timeout_s": -5}, "timeout_s"),
                                         ({"timeout_s": float("nan")}, "timeout_s"),
                                         ({"timeout_s": True}, "timeout_s"),
                                         ({"case_sensitive": "yes"}, "case_sensitive")])
def test_scoring_meta_is_validated_when_loaded(tmp_path: Path, meta: dict[str, object],
                                               needle: str) -> None:
    row = {"id": "x", "behavior": "calculation", "domain": "math", "difficulty": 1,
           "prompt": "1+1?", "answer": "2", "answer_type": "integer", "source": "t", "meta": meta}
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ItemFileError) as info:
        read_items(path)
    assert needle in str(info.value) and ":1" in str(info.value)


def test_validate_on_a_directory_is_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reasonscope.cli import app

    res = CliRunner().invoke(app, ["bench", "validate", str(tmp_path)])
    assert res.exit_code == 1 and "is a directory" in res.output
    assert "Traceback" not in res.output
