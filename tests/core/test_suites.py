from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reasonscope.bench.contamination import check_contamination, texts_from_jsonl
from reasonscope.bench.generators import all_generators
from reasonscope.bench.suites import BUILTIN_SUITES, generate_suite, load_suite, training_items
from reasonscope.cli import app
from reasonscope.items import dumps_items, write_items
from reasonscope.taxonomy import CELLS, Domain

runner = CliRunner()


@pytest.fixture(scope="module")
def suite():  # type: ignore[no-untyped-def]
    return load_suite("rs-synth-v2")


def test_every_cell_has_at_least_two_families() -> None:
    per_cell = Counter((g.behavior, g.domain) for g in all_generators())
    thin = {f"{b.value}/{d.value}": per_cell[(b, d)] for b, d in CELLS if per_cell[(b, d)] < 2}
    assert not thin, f"cells with fewer than two generator families: {thin}"


def test_frozen_suite_shape(suite) -> None:  # type: ignore[no-untyped-def]
    cells = Counter(i.cell for i in suite.items)
    assert set(cells) == set(CELLS)
    assert min(cells.values()) >= 60
    for cell in CELLS:
        levels = {i.difficulty for i in suite.items if i.cell == cell}
        assert levels == {1, 2, 3, 4, 5}, cell
    assert len({i.id for i in suite.items}) == len(suite.items)
    assert len({i.prompt for i in suite.items}) == len(suite.items)


@pytest.mark.parametrize("name", sorted(n for n, s in BUILTIN_SUITES.items() if s.frozen_only))
def test_superseded_suites_stay_byte_identical(name: str) -> None:
    frozen = load_suite(name)
    assert frozen.path is not None
    recorded = frozen.path.with_suffix(".sha256").read_text().split()[0]
    assert hashlib.sha256(frozen.path.read_bytes()).hexdigest() == recorded == frozen.hash


@pytest.mark.parametrize("name", sorted(n for n, s in BUILTIN_SUITES.items()
                                        if not s.frozen_only))
def test_regenerating_a_frozen_suite_gives_identical_bytes(name: str) -> None:
    frozen = load_suite(name)
    assert frozen.path is not None
    assert dumps_items(generate_suite(BUILTIN_SUITES[name])) == frozen.path.read_bytes(), (
        f"generators changed the output of frozen suite {name}: bump the changed family's "
        "version, then re-freeze deliberately")


def test_bench_build_twice_is_byte_identical(tmp_path: Path) -> None:
    outs = []
    for k in range(2):
        out = tmp_path / f"s{k}.jsonl"
        result = runner.invoke(app, ["bench", "build", "--suite", "rs-synth-v2", "--out", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert hashlib.sha256(outs[0]).hexdigest() == load_suite("rs-synth-v2").hash


def test_bench_stats_and_show() -> None:
    result = runner.invoke(app, ["bench", "stats", "rs-synth-v1"])
    assert result.exit_code == 0, result.output
    assert "Fact retrieval" in result.output and "1200" in result.output
    result = runner.invoke(app, ["bench", "show", "rs-synth-v1", "--cell", "simulation/coding",
                                 "--difficulty", "5", "--n", "1"])
    assert result.exit_code == 0 and "answer" in result.output


def test_bench_validate_names_the_broken_line(tmp_path: Path, suite) -> None:  # type: ignore[no-untyped-def]
    rows = [json.loads(i.to_json()) for i in suite.items[:5]]
    rows[3]["difficulty"] = 9
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(app, ["bench", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:4" in result.output.replace("\n", "") and "difficulty" in result.output
    write_items(suite.items[:5], path)
    assert runner.invoke(app, ["bench", "validate", str(path)]).exit_code == 0


def test_training_split_is_disjoint_and_contamination_is_detected(tmp_path: Path, suite) -> None:  # type: ignore[no-untyped-def]
    train = training_items(domains=(Domain.MATH,), per_cell=30)
    assert {i.domain for i in train} == {Domain.MATH}
    assert len(train) == 5 * 30
    eval_prompts = {i.prompt for i in suite.items}
    assert not eval_prompts & {i.prompt for i in train}
    report = check_contamination(suite.items, [i.prompt for i in train])
    assert report.clean and 0 <= report.mean_overlap <= report.max_overlap <= 1
    # plant two eval questions inside longer training texts: both must be found
    planted = [f"Q: {suite.items[7].prompt}\nA: 1", f"{suite.items[300].prompt} and more"]
    dirty = check_contamination(suite.items, [i.prompt for i in train] + planted)
    assert set(dirty.exact_hits) == {suite.items[7].id, suite.items[300].id}
    assert dirty.overlap_by_item[suite.items[7].id] == 1.0


def test_contamination_cli_reads_training_files(tmp_path: Path, suite) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "train.jsonl"
    result = runner.invoke(app, ["bench", "train-split", "--out", str(out), "--per-cell", "10"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["bench", "contamination", str(out)]).exit_code == 0
    with out.open("a") as fh:
        fh.write(json.dumps({"messages": [{"role": "user", "content": suite.items[0].prompt}]}))
        fh.write("\n")
    assert len(texts_from_jsonl(out)) == 51
    result = runner.invoke(app, ["bench", "contamination", str(out)])
    assert result.exit_code == 1 and suite.items[0].id in result.output


@pytest.mark.parametrize("name", sorted(n for n, s in BUILTIN_SUITES.items() if s.new_tokens))
def test_suite_budget_covers_its_longest_worked_solution(name: str) -> None:
    from reasonscope.bench.measures import measure, solution_budget

    longest = solution_budget(measure(load_suite(name).items))
    assert longest is not None and longest <= BUILTIN_SUITES[name].new_tokens  # type: ignore[operator]


def test_v2_keeps_no_error_answers_at_one_in_six_per_level() -> None:
    items = load_suite("rs-synth-v2").items
    for level in range(1, 6):
        diag = [i for i in items if i.behavior.value == "diagnostic" and i.difficulty == level]
        assert sum(i.answer == "0" for i in diag) == len(diag) // 6


def test_training_items_never_contain_an_eval_prompt() -> None:
    from reasonscope.bench.suites import PromptGuard, builtin_prompts

    guard = PromptGuard(["What is the symbol of tin?", "x" * 40])
    assert "Name them: What is the symbol of tin?  And of lead?" in guard
    assert "prefix " + "x" * 40 + " suffix" in guard and "x" * 39 not in guard
    assert "What is the symbol of lead?" not in guard
    items = training_items(domains=tuple(Domain), per_cell=5, difficulties=(1, 5))
    report = check_contamination(
        [i for n in BUILTIN_SUITES for i in load_suite(n).items], [i.prompt for i in items])
    assert not report.exact_hits
    assert builtin_prompts()
