"""`pip install .` and `pipx install .`: the wheel holds every package, the resources and the compiled translations,
no top-level `main` module, and, installed on its own (away from the checkout), the command runs and finds them.

The wheel is built once for the module, from a copy of the source tree, through the sdist as `python -m build`
does (so the sdist must carry what the wheel needs), without build isolation (the test venv has setuptools and
PySide6's lrelease; isolation would only download them again).
"""

import email
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from explorer.setup_check import MODEL_PACKAGES
from models.io.catalogue import SHIPPED

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("explorer", "models", "resources", "pyproject.toml", "README.md")
CATALOGUE = "explorer/resources/i18n/attention_explorer_zh_CN.qm"


def source_packages() -> set[str]:
    """Every folder of modules under explorer/ and models/, as a dotted package name."""
    return {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("explorer", "models")
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    pytest.importorskip("build", reason="python -m build comes with the test extras (make venv)")
    work = tmp_path_factory.mktemp("install")
    tree = work / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm", "*.egg-info")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignore)
        else:
            shutil.copy2(source, tree / name)
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"), str(tree)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (wheel,) = (work / "dist").glob("*.whl")
    (sdist,) = (work / "dist").glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist, "work": work}


def wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def wheel_text(wheel: Path, suffix: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(suffix)]
        return archive.read(name).decode("utf-8")


def test_the_wheel_holds_every_package_and_no_top_level_main(built):
    names = wheel_names(built["wheel"])
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"explorer", "models"}, "no main.py or other top-level module is installed"
    packages = {name.rsplit("/", 1)[0].replace("/", ".") for name in names if name.endswith(".py")}
    assert source_packages() - packages == set(), "a package missing from pyproject.toml's list"
    assert "explorer.resources" in packages


def test_the_wheel_holds_the_resources_and_the_compiled_translations(built):
    names = set(wheel_names(built["wheel"]))
    wanted = {
        "explorer/resources/examples.txt",
        "explorer/resources/examples.zh-CN.txt",
        "explorer/resources/examples.jsonl",
        "explorer/resources/corpora/bpe_en.txt",
        "explorer/resources/corpora/bpe_zh.txt",
        "explorer/resources/icons/attention-explorer.svg",
        "explorer/resources/attention-explorer.desktop",
        CATALOGUE,
    }
    assert wanted - names == set()
    assert not [n for n in names if n.endswith(".ts")], "the wheel carries the compiled .qm, not the source"
    with zipfile.ZipFile(built["wheel"]) as archive:
        for name in wanted:
            assert archive.getinfo(name).file_size > 0, name


def test_the_sdist_carries_the_translation_sources_the_wheel_is_built_from(built):
    with tarfile.open(built["sdist"]) as archive:
        names = archive.getnames()
    assert any(n.endswith("resources/i18n/attention_explorer_zh_CN.ts") for n in names)
    assert any(n.endswith("explorer/build_hook.py") for n in names)


def test_the_compiled_catalogue_in_the_wheel_is_chinese(built, qapp, tmp_path):
    qm = tmp_path / "attention_explorer_zh_CN.qm"
    with zipfile.ZipFile(built["wheel"]) as archive:
        qm.write_bytes(archive.read(CATALOGUE))
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("", "&File") == "文件(&F)"
    assert translator.translate("", "Sequence {number} of {count}") == "第 {number} 条序列，共 {count} 条"


def test_the_command_enters_the_package_and_the_models_are_an_extra(built):
    assert "attention-explorer = explorer.cli.main:main" in wheel_text(built["wheel"], ".dist-info/entry_points.txt")
    metadata = email.message_from_string(wheel_text(built["wheel"], ".dist-info/METADATA"))
    assert "models" in metadata.get_all("Provides-Extra")
    extra = [r.split(">=")[0] for r in metadata.get_all("Requires-Dist") if 'extra == "models"' in r]
    assert sorted(extra) == sorted(MODEL_PACKAGES) == sorted(s.package for s in SHIPPED)
    floors = [r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]
    assert any(r.startswith("torch>=") for r in floors) and not any("==" in r for r in floors), "floors, not pins"


@pytest.fixture(scope="module")
def installed(built) -> dict[str, object]:
    """The wheel installed on its own into a folder (no dependencies: those are the test venv's), and an
    environment that finds it first, run from a folder far from the checkout."""
    target = built["work"] / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(target),
         str(built["wheel"])],
        check=True,
        capture_output=True,
        timeout=300,
    )
    cache = built["work"] / "cache"
    env = {**os.environ, "PYTHONPATH": str(target), "ATTENTION_EXPLORER_CACHE": str(cache)}
    return {"target": target, "env": env, "cache": cache, "cwd": built["work"]}


