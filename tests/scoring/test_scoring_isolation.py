"""How sandboxes are started: bubblewrap's tiers, and the fallback announced where it cannot run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reasonscope.scoring import run_code_tests
from reasonscope.scoring.isolation import isolation

TESTS = "assert add(2, 3) == 5\nassert add(-1, 1) == 0\n"
GOOD = "def add(a, b):\n    return a + b\n"
WRONG = "def add(a, b):\n    return a - b\n"
needs_bwrap = pytest.mark.skipif(
    isolation().kind != "bwrap", reason=f"bubblewrap cannot run here: {isolation().why}")


def test_this_machine_uses_bubblewrap_when_it_has_it() -> None:
    from shutil import which

    if which("bwrap") is None or os.environ.get("REASONSCOPE_SANDBOX_BWRAP") == "off":
        pytest.skip("bubblewrap is not installed here")
    assert isolation().kind == "bwrap", isolation().why
    assert run_code_tests(GOOD, TESTS).isolation == "bwrap"


def test_fallback_is_announced_once_and_still_scores(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    from reasonscope.scoring import isolation as iso_mod

    monkeypatch.setattr(iso_mod.shutil, "which",
                        lambda name, *a, **k: None if name == "bwrap" else "/usr/bin/" + name)
    iso_mod.reset_isolation()
    try:
        with caplog.at_level("WARNING", logger="reasonscope.scoring.isolation"):
            first = run_code_tests(GOOD, TESTS)
            second = run_code_tests(WRONG, TESTS)
        warnings = [r for r in caplog.records if "SANDBOX WEAKENED" in r.getMessage()]
        assert len(warnings) == 1 and "bwrap is not installed" in warnings[0].getMessage()
        assert (first.isolation, first.passed, second.passed) == ("fallback", True, False)
    finally:
        iso_mod.reset_isolation()


@needs_bwrap
@pytest.mark.skipif(os.geteuid() != 0, reason="the leased-uid tier exists only as root")
def test_bwrap_as_this_user_is_contained_too() -> None:
    """The second tier (bubblewrap as root, no capabilities inside) passes the same probe, with
    the venv's base interpreter and its site-packages hidden."""
    from reasonscope.scoring import isolation as iso_mod

    interpreter = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    iso = iso_mod.Isolation("bwrap", False, interpreter, iso_mod.interpreter_binds(interpreter))
    assert iso_mod._probe(iso) is None
    argv = iso_mod.bwrap_argv(iso, ["-I", "-S", "-c", (
        "import os, sys\n"
        "pkgs = [p for p in sys.path + [os.path.dirname(os.__file__)]\n"
        "        if os.path.isdir(os.path.join(p, 'site-packages'))]\n"
        "assert all(not os.listdir(os.path.join(p, 'site-packages')) for p in pkgs), pkgs\n"
        "assert os.getuid() == 65534\n")])
    out = subprocess.run(argv, capture_output=True, text=True, env={}, timeout=60)
    assert out.returncode == 0, out.stderr


def test_required_bwrap_that_cannot_run_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from reasonscope.scoring import isolation as iso_mod

    monkeypatch.setenv("REASONSCOPE_SANDBOX_BWRAP", "require")
    monkeypatch.setattr(iso_mod.shutil, "which", lambda name, *a, **k: None)
    iso_mod.reset_isolation()
    try:
        with pytest.raises(iso_mod.SandboxUnavailable, match="bubblewrap is required"):
            run_code_tests(GOOD, TESTS)
    finally:
        iso_mod.reset_isolation()
