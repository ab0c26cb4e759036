"""The compiled translations (.qm) Qt loads: shipped in the wheel, built by make, or compiled on first use.

Qt reads a language from a compiled catalogue (.qm) that `lrelease` makes from the committed Qt Linguist source
(.ts). A wheel carries the .qm files (explorer/build_hook.py compiles them when the wheel is built) and no .ts;
`make run` builds them beside the .ts in resources/i18n. A checkout started with plain `python main.py` has
only the .ts (or a .qm older than it): the catalogue is then compiled once into the user's cache, named by the
source's hash, so the Chinese interface works without make.

No Qt import and nothing from the app: the build hook loads this file on its own, before the project is
importable.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

CACHE_ENV = "ATTENTION_EXPLORER_CACHE"  # the same root as the engine's weight cache (models/io/weight_cache.py)
APP_NAME = "attention-explorer"


def lrelease() -> str | None:
    """Qt's catalogue compiler: the binary inside the PySide6 package (found without importing Qt), else PATH's."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("lrelease", "lrelease.exe"):
            if (Path(folder) / name).is_file():
                return str(Path(folder) / name)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_catalogue(source: Path, target: Path) -> None:
    """Compile one .ts into a .qm, written whole or not at all; OSError says what went wrong."""
    compiler = lrelease()
    if compiler is None:
        raise OSError(f"cannot compile {source.name}: Qt's lrelease was not found (it comes with PySide6)")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=target.stem, suffix=".qm", dir=target.parent)
    os.close(handle)
    try:
        result = subprocess.run(
            [compiler, "-silent", str(source), "-qm", partial], capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0 or os.path.getsize(partial) == 0:
            raise OSError(f"lrelease could not compile {source}: {(result.stderr or result.stdout).strip()}")
        os.replace(partial, target)
    except subprocess.SubprocessError as error:
        raise OSError(f"lrelease could not compile {source}: {error}") from error
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def cache_folder() -> Path:
    import platformdirs  # only at run time: the build hook's environment has no platformdirs

    return Path(os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir(APP_NAME)) / "i18n"


def find_catalogue(folder: Path, name: str) -> Path | None:
    """The .qm for `name` (e.g. attention_explorer_zh_CN): the built one beside its source when it is up to date,
    else one compiled from the source into the cache. None when there is neither a catalogue nor a source, or the
    source cannot be compiled (the reason is logged)."""
    built, source = folder / f"{name}.qm", folder / f"{name}.ts"
    if built.is_file() and (not source.is_file() or built.stat().st_mtime >= source.stat().st_mtime):
        return built
    if not source.is_file():
        return None
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    cached = cache_folder() / f"{name}-{digest}.qm"
    if cached.is_file():
        return cached
    try:
        compile_catalogue(source, cached)
    except OSError as error:
        log.warning("%s", error)
        return None
    log.info("compiled %s into %s", source.name, cached)
    return cached
