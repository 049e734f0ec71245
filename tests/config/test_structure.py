"""The style guide's sizes: modules ≤ 600 lines, functions ≤ 80 lines.

Migrations are generated and exempt; so is PDF layout, which is one long,
linear drawing routine per document (listed by name below, nothing else).
"""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every first-party package (a folder with an __init__.py: each app, config, tests),
# so a new app is measured without being listed.
PACKAGES = sorted(
    path.name
    for path in ROOT.iterdir()
    if (path / "__init__.py").is_file() and not path.name.startswith(".")
)
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80

# PDF layout functions (module path, function name) allowed past the function limit.
PDF_LAYOUT: set[tuple[str, str]] = set()

# Known offenders being split; nothing may be added here (it stays empty).
BEING_SPLIT: set[str] = set()


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _long_functions(relative: str, path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES and (relative, node.name) not in PDF_LAYOUT:
                yield f"{relative}:{node.lineno} {node.name}() has {length} lines"


def test_no_module_is_longer_than_600_lines():
    too_long = [
        f"{relative} has {_line_count(path)} lines"
        for relative, path in _modules()
        if relative not in BEING_SPLIT and _line_count(path) > MAX_MODULE_LINES
    ]
    assert too_long == []


def test_no_function_is_longer_than_80_lines():
    too_long = [
        problem
        for relative, path in _modules()
        if relative not in BEING_SPLIT
        for problem in _long_functions(relative, path)
    ]
    assert too_long == []


def test_every_app_is_measured():
    assert {"config", "core", "notifications", "federation", "portal", "tests"} <= set(PACKAGES)


def test_the_exemption_lists_name_files_that_exist():
    # A split file disappears: its entry must go too, so the lists only shrink.
    missing = [
        name
        for name in BEING_SPLIT | {module for module, _function in PDF_LAYOUT}
        if not (ROOT / name).exists()
    ]
    assert missing == []


def test_every_app_is_in_the_import_layers():
    # An app missing from the contracts would be "external" to lint-imports: unchecked.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    importlinter = config["tool"]["importlinter"]
    layers = next(c for c in importlinter["contracts"] if c["id"] == "layers")["layers"]
    layered = {name for layer in layers for name in re.split(r"[|:]", layer) if name.strip()}
    apps = set(PACKAGES) - {"tests", "config"}
    assert apps <= set(importlinter["root_packages"])
    assert apps <= {name.strip() for name in layered}
