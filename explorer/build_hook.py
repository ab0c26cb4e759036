"""Building the wheel: the Qt Linguist sources (resources/i18n/*.ts) become the compiled .qm files Qt loads.

pyproject.toml names this class as setuptools' build_py. The .ts sources travel in the sdist as package data;
in the wheel each is replaced by its .qm, compiled with the lrelease that PySide6 (a build requirement) brings.
An editable install (`make venv`) reads the checkout instead, where make or the first start compiles them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools.command.build_py import build_py

RESOURCES = "explorer.resources"


def _catalogues():
    """explorer/gui/catalogues.py, loaded on its own: setuptools loads this hook by path, before the project (and
    Qt, which explorer.gui needs) can be imported."""
    path = Path(__file__).resolve().parent / "gui" / "catalogues.py"
    spec = importlib.util.spec_from_file_location("_attention_explorer_catalogues", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            self.compile_translations()

    def compile_translations(self) -> None:
        sources = sorted((Path(self.get_package_dir(RESOURCES)) / "i18n").glob("*.ts"))
        if not sources:
            raise OSError(f"no translation sources in {self.get_package_dir(RESOURCES)}/i18n")
        target = Path(self.build_lib, *RESOURCES.split("."), "i18n")
        compile_catalogue = _catalogues().compile_catalogue
        for source in sources:
            compile_catalogue(source, target / source.with_suffix(".qm").name)
            (target / source.name).unlink(missing_ok=True)  # the wheel carries what Qt reads, not the source

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = [path for path in super().get_outputs(include_bytecode) if not path.endswith(".ts")]
        if self.editable_mode:
            return outputs
        target = Path(self.build_lib, *RESOURCES.split("."), "i18n")
        sources = (Path(self.get_package_dir(RESOURCES)) / "i18n").glob("*.ts")
        return outputs + [str(target / source.with_suffix(".qm").name) for source in sorted(sources)]
