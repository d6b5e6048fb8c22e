"""`reasonscope bench`: build, inspect and validate item suites."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from reasonscope.bench.suites import DEFAULT_SUITE
from reasonscope.cli.errors import err
from reasonscope.taxonomy import (
    BEHAVIOR_DEFINITIONS,
    BEHAVIORS,
    DOMAIN_DEFINITIONS,
    DOMAINS,
    parse_cell,
    parse_domain,
)

if TYPE_CHECKING:
    from reasonscope.items import Item

bench_app = typer.Typer(help="Build, inspect and validate item suites.", no_args_is_help=True)
console = Console()
SOURCE_HELP = "built-in suite name or JSONL file"


def register(app: typer.Typer) -> None:
    from reasonscope.cli.pools import register_bench

    register_bench(bench_app)  # import, label, select, freeze (pools -> suite)
    app.add_typer(bench_app, name="bench")


@bench_app.command("taxonomy")
def taxonomy_cmd() -> None:
    """The five behaviors and four domains, with what each one isolates."""
    for title, defs in (("Behaviors", BEHAVIOR_DEFINITIONS), ("Domains", DOMAIN_DEFINITIONS)):
        table = Table(title=title, show_lines=True)
        table.add_column("name", style="bold")
        table.add_column("definition")
        for key, text in defs.items():
            table.add_row(f"{key.label}\n[dim]{key.value}[/dim]", text)
        console.print(table)


@bench_app.command("build")
def build_cmd(
    suite: Annotated[str, typer.Option(help="built-in suite name")] = DEFAULT_SUITE,
    out: Annotated[Path, typer.Option(help="JSONL file to write")] = Path("suite.jsonl"),
) -> None:
    """Generate a built-in suite from its generators and check it against the frozen copy."""
    from reasonscope.bench.suites import BUILTIN_SUITES, generate_suite, load_suite
    from reasonscope.items import dumps_items

    if suite not in BUILTIN_SUITES:
        err.print(f"[red]unknown suite {suite!r}[/red]; built-in: {', '.join(BUILTIN_SUITES)}")
        raise typer.Exit(2)
    spec = BUILTIN_SUITES[suite]
    loaded = load_suite(suite)
    if spec.frozen_only:
        from reasonscope.fsutil import atomic_write_bytes

        assert loaded.path is not None
        data = loaded.path.read_bytes()
        atomic_write_bytes(out, data)
        console.print(f"{suite} is frozen (its generators have moved on to newer versions): "
                      f"wrote the frozen file, {len(loaded.items)} items, to {out}  sha256 "
                      f"{loaded.hash}")
        return
    data = dumps_items(generate_suite(spec))
    digest = hashlib.sha256(data).hexdigest()
    frozen = loaded.hash
    if digest != frozen:
        err.print(f"[red]{suite}: generated content {digest[:12]} differs from the frozen suite "
                  f"{frozen[:12]}[/red]: a generator changed its output without a version bump.")
        raise typer.Exit(1)
    from reasonscope.fsutil import atomic_write_bytes

    atomic_write_bytes(out, data)
    n = data.count(b"\n")
    console.print(f"wrote {n} items to {out}  sha256 {digest}")


def _load(source: str) -> tuple[str, list[Item]]:
    from reasonscope.bench.suites import load_suite
    from reasonscope.items import ItemFileError
    from reasonscope.pools.candidates import is_candidates_file, read_candidates

    try:
        if is_candidates_file(source):
            return Path(source).stem, [c.item for c in read_candidates(source)]
        s = load_suite(source)
    except (ItemFileError, FileNotFoundError, ValueError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    return s.name, list(s.items)


@bench_app.command("stats")
def stats_cmd(
    source: Annotated[str, typer.Argument(help=SOURCE_HELP)] = DEFAULT_SUITE,
    work: Annotated[bool, typer.Option("--work", help="median work count and worked-solution "
                                       "length per cell and difficulty")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="with --work: a Markdown table "
                                           "(for docs)")] = False,
) -> None:
    """Items per behavior x domain cell, and the difficulty mix of each cell."""
    name, items = _load(source)
    if work:
        _work_table(name, items, markdown)
        return
    counts = Counter((i.behavior, i.domain) for i in items)
    levels: dict[tuple[str, str], Counter[int]] = {}
    for i in items:
        levels.setdefault((i.behavior, i.domain), Counter())[i.difficulty] += 1
    table = Table(title=f"{name}: {len(items)} items per behavior x domain cell")
    table.add_column("behavior \\ domain", style="bold")
    for d in DOMAINS:
        table.add_column(d.label, justify="right")
    table.add_column("total", justify="right")
    for b in BEHAVIORS:
        table.add_row(b.label, *(str(counts[(b, d)]) for d in DOMAINS),
                      str(sum(counts[(b, d)] for d in DOMAINS)))
    table.add_row("total", *(str(sum(counts[(b, d)] for b in BEHAVIORS)) for d in DOMAINS),
                  str(len(items)), style="bold")
    console.print(table)
    mix = Table(title="difficulty mix (items at difficulty 1..5)")
    mix.add_column("cell", style="bold")
    for level in range(1, 6):
        mix.add_column(str(level), justify="right")
    for b in BEHAVIORS:
        for d in DOMAINS:
            if counts[(b, d)]:
                lv = levels[(b, d)]
                mix.add_row(f"{b.value}/{d.value}", *(str(lv[k]) for k in range(1, 6)))
    console.print(mix)
    families = Counter(i.meta.get("generator", i.source.split("@")[0]) for i in items)
    console.print(f"{len(families)} sources/families; unique ids: {len({i.id for i in items})}")


def _work_table(name: str, items: list[Item], markdown: bool) -> None:
    from reasonscope.bench.measures import measure, solution_budget

    rows = measure(items)
    cols = ("cell", "d", "items", "median work", "unit", "median solution chars",
            "median solution tokens (est.)", "max solution tokens (est.)")

    def fmt(v: float | int | None) -> str:
        return "-" if v is None else f"{v:g}"

    cells = [(f"{m.cell[0].value}/{m.cell[1].value}", str(m.difficulty), str(m.items),
              fmt(m.median_work), ", ".join(m.work_units) or "-",
              fmt(m.median_solution_chars), fmt(m.median_solution_tokens),
              fmt(m.max_solution_tokens)) for m in rows]
    budget = solution_budget(rows)
    if markdown:
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for r in cells:
            print("| " + " | ".join(r) + " |")
    else:
        table = Table(title=f"{name}: work and worked-solution length")
        for c in cols:
            table.add_column(c, justify="left" if c in ("cell", "unit") else "right")
        for r in cells:
            table.add_row(*r)
        console.print(table)
    console.print(f"longest worked solution: {fmt(budget)} tokens (estimated)")


@bench_app.command("show")
def show_cmd(
    source: Annotated[str, typer.Argument(help=SOURCE_HELP)] = DEFAULT_SUITE,
    cell: Annotated[str, typer.Option(help="behavior/domain, e.g. simulation/coding")] = (
        "calculation/math"),
    difficulty: Annotated[int | None, typer.Option(min=1, max=5)] = None,
    n: Annotated[int, typer.Option(help="items to print")] = 3,
) -> None:
    """Print items of one cell with their answers."""
    name, items = _load(source)
    try:
        b, d = parse_cell(cell)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    chosen = [i for i in items if i.behavior is b and i.domain is d
              and (difficulty is None or i.difficulty == difficulty)][:n]
    if not chosen:
        err.print(f"no items in {name} for {cell}" + (f" at difficulty {difficulty}"
                                                     if difficulty else ""))
        raise typer.Exit(1)
    for i in chosen:
        console.rule(f"{i.id}  difficulty {i.difficulty}  [dim]{i.source}[/dim]")
        console.print(i.prompt, markup=False, highlight=False)
        console.print(f"[bold green]answer[/bold green] ({i.answer_type.value}): ", end="")
        console.print(i.answer, markup=False, highlight=False)


@bench_app.command("validate")
def validate_cmd(file: Annotated[Path, typer.Argument(help="JSONL item file")]) -> None:
    """Check every row of a user's item file; exits 1 naming the first bad line."""
    from reasonscope.items import ItemFileError, read_items

    try:
        items = read_items(file)
    except ItemFileError as exc:
        err.print(f"[red]invalid:[/red] {exc}")
        raise typer.Exit(1) from None
    cells = Counter(i.cell for i in items)
    console.print(f"[green]ok[/green]: {len(items)} items in {len(cells)} cells, ids unique")


