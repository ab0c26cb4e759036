"""No code outside the engine's core (models/runtime, models/nn) reads a private attribute of another object.

Runs and modules are read through their public API (docs/API.md): Run.layer_blocks, queries, keys, values,
next_token_logits, Model.forward and the hook points. A private attribute (`x._name`) is the owner's to change
at any time, so reading one from outside ties two modules together where no test shows it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "explorer")
CORE = ("models/runtime/", "models/nn/")  # the engine's own: a run and its model may read each other's internals
# Modules whose underscore names are public API: os._exit ends a process without running cleanup handlers (the
# app's last resort when Qt's event loop is gone), documented as such in the standard library.
PUBLIC_UNDERSCORE_MODULES = {"os"}


def private_reads(path: Path) -> list[str]:
    """`x._name` in a file, where x is not self or cls and _name is not a dunder: 'file:line: source'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
            continue
        if node.attr.startswith("__") and node.attr.endswith("__"):
            continue  # __name__, __class__, __dict__ ... : the language's own
        owner = node.value
        if isinstance(owner, ast.Name) and (owner.id in ("self", "cls") or owner.id in PUBLIC_UNDERSCORE_MODULES):
            continue
        where = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_private_attribute_is_read_outside_the_engine_core():
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not path.relative_to(ROOT).as_posix().startswith(CORE):
                offenders += private_reads(path)
    assert offenders == [], "read through a public accessor instead:\n" + "\n".join(offenders)


def test_the_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "class A:\n"
        "    def f(self, run, figure):\n"
        "        self._ok = run.__class__\n"
        "        os._exit(0)\n"
        "        figure._theme = 1\n"
        "        return run._captures[0], self.tool._failed\n",
        encoding="utf-8",
    )
    found = [line.split(": ", 1)[1] for line in private_reads(sample)]
    assert sorted(found) == ["figure._theme", "run._captures", "self.tool._failed"]
