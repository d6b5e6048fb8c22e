"""`reasonscope bench import | label | select | freeze` and `reasonscope review`: a benchmark
from real item pools (design section 7). Heavy libraries load inside the commands."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from reasonscope.pools.cache import EmbeddingCache
    from reasonscope.pools.embed import Embedder
    from reasonscope.pools.label import LabelledPool, Labeller
    from reasonscope.pools.review.server import ReviewServer
    from reasonscope.taxonomy import Behavior, Domain

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

EmbedderOpt = Annotated[str, typer.Option(help="minilm (offline default) | st | openai | "
                                               "hashing (no model; word overlap only)")]
ModelOpt = Annotated[str | None, typer.Option(help="sentence-transformers model (st) or "
                                                   "endpoint model name (openai)")]
BaseUrlOpt = Annotated[str | None, typer.Option(help="OpenAI-compatible base URL (openai)")]
CacheOpt = Annotated[Path | None, typer.Option(help="embedding cache directory (default "
                                                    "~/.cache/reasonscope/embeddings)")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="do not read or write the cache")]
MethodOpt = Annotated[str, typer.Option(help="nearest-seed | prototype | logreg | "
                                             "logreg-factored")]
SkipBadOpt = Annotated[bool, typer.Option("--skip-bad", help="skip malformed rows (listed) "
                                                             "instead of stopping")]
SeedsOpt = Annotated[Path | None, typer.Option(help="seed JSONL (default: the shipped seeds)")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    return typer.Exit(code)


def _count_rows(sources: list[str]) -> int | None:
    total = 0
    for s in sources:
        p = Path(s)
        if not p.is_file():
            return None
        if p.suffix.lower() in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            total += pq.ParquetFile(p).metadata.num_rows
        else:
            with p.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
    return total


def _embedding(embedder: str, model: str | None, base_url: str | None,
               cache_dir: Path | None, no_cache: bool,
               ) -> tuple[Embedder, EmbeddingCache | None]:
    from reasonscope.pools.cache import EmbeddingCache, default_cache_dir
    from reasonscope.pools.embed import make_embedder

    try:
        emb = make_embedder(embedder, model=model, base_url=base_url)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    cache = None if no_cache else EmbeddingCache(cache_dir or default_cache_dir(), emb.model_id)
    return emb, cache


def _labeller(emb: Embedder, cache: EmbeddingCache | None, method: str,
              seeds: Path | None) -> Labeller:
    from reasonscope.pools.classify import METHODS
    from reasonscope.pools.label import Labeller, build_reference
    from reasonscope.pools.seeds import SeedFileError, load_seeds

    if method not in METHODS:
        raise _fail(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    try:
        seed_list = load_seeds(seeds)
    except (OSError, SeedFileError) as exc:
        raise _fail(str(exc)) from None
    with console.status("embedding the seeds and the reference suite"):
        reference = build_reference(emb, cache, seed_list)
    return Labeller(reference, method)


def _cell_table(title: str, columns: dict[str, Counter[tuple[Behavior, Domain]]]) -> Table:
    from reasonscope.taxonomy import CELLS

    table = Table(title=title)
    table.add_column("cell", style="bold")
    for name in columns:
        table.add_column(name, justify="right")
    for cell in CELLS:
        table.add_row(f"{cell[0].value}/{cell[1].value}",
                      *(str(col.get(cell, 0)) for col in columns.values()))
    table.add_row("total", *(str(sum(col.values())) for col in columns.values()), style="bold")
    return table


def _print_bad(bad: list[object]) -> None:
    if bad:
        err.print(f"[yellow]skipped {len(bad)} malformed row(s):[/yellow]")
        for b in bad[:20]:
            err.print(f"  {b}", highlight=False, markup=False)
        if len(bad) > 20:
            err.print(f"  ... and {len(bad) - 20} more")


def _run_labelling(pools: list[str], labeller: Labeller, emb: Embedder,
                   cache: EmbeddingCache | None, skip_bad: bool) -> LabelledPool:
    from rich.progress import Progress

    from reasonscope.pools.label import collect
    from reasonscope.pools.rows import PoolRowError

    total = _count_rows(pools)
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("labelling", total=total)
        try:
            return collect(pools, labeller, emb, cache, skip_bad=skip_bad,
                           progress=lambda n: bar.advance(task, n))
        except PoolRowError as exc:
            raise _fail(f"{exc}\n(rerun with --skip-bad to skip malformed rows)", 1) from None


def import_cmd(
    files: Annotated[list[str], typer.Argument(help="JSONL / CSV / Parquet files, or "
                                                    "hf:NAME[:SPLIT]")],
    out: Annotated[Path, typer.Option(help="pool JSONL to write")],
    mapping: Annotated[Path | None, typer.Option(help="TOML field mapping")] = None,
    prompt: Annotated[str | None, typer.Option(help="prompt template: {field}, {meta.key}")] = None,
    answer: Annotated[str | None, typer.Option(help="answer field")] = None,
    id_field: Annotated[str | None, typer.Option("--id", help="id field")] = None,
    answer_type: Annotated[str | None, typer.Option(help="force one answer type")] = None,
    license_text: Annotated[str | None, typer.Option("--license", help="license of rows "
                                                     "that do not name one")] = None,
    license_field: Annotated[str | None, typer.Option(help="field holding the license")] = None,
    skip_bad: SkipBadOpt = False,
) -> None:
    """Read item files into one pool in the shared pool format, inferring answer types."""
    from reasonscope.pools.importer import import_to_file
    from reasonscope.pools.mapping import (
        FieldMapping,
        MappingError,
        load_mapping,
        mapping_from_dict,
    )
    from reasonscope.pools.rows import PoolRowError

    field_map: FieldMapping | None = None
    try:
        if mapping is not None:
            field_map = load_mapping(mapping)
        flags = {k: v for k, v in (("prompt", prompt), ("answer", answer), ("id", id_field),
                                   ("answer_type", answer_type),
                                   ("license_field", license_field)) if v is not None}
        if flags:
            base = {} if field_map is None else {
                k: v for k, v in field_map.__dict__.items()
                if k != "placeholders" and v is not None}
            if "answer_type" in base:
                base["answer_type"] = base["answer_type"].value
            if "meta" in base:
                base["meta"] = list(base["meta"])
            field_map = mapping_from_dict({**base, **flags}, "command-line mapping")
        report = import_to_file(files, out, field_map, skip_bad=skip_bad,
                                license_value=license_text)
    except MappingError as exc:
        raise _fail(str(exc)) from None
    except PoolRowError as exc:
        raise _fail(f"{exc}\n(rerun with --skip-bad to skip malformed rows)", 1) from None
    _print_bad(list(report.bad))
    for src, n in report.per_file.items():
        console.print(f"{src}: {n} rows")
    kinds = ", ".join(f"{k} {v}" for k, v in report.answer_types.most_common())
    console.print(f"wrote {report.rows} rows to {out}  (answer types: {kinds})")


def label_cmd(
    pools: Annotated[list[str], typer.Argument(help="pool JSONL files")],
    out: Annotated[Path, typer.Option(help="labels JSONL to write")],
    method: MethodOpt = "logreg-factored",
    embedder: EmbedderOpt = "minilm",
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
    seeds: SeedsOpt = None,
    skip_bad: SkipBadOpt = False,
) -> None:
    """Propose a behavior x domain cell for every pool row (one output row per pool row)."""
    from rich.progress import Progress

    from reasonscope.pools.label import LabelSummary, label_stream, write_labels
    from reasonscope.pools.rows import PoolRowError

    emb, cache = _embedding(embedder, model, base_url, cache_dir, no_cache)
    labeller = _labeller(emb, cache, method, seeds)
    summary = LabelSummary()
    total = _count_rows(pools)
    try:
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("labelling", total=total)
            n = write_labels(label_stream(pools, labeller, emb, cache, skip_bad=skip_bad,
                                          summary=summary,
                                          progress=lambda k: bar.advance(task, k)), out)
    except PoolRowError as exc:
        raise _fail(f"{exc}\n(rerun with --skip-bad to skip malformed rows)", 1) from None
    _print_bad(list(summary.imported.bad))
    console.print(_cell_table(f"proposed cells ({method}, {emb.model_id})",
                              {"rows": summary.cells}))
    e = summary.embedding
    console.print(f"wrote {n} labels to {out}; embeddings: {e.cached} from cache, "
                  f"{e.encoded} encoded")


def select_cmd(
    pools: Annotated[list[str], typer.Argument(help="pool JSONL files")],
    out: Annotated[Path, typer.Option(help="candidates JSONL to write")],
    per_cell: Annotated[int, typer.Option(min=1, help="candidates per cell")] = 50,
    train: Annotated[list[Path] | None, typer.Option(help="training JSONL to decontaminate "
                                                         "against (repeatable)")] = None,
    dup_threshold: Annotated[float, typer.Option(help="cosine above which two rows are "
                                                      "duplicates")] = 0.95,
    mmr_lambda: Annotated[float, typer.Option(min=0.0, max=1.0, help="MMR weight of "
                                              "relevance vs diversity")] = 0.7,
    max_overlap: Annotated[float, typer.Option(help="drop rows whose 13-gram overlap with "
                                                    "the training texts reaches this")] = 1.0,
    exclude_type: Annotated[list[str] | None, typer.Option(
        help="never select rows of this answer type (repeatable), e.g. code_tests for code "
             "synthesis, which no behavior of the grid isolates")] = None,
    method: MethodOpt = "logreg-factored",
    embedder: EmbedderOpt = "minilm",
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    cache_dir: CacheOpt = None,
    no_cache: NoCacheOpt = False,
    seeds: SeedsOpt = None,
    skip_bad: SkipBadOpt = False,
) -> None:
    """Top-k candidates per cell: near-duplicates dropped, diverse (MMR), decontaminated."""
    from reasonscope.bench.contamination import texts_from_jsonl
    from reasonscope.pools.candidates import write_candidates
    from reasonscope.pools.select import SelectConfig, select_candidates

    texts: list[str] = []
    for path in train or []:
        try:
            texts += texts_from_jsonl(path)
        except (OSError, ValueError) as exc:
            raise _fail(str(exc)) from None
    emb, cache = _embedding(embedder, model, base_url, cache_dir, no_cache)
    labeller = _labeller(emb, cache, method, seeds)
    pool = _run_labelling(pools, labeller, emb, cache, skip_bad)
    _print_bad(list(pool.summary.imported.bad))
    from reasonscope.taxonomy import AnswerType

    try:
        excluded = tuple(AnswerType(t) for t in exclude_type or [])
    except ValueError as exc:
        raise _fail(str(exc)) from None
    config = SelectConfig(per_cell=per_cell, dup_threshold=dup_threshold,
                          mmr_lambda=mmr_lambda, max_overlap=max_overlap,
                          exclude_types=excluded)
    with console.status("selecting"):
        candidates, report = select_candidates(pool.rows, pool.vectors, pool.proposals,
                                               labeller, config, texts)
    write_candidates(candidates, out)
    console.print(_cell_table(f"candidates per cell (k = {per_cell})",
                              {"proposed": report.proposed, "selected": report.selected}))
    console.print(f"dropped {report.duplicates} near-duplicates (cosine > {dup_threshold}), "
                  f"{report.contaminated} contaminated rows, {report.excluded} rows of an "
                  "excluded answer type" +
                  (f", {len(report.unusable)} unusable" if report.unusable else ""))
    for line in report.unusable[:10]:
        err.print(f"  unusable: {line}", markup=False, highlight=False)
    from reasonscope.taxonomy import CELLS

    short = [f"{b.value}/{d.value}" for b, d in CELLS if report.selected.get((b, d), 0) < per_cell]
    if short:
        console.print(f"[yellow]{len(short)} cell(s) below k:[/yellow] {', '.join(short)}")
    console.print(f"wrote {len(candidates)} candidates to {out}")


def freeze_cmd(
    candidates: Annotated[Path | None, typer.Argument(help="candidates JSONL")] = None,
    out: Annotated[Path | None, typer.Option(help="suite JSONL to write")] = None,
    name: Annotated[str | None, typer.Option(help="suite name")] = None,
    decisions: Annotated[Path | None, typer.Option(help="decisions file (default: beside "
                                                        "the candidates)")] = None,
    suite: Annotated[str | None, typer.Option(help="regenerate a built-in suite into the "
                                                   "package data (maintainers)")] = None,
) -> None:
    """Turn the accepted candidates of a review into a suite (`eval --suite FILE` runs it)."""
    if candidates is None:
        if suite is None:
            raise _fail("give a candidates file (or --suite NAME to regenerate a built-in)")
        from reasonscope.bench.suites import freeze_suite

        console.print(f"froze {freeze_suite(suite)}")
        return
    from reasonscope.items import ItemFileError
    from reasonscope.pools.freeze import FreezeError, freeze

    target = out or candidates.with_name(f"{name or candidates.stem}.suite.jsonl")
    try:
        result = freeze(candidates, target, name or target.stem, decisions)
    except (FreezeError, ItemFileError) as exc:
        raise _fail(str(exc), 1) from None
    table = Table(title="label quality: proposed cell vs review")
    for col in ("proposed cell", "candidates", "decided", "kept as proposed", "relabelled",
                "rejected", "agreement"):
        table.add_column(col, justify="right")
    for q in result.quality:
        table.add_row(q.cell, str(q.candidates), str(q.decided), str(q.accepted_as_proposed),
                      str(q.relabelled), str(q.rejected),
                      "-" if q.agreement is None else f"{q.agreement:.0%}")
    console.print(table)
    if result.undecided:
        console.print(f"[yellow]{result.undecided} candidates are still undecided[/yellow]")
    if result.orphans:
        console.print(f"[yellow]{result.orphans} decisions name no candidate in this file"
                      "[/yellow]")
    console.print(f"wrote {len(result.items)} items to {result.path}  sha256 {result.sha256}")


def review_cmd(
    candidates: Annotated[Path, typer.Argument(help="candidates JSONL from `bench select`")],
    port: Annotated[int, typer.Option(help="port (0 picks a free one)")] = 8765,
    host: Annotated[str | None, typer.Option(help="listen address; only 127.0.0.1 unless "
                                                  "given explicitly")] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="do not open a browser")] = False,
    decisions: Annotated[Path | None, typer.Option(help="decisions file (default: beside "
                                                        "the candidates)")] = None,
    verbose: Annotated[bool, typer.Option(help="log every request")] = False,
) -> None:
    """Serve the review page: accept, reject, relabel or edit each candidate by keyboard."""
    from reasonscope.items import ItemFileError
    from reasonscope.pools.review import LOCAL_HOST, serve
    from reasonscope.pools.review.store import decisions_path

    listen = host or LOCAL_HOST
    if host is not None and host not in (LOCAL_HOST, "localhost"):
        err.print(f"[yellow]listening on {host}: anyone who can reach it and has the token "
                  "can post decisions[/yellow]")

    def ready(server: ReviewServer) -> None:
        print(f"review {candidates} at {server.url()}", flush=True)
        print(f"decisions: {decisions or decisions_path(candidates)}", flush=True)

    try:
        serve(candidates, host=listen, port=port, db_path=decisions,
              open_browser=not no_browser, verbose=verbose, on_ready=ready)
    except ItemFileError as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"cannot listen on {listen}:{port}: {exc.strerror}") from None


def register_bench(bench_app: typer.Typer) -> None:
    bench_app.command("import")(import_cmd)
    bench_app.command("label")(label_cmd)
    bench_app.command("select")(select_cmd)
    bench_app.command("freeze")(freeze_cmd)


def register(app: typer.Typer) -> None:
    app.command("review")(review_cmd)