def run_installed(installed, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=installed["cwd"], env=installed["env"], capture_output=True, text=True, timeout=300
    )


def test_installed_it_reads_its_resources_as_package_data(installed):
    code = (
        "import explorer, explorer.resource_files as r, explorer.gui.examples as e, explorer.gui.i18n as i;"
        "print(explorer.__file__); print(r.resources());"
        "print(sum(len(v) for v in e.example_texts().values()));"
        "from explorer.gui.catalogues import find_catalogue; print(find_catalogue(i.translations_folder(),"
        " 'attention_explorer_zh_CN'))"
    )
    result = run_installed(installed, sys.executable, "-c", code)
    assert result.returncode == 0, result.stderr
    module, folder, examples, catalogue = result.stdout.split("\n")[:4]
    target = installed["target"]
    assert Path(module).is_relative_to(target), "the installed copy, not the checkout"
    assert Path(folder) == target / "explorer" / "resources"
    shipped = sum(1 for name in ("examples.txt", "examples.zh-CN.txt")
                  for line in (ROOT / "resources" / name).read_text(encoding="utf-8").splitlines() if line.strip())
    assert int(examples) == shipped
    assert Path(catalogue) == target / CATALOGUE, "the shipped catalogue, not one compiled on first use"
    assert not installed["cache"].exists(), "nothing was compiled into the cache"


def test_the_installed_command_runs(installed):
    script = installed["target"] / "bin" / "attention-explorer"
    result = run_installed(installed, sys.executable, str(script), "--help")
    assert result.returncode == 0, result.stderr
    assert "models" in result.stdout and "export" in result.stdout and "lab" in result.stdout
    result = run_installed(installed, sys.executable, "-m", "explorer", "lab", "--help")
    assert result.returncode == 0, result.stderr
    assert not (installed["target"] / "main.py").exists()


def test_in_the_checkout_the_resources_are_the_package_explorer_resources():
    """make venv's editable install maps resources/ to explorer.resources, as the wheel does."""
    import importlib.resources

    from explorer.gui.tools.foundations.bpe_page import corpus_files
    from explorer.resource_files import resource, resources

    assert resources() == ROOT / "resources" == Path(str(importlib.resources.files("explorer.resources")))
    assert resource("corpora", "bpe_en.txt").read_text(encoding="utf-8") == (
        ROOT / "resources" / "corpora" / "bpe_en.txt"
    ).read_text(encoding="utf-8")
    assert [p.name for p in corpus_files()] == ["bpe_en.txt", "bpe_zh.txt"]


def test_run_from_a_bare_checkout_the_source_tree_folder_is_used(monkeypatch):
    """Nothing installed (PYTHONPATH=. python main.py): explorer.resources cannot be imported."""
    import importlib.resources

    from explorer import resource_files

    def not_installed(package):
        raise ModuleNotFoundError(f"No module named {package!r}")

    monkeypatch.setattr(importlib.resources, "files", not_installed)
    assert resource_files.resources() == resource_files.SOURCE_TREE == ROOT / "resources"


def test_a_language_restart_starts_the_program_the_way_it_was_started():
    from explorer.gui.language import restart_command

    python = "/venv/bin/python3"
    assert restart_command(["python3", "-m", "explorer", "--model", "m"], python) == [
        python, "-m", "explorer", "--model", "m"
    ], "not explorer/__main__.py as a script: a checkout cannot import explorer from there"
    assert restart_command([python, "/venv/bin/attention-explorer"], python) == [python, "/venv/bin/attention-explorer"]
    assert restart_command(["python", "-X", "utf8", "main.py"], python) == [python, "-X", "utf8", "main.py"]
    assert restart_command()[1:] == sys.orig_argv[1:]


def test_the_constraints_pin_every_dependency_within_the_projects_own_ranges():
    """make installs with .ci/constraints.txt: each pin must satisfy pyproject.toml, or make could not install."""
    from packaging.requirements import Requirement  # pytest's own dependency
    from packaging.utils import canonicalize_name

    tomllib = pytest.importorskip("tomllib", reason="Python 3.11+ reads TOML itself")

    pins = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pin = Requirement(line)
            (spec,) = pin.specifier
            assert spec.operator == "==" and pin.marker is not None, line
            pins[canonicalize_name(pin.name)] = spec.version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    for line in project["dependencies"] + extras["test"] + extras["models"] + extras["ray"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not pinned: refresh .ci/constraints.txt after a green run"
        assert requirement.specifier.contains(pins[name], prereleases=True), (line, pins[name])
    assert {"torch", "pyside6-essentials", "pyqtgraph", "transformers"} <= set(pins)
