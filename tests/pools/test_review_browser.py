"""The review page in headless Chromium: accept, reject, relabel and edit by keyboard, reload,
and find every decision kept (on the page and in the store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rs_review import thread_server

from reasonscope.pools.candidates import read_candidates
from reasonscope.pools.review.store import DecisionStore, decisions_path, fold

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.slow
def test_keyboard_review_survives_reload(candidates_file: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium); browser check "
                    "skipped")
    from playwright.sync_api import sync_playwright

    cands = read_candidates(candidates_file)
    edit_at = next(i for i, c in enumerate(cands) if i >= 3 and c.item.answer_type.value
                   in ("integer", "line"))
    errors: list[str] = []
    with thread_server(candidates_file) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url())
            page.wait_for_selector("body[data-ready='1']")

            def status(i: int) -> str | None:
                return page.get_attribute(f"li[data-index='{i}']", "data-status")

            page.keyboard.press("a")
            page.wait_for_selector("li[data-index='0'][data-status='accepted']")
            page.keyboard.press("x")
            page.wait_for_selector("li[data-index='1'][data-status='rejected']")
            for key in ("r", "3", "2"):       # simulation / science
                page.keyboard.press(key)
            page.wait_for_selector("li[data-index='2'][data-status='accepted']")
            for _ in range(edit_at - 3):
                page.keyboard.press("j")
            page.wait_for_selector(f"li[data-index='{edit_at}'].current")
            page.keyboard.press("e")
            page.fill("#answer-input", "12345")
            page.keyboard.press("Enter")
            page.wait_for_selector("#answer:text-is('12345')")  # no eval: the page's CSP
            assert status(edit_at) == "undecided"

            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            kept = [status(i) for i in range(4)]
            shown_answer = page.text_content("#answer")
            current = page.get_attribute("li.current", "data-index")
            progress = page.inner_text("#progress")
            cell_line = page.text_content("#cell") if edit_at == 2 else None
        finally:
            browser.close()
    assert not errors, errors
    assert kept[:3] == ["accepted", "rejected", "accepted"]
    assert current == str(edit_at) and shown_answer == "12345"
    assert "done" in progress and cell_line is None
    states, _ = fold(cands, DecisionStore(decisions_path(candidates_file)).all())
    assert states[cands[0].id].status == "accepted"
    assert states[cands[1].id].status == "rejected"
    assert (states[cands[2].id].behavior.value, states[cands[2].id].domain.value) == (
        "simulation", "science")
    assert states[cands[edit_at].id].answer == "12345" and states[cands[edit_at].id].edited
