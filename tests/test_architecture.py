"""The architecture as tests: which layer may import which, no import cycles, and small pieces.

docs/ARCHITECTURE.md describes the layers; these tests keep the description true.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "explorer")
QT = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph")
MAX_MODULE_LINES = 500  # a hard ceiling; 300 is a guide. Modules split by concept, never to satisfy a count
MAX_FUNCTION_LINES = 60


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path) -> list[str]:
    """Every module name imported anywhere in the file (inside functions too), relative ones resolved."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found.append(base)
            found += [f"{base}.{alias.name}" for alias in node.names]  # `from pkg import module`
    return found


def project_imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph = {}
    for name, path in modules.items():
        graph[name] = {target for target in imports_of(name, path) if target in modules and target != name}
    return graph


def offenders(prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for name, path in project_modules().items():
        if name == prefix or name.startswith(prefix + "."):
            found += [
                f"{name} imports {t}"
                for t in imports_of(name, path)
                if any(t == f or t.startswith(f + ".") for f in forbidden)
            ]
    return sorted(set(found))


def modules_loaded_by(imports: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in imports) + "print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    return {line.split(".")[0] for line in result.stdout.split()}


def test_the_engine_imports_no_qt_and_nothing_from_the_app():
    assert offenders("models", (*QT, "explorer")) == []


def test_the_network_imports_nothing_from_the_runtime():
    """models.nn is the network; runs (models.runtime) are built on it, never the reverse."""
    assert offenders("models.nn", ("models.runtime",)) == []


def test_the_core_imports_no_qt_and_nothing_from_the_gui():
    assert offenders("explorer.core", (*QT, "explorer.gui")) == []


def test_widgets_import_neither_torch_nor_the_engine():
    assert offenders("explorer.gui.widgets", ("torch", "models", "explorer.gui.tools", "explorer.gui.shell")) == []


def test_importing_the_core_loads_no_qt():
    core = [name for name in project_modules() if name.startswith("explorer.core")]
    assert not modules_loaded_by(core) & set(QT)


def test_importing_the_shell_and_its_tools_does_not_import_torch():
    """The window is shown before torch is imported: torch comes with the first job, on the job thread."""
    loaded = modules_loaded_by(["explorer.gui.shell", "explorer.gui.app", "explorer.gui.tools"])
    assert "torch" not in loaded and "PySide6" in loaded


def test_the_project_has_no_import_cycle():
    graph = project_imports(project_modules())
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    """The test above can fail: two modules importing each other are reported."""
    (tmp_path / "a.py").write_text("from b import x\n")
    (tmp_path / "b.py").write_text("import a\n")
    graph = project_imports({"a": tmp_path / "a.py", "b": tmp_path / "b.py"})
    assert graph == {"a": {"b"}, "b": {"a"}}


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_are_small(package):
    too_long = {
        str(path.relative_to(ROOT)): length
        for path in (ROOT / package).rglob("*.py")
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


@pytest.mark.parametrize("package", PACKAGES)
def test_functions_are_short(package):
    too_long = {}
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert too_long == {}


LIBRARY = ("models", "explorer.core", "explorer.export", "explorer.gui")  # the CLI and bench print by design


def test_library_code_reports_with_logging_not_print():
    calls = []
    for name, path in project_modules().items():
        if any(name == p or name.startswith(p + ".") for p in LIBRARY):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                    calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls == []


def test_the_architecture_note_lists_every_module_and_no_other():
    note = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    first_words = (line.split()[0] for line in note.splitlines() if line.strip())
    listed = {word for word in first_words if word.startswith(PACKAGES) and word.endswith(".py")}
    modules = {
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if path.read_text(encoding="utf-8").strip()  # empty package markers need no line
    }
    assert sorted(modules - listed) == [], "modules missing from docs/ARCHITECTURE.md"
    assert sorted(listed - modules) == [], "docs/ARCHITECTURE.md lists modules that do not exist"
