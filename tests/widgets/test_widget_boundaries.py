"""Widgets draw numpy arrays and plain dataclasses: they never import torch, the engine, or the rest of the app.

Two checks, because each misses what the other sees: the source check names the offending line even for an
import inside a function that no test calls; the fresh interpreter catches torch arriving indirectly, through
some module a widget imports.
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIDGETS = ROOT / "explorer" / "gui" / "widgets"
PACKAGE = "explorer.gui.widgets"
FORBIDDEN_ROOTS = {"torch", "models"}
# numpy-only, shared with the CLI; and the one translation call, which needs nothing but Qt
# Qt-free plain-data modules a widget may read: views, plots, display codes, and the lines and head colours that
# the window and its exported figures share (explorer.core.lines, explorer.core.head_colours: numpy and strings).
ALLOWED_FROM_EXPLORER = {
    "explorer.core.views",
    "explorer.core.plots",
    "explorer.core.display",
    "explorer.core.lines",
    "explorer.core.head_colours",
    "explorer.gui.i18n",
}


def widget_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(WIDGETS.rglob("*.py")):
        parts = path.relative_to(WIDGETS).with_suffix("").parts
        name = ".".join((PACKAGE, *parts))
        modules[name.removesuffix(".__init__")] = path
    return modules


def imported_names(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, absolute name) for every import in the file. `from a.b import c` gives a.b.c, since c may be a
    module (`from explorer.core import session`); relative imports are resolved against the module."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            anchor = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join(anchor + ([node.module] if node.module else []))
            names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return names


def is_allowed(name: str) -> bool:
    root = name.split(".")[0]
    if root in FORBIDDEN_ROOTS:
        return False
    if root != "explorer":
        return True  # numpy, pyqtgraph, PySide6, the standard library
    in_widgets = name == PACKAGE or name.startswith(PACKAGE + ".")
    return in_widgets or name in ALLOWED_FROM_EXPLORER or any(name.startswith(a + ".") for a in ALLOWED_FROM_EXPLORER)


def test_the_import_check_resolves_names_and_knows_what_it_forbids(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import torch.nn\nfrom .. import palette\nfrom . import heatmap\nfrom explorer.core import session, views\n"
        "from explorer.core.display import encode\n"
    )
    names = [name for _, name in imported_names(sample, f"{PACKAGE}.sample")]
    assert names == [
        "torch.nn",
        "explorer.gui.palette",
        "explorer.gui.widgets.heatmap",
        "explorer.core.session",
        "explorer.core.views",
        "explorer.core.display.encode",
    ]
    assert [is_allowed(name) for name in names] == [False, False, True, False, True, True]
    assert not is_allowed("models.options") and is_allowed("numpy") and is_allowed("PySide6.QtCore.Qt")


def test_no_widget_source_imports_torch_models_or_the_rest_of_the_app():
    modules = widget_modules()
    assert len(modules) >= 11, "every widget module is checked"
    offending = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for module, path in modules.items()
        for line, name in imported_names(path, module)
        if not is_allowed(name)
    ]
    allowed = "numpy/Qt/pyqtgraph, explorer.core.views/plots/display and each other"
    assert offending == [], f"widgets may import only {allowed}"


IMPORT_EVERY_WIDGET = """
import importlib, json, sys
names = json.loads(sys.argv[1])
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'models'))
print(json.dumps({"imported": [n for n in names if n in sys.modules], "leaked": leaked}))
"""


def test_importing_every_widget_loads_neither_torch_nor_models():
    names = sorted(widget_modules())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_WIDGET, json.dumps(names)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["imported"] == names
    assert report["leaked"] == []