@bench_app.command("generators")
def generators_cmd() -> None:
    """The generator families behind the built-in suites."""
    from reasonscope.bench.generators import all_generators

    table = Table(title="generator families")
    for col in ("name", "version", "description", "why it isolates its behavior"):
        table.add_column(col)
    for g in all_generators():
        table.add_row(g.name, str(g.version), g.description, g.why)
    console.print(table)


@bench_app.command("train-split")
def train_split_cmd(
    out: Annotated[Path, typer.Option(help="JSONL file of training items")],
    domains: Annotated[str, typer.Option(help="comma-separated domains")] = "math",
    per_cell: Annotated[int, typer.Option(help="items per behavior x domain cell")] = 200,
    seed: Annotated[int, typer.Option(help="training seed block")] = 0,
) -> None:
    """Items from the same generators on seeds disjoint from every built-in suite."""
    from reasonscope.bench.contamination import check_contamination
    from reasonscope.bench.suites import load_suite, training_items
    from reasonscope.items import write_items

    items = training_items(domains=[parse_domain(d) for d in domains.split(",")],
                           per_cell=per_cell, seed=seed)
    report = check_contamination(load_suite(DEFAULT_SUITE).items, [i.prompt for i in items])
    if not report.clean:
        err.print(f"[red]{len(report.exact_hits)} evaluation prompts found in the split[/red]")
        raise typer.Exit(1)
    write_items(items, out)
    console.print(f"wrote {len(items)} training items to {out}; contamination: none "
                  f"({report.n}-gram overlap mean {report.mean_overlap:.3f})")


@bench_app.command("contamination")
def contamination_cmd(
    train_file: Annotated[Path, typer.Argument(help="training JSONL (prompt/question/text/"
                                               "completion/messages fields are read)")],
    suite: Annotated[str, typer.Option(help="evaluation suite")] = DEFAULT_SUITE,
    n: Annotated[int, typer.Option(help="n-gram length for the overlap report")] = 13,
) -> None:
    """Prove that no evaluation prompt occurs in a training file; report n-gram overlap."""
    from reasonscope.bench.contamination import check_contamination, texts_from_jsonl

    _, items = _load(suite)
    try:
        texts = texts_from_jsonl(train_file)
    except (OSError, ValueError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    r = check_contamination(items, texts, n=n)
    console.print(f"{r.eval_items} eval items vs {r.train_texts} training texts")
    console.print(f"exact prompt matches: {len(r.exact_hits)}")
    console.print(f"{n}-gram overlap per item: mean {r.mean_overlap:.3f}, max {r.max_overlap:.3f}, "
                  f"fully covered items {r.items_fully_covered}")
    if not r.clean:
        for item_id in r.exact_hits[:20]:
            err.print(f"  contaminated: {item_id}")
        raise typer.Exit(1)
    console.print("[green]clean[/green]")
