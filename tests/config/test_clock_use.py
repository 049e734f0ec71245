"""Every test that reads the time takes the ``clock`` fixture (issue 10).

A test or fixture that calls ``timezone.now()``, ``timezone.localdate()``,
``timezone.localtime()``, ``date.today()``, ``datetime.now()`` or
``core.timezone.this_year()`` (directly or through a helper function of its
module) must have ``clock`` among its parameters, or a fixture that takes it
(directly or further down), or an autouse fixture in scope that does: then it
runs on a frozen, chosen day and cannot fail from 1 to 10 January.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

TIME_ATTRIBUTES = {"localdate", "localtime", "now", "today", "this_year"}
TIME_OWNERS = {"timezone", "tz", "date", "datetime", "core.timezone"}
TIME_NAMES = {"localdate", "localtime", "this_year"}

# "path::function" (or "path" for a whole module): why it may read the real clock.
ALLOWED = {
    "conftest.py::clock": "the clock itself: it starts from the session's moment",
    "notifications/test_integration.py": (
        "drives a Celery worker, Redis and PostgreSQL in separate processes, which a "
        "time-machine clock in this process cannot reach; it reads now() to bound its waits"
    ),
}


def _dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _reads_time_directly(function) -> bool:
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in TIME_ATTRIBUTES:
            owner = _dotted(func.value)
            if owner in TIME_OWNERS or owner.endswith((".timezone", ".date", ".datetime")):
                return True
        if isinstance(func, ast.Name) and func.id in TIME_NAMES:
            return True
    return False


def _called_names(function) -> set[str]:
    return {
        node.func.id
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def _fixture_decorator(function):
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _dotted(target) in {"pytest.fixture", "fixture"}:
            return decorator
    return None


def _is_autouse(decorator) -> bool:
    return isinstance(decorator, ast.Call) and any(
        keyword.arg == "autouse" and getattr(keyword.value, "value", False)
        for keyword in decorator.keywords
    )


def _parameters(function) -> set[str]:
    arguments = function.args
    return {
        argument.arg
        for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    }


class _Module:
    def __init__(self, path: Path):
        self.path = path
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.functions = [
            node
            for node in ast.walk(self.tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        self.fixtures = {
            function.name: function for function in self.functions if _fixture_decorator(function)
        }
        self.autouse = [
            name
            for name, function in self.fixtures.items()
            if _is_autouse(_fixture_decorator(function))
        ]
        helpers = {
            function.name: function
            for function in self.tree.body
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
            and function.name not in self.fixtures
            and not function.name.startswith("test_")
        }
        self.time_helpers = {
            name for name, function in helpers.items() if _reads_time_directly(function)
        }
        changed = True
        while changed:  # helpers that call time-reading helpers read the time too
            changed = False
            for name, function in helpers.items():
                if name not in self.time_helpers and _called_names(function) & self.time_helpers:
                    self.time_helpers.add(name)
                    changed = True

    def reads_time(self, function) -> bool:
        return _reads_time_directly(function) or bool(_called_names(function) & self.time_helpers)


def _modules() -> dict[Path, _Module]:
    return {
        path: _Module(path) for path in sorted(TESTS.rglob("*.py")) if "vendor" not in path.parts
    }


def _scope(path: Path, modules) -> list[_Module]:
    """The module itself, then the conftest files from its folder up to tests/."""
    chain = [modules[path]]
    folder = path.parent
    while True:
        conftest = folder / "conftest.py"
        if conftest in modules and conftest != path:
            chain.append(modules[conftest])
        if folder == TESTS:
            return chain
        folder = folder.parent


def _uses_clock(name: str, scope, seen=frozenset()) -> bool:
    if name == "clock":
        return True
    if name in seen:
        return False
    for module in scope:
        if name in module.fixtures:
            parameters = _parameters(module.fixtures[name])
            return any(_uses_clock(parameter, scope, seen | {name}) for parameter in parameters)
    return False


def _offenders():
    modules = _modules()
    offenders = []
    for path, module in modules.items():
        if "browser" in path.relative_to(TESTS).parts:
            continue  # chromium keeps its own clock; the live server runs here
        scope = _scope(path, modules)
        autouse_clock = any(_uses_clock(name, scope) for each in scope for name in each.autouse)
        if autouse_clock:
            continue
        for function in module.functions:
            is_test = function.name.startswith("test_")
            if not (is_test or function.name in module.fixtures) or not module.reads_time(function):
                continue
            key = f"{path.relative_to(TESTS)}::{function.name}"
            if key in ALLOWED or str(path.relative_to(TESTS)) in ALLOWED:
                continue
            if not any(_uses_clock(parameter, scope) for parameter in _parameters(function)):
                offenders.append(f"{key} (line {function.lineno})")
    return offenders


def test_every_test_that_reads_the_time_takes_the_clock():
    offenders = _offenders()
    assert not offenders, (
        "these tests or fixtures read the real date: take the `clock` fixture and set a day "
        "(clock.set(...)), or add them to ALLOWED with the reason:\n" + "\n".join(offenders)
    )


def test_the_allowlist_names_functions_that_exist():
    modules = _modules()
    for key in ALLOWED:
        relative, _, name = key.partition("::")
        module = modules[TESTS / relative]
        assert not name or any(function.name == name for function in module.functions), key


def test_the_check_sees_a_test_that_reads_the_real_date(tmp_path):
    source = (
        "import pytest\n"
        "from django.utils import timezone\n"
        "def _year():\n    return timezone.localdate().year\n"
        "@pytest.fixture\ndef pinned(clock):\n    clock.set(None)\n"
        "def test_unpinned():\n    assert _year()\n"
        "def test_pinned(pinned):\n    assert _year()\n"
    )
    path = tmp_path / "test_sample.py"
    path.write_text(source)
    module = _Module(path)
    scope = [module]
    readers = [function for function in module.functions if module.reads_time(function)]
    unpinned = [
        function.name
        for function in readers
        if function.name.startswith("test_")
        and not any(_uses_clock(parameter, scope) for parameter in _parameters(function))
    ]
    assert unpinned == ["test_unpinned"]
