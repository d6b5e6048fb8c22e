"""`reasonscope report`: one self-contained HTML file, checked as text and in headless Chromium."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
import typer
from rs_simruns import shifted, simulate_run
from typer.testing import CliRunner

from reasonscope.cli.compare import register
from reasonscope.taxonomy import Behavior, Domain

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE = "<script>alert('x')</script> & <b>bold</b> \\boxed{{{answer}}}"
PLOTS = ("radar", "heatmap", "trajectories", "rates")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report over a base checkpoint, two later checkpoints and a second method."""
    root = tmp_path_factory.mktemp("runs")
    runs = [simulate_run(root, f"ck{step}", model=f"train/sft/checkpoint-{step}", step=step,
                         seed=10 + i, n_per_cell=8, completion=HOSTILE,
                         cell_p=shifted(0.4, {(None, Domain.MATH): 0.003 * step,
                                              (Behavior.FACT_RETRIEVAL, None): -0.002 * step}))
            for i, step in enumerate((0, 50, 100))]
    runs.append(simulate_run(root, "grpo", model="train/grpo/checkpoint-100", step=100, seed=20,
                             n_per_cell=8, skip_cells=[(Behavior.DIAGNOSTIC, Domain.GENERAL)]))
    app = typer.Typer()
    register(app)
    out = root / "report.html"
    result = CliRunner().invoke(app, ["report", *map(str, runs[1:]), "--base", str(runs[0]),
                                      "-o", str(out), "--k", "1,2"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    return out


def test_report_is_self_contained_and_escaped(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # No external resource: nothing fetched over the network, no script at all.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "<script" not in text.lower().replace("&lt;script", "")
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    for name in PLOTS:
        assert f'data-plot="{name}"' in text
    assert len(re.findall(r'src="data:image/png;base64,', text)) == len(PLOTS)
    for needle in ("Behavior and domain scores", "Transfer index", "pass@2", "<details",
                   "diagnostic/general", "sft@100", "grpo@100", "Read before trusting"):
        assert needle in text
    assert report.stat().st_mode & 0o444 == 0o444


def test_report_base_not_a_run_exits_2(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    run = simulate_run(tmp_path, "run", model="m/run", n_per_cell=2)
    result = CliRunner().invoke(app, ["report", str(run), "--base", str(tmp_path / "missing"),
                                      "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "base run" in result.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.slow
def test_report_renders_in_headless_chromium(report: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium); browser check "
                    "skipped")
    from playwright.sync_api import sync_playwright

    shot = Path(tempfile.mkdtemp(prefix="reasonscope-report-")) / "report.png"
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            sizes = page.evaluate(
                """() => Array.from(document.querySelectorAll('figure.plot')).map(f => {
                    const img = f.querySelector('img'); const box = f.getBoundingClientRect();
                    return [f.dataset.plot, img.complete, img.naturalWidth, img.naturalHeight,
                            box.width, box.height]; })""")
            # The examples are one click away: opening a cell shows escaped completions.
            cell = page.locator("details.cell").first
            cell.locator("> summary").click()
            cell.locator("details > summary").first.click()
            shown = cell.inner_text()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    print(f"report screenshot: {shot}")
    assert not errors, errors
    assert [s[0] for s in sizes] == list(PLOTS)
    for name, complete, nat_w, nat_h, box_w, box_h in sizes:
        assert complete and nat_w > 200 and nat_h > 100, name
        assert box_w > 200 and box_h > 100, name
    assert "<script>alert('x')</script>" in shown
    assert shot.stat().st_size > 10_000
    shutil.copy(report, shot.with_suffix(".html"))
