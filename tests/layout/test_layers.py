"""The package layout is the data flow (DESIGN section 1): each layer imports only the layers
above it, nothing outside `cli/` imports `cli/`, and there are no cycles between layers."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "src" / "reasonscope"

# top to bottom; a module may import its own layer and any layer above it
LAYERS = [
    {"taxonomy", "items", "genconfig", "fingerprint", "fsutil"},
    {"bench"}, {"pools"}, {"backends"}, {"scoring"}, {"engine"}, {"results"}, {"train"},
    {"analysis"}, {"report"}, {"organism"}, {"api", "__init__"}, {"cli"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _top(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "reasonscope" and len(parts) > 1 else None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if node.module == "reasonscope":
                found += [(node.lineno, f"reasonscope.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def _layer_of(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def test_every_source_module_belongs_to_a_layer() -> None:
    unknown = sorted({_layer_of(p) for p in PKG.rglob("*.py")} - set(RANK))
    assert not unknown, f"modules outside the layer map: {unknown}"


def test_nothing_outside_cli_imports_cli() -> None:
    bad = [f"{p.relative_to(PKG)}:{line} imports {mod}"
           for p in PKG.rglob("*.py") if _layer_of(p) != "cli"
           for line, mod in _imports(p) if _top(mod) == "cli"]
    assert not bad, "\n".join(bad)


def test_imports_flow_down_the_layers() -> None:
    bad = []
    for path in PKG.rglob("*.py"):
        here = RANK[_layer_of(path)]
        for line, mod in _imports(path):
            top = _top(mod)
            if top is not None and top in RANK and RANK[top] > here:
                bad.append(f"{path.relative_to(PKG)}:{line} imports {mod} (a lower layer)")
    assert not bad, "\n".join(bad)


def test_no_module_is_oversized_without_a_stated_reason() -> None:
    long = [f"{p.relative_to(PKG)}: {n} lines" for p in PKG.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450
            and "Why this module is long" not in p.read_text(encoding="utf-8")]
    assert not long, "\n".join(long)


def test_every_package_directory_is_a_regular_package() -> None:
    """setuptools' find_packages skips directories without __init__.py: a wheel would lack
    them even though an editable install works."""
    missing = [str(d.relative_to(PKG)) for d in PKG.rglob("*") if d.is_dir()
               and d.name != "__pycache__" and "data" not in d.relative_to(PKG).parts
               and any(d.glob("*.py")) and not (d / "__init__.py").exists()]
    assert not missing, f"package directories without __init__.py: {missing}"
