"""Where the app's files live (examples, BPE corpora, translations): the package data `explorer.resources`.

A wheel installs the source tree's `resources/` folder as the package `explorer.resources` (pyproject.toml maps
one onto the other), and an editable install (`make venv`) maps it the same way, so both are read through
importlib.resources. Run straight from a checkout with nothing installed, the source tree's folder is used.
"""

from __future__ import annotations

import importlib.resources
import logging
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE = "explorer.resources"
SOURCE_TREE = Path(__file__).resolve().parents[1] / "resources"  # a checkout run as `python main.py`


def resources() -> Path:
    """The resources folder, as a real directory (Qt and the sequence readers open files by path)."""
    try:
        folder = importlib.resources.files(PACKAGE)
    except ModuleNotFoundError:
        return SOURCE_TREE
    if isinstance(folder, Path):
        return folder
    # Only an install that is not a plain folder (a zip) gets here; pip and pipx never make one.
    log.warning("the resources of %s are not files on disk (%r); using %s", PACKAGE, folder, SOURCE_TREE)
    return SOURCE_TREE


def resource(*parts: str) -> Path:
    """A file or folder under resources/, e.g. resource("corpora", "bpe_en.txt")."""
    return resources().joinpath(*parts)
