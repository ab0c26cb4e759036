"""The Query–Key tool's "Pool over a corpus…": which corpus, how many points and texts, remembered in QSettings.

The pooled scatter itself is computed by compute.compute_pooled (models/analysis/qk_pooled.py) as a job; this
module holds the request and what the app remembers of it between sessions: the last corpus chosen, the points
and the texts (0: every text).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from ...i18n import tr

SETTINGS_GROUP = "geometry/pool"
DEFAULT_POINTS, DEFAULT_TEXTS = 2000, 100
MAX_POINTS, MAX_TEXTS = 100_000, 1_000_000


@dataclass(frozen=True)
class PoolRequest:
    path: str = ""  # the corpus: .txt, .jsonl or .parquet
    points: int = DEFAULT_POINTS  # points kept: half queries, half keys
    texts: int = DEFAULT_TEXTS  # texts read at most; 0 for all

    def key(self) -> tuple:
        """(path, points, texts): what compute_pooled takes, and what tells one pooled scatter from another."""
        return (self.path, self.points, self.texts)


def _number(settings: QSettings, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(settings.value(f"{SETTINGS_GROUP}/{name}", default))
    except (TypeError, ValueError):
        return default  # a hand-edited or foreign value: the default, not an error at start-up
    return value if low <= value <= high else default


def remembered(settings: QSettings) -> PoolRequest:
    path = settings.value(f"{SETTINGS_GROUP}/path", "")
    return PoolRequest(
        path=path if isinstance(path, str) else "",
        points=_number(settings, "points", DEFAULT_POINTS, 2, MAX_POINTS),
        texts=_number(settings, "texts", DEFAULT_TEXTS, 0, MAX_TEXTS),
    )


def remember(settings: QSettings, request: PoolRequest) -> None:
    settings.setValue(f"{SETTINGS_GROUP}/path", request.path)
    settings.setValue(f"{SETTINGS_GROUP}/points", request.points)
    settings.setValue(f"{SETTINGS_GROUP}/texts", request.texts)


def choose_corpus(parent: QWidget, last: str) -> str:
    """The corpus the user picks ("" if none), starting where the last one was."""
    path, _ = QFileDialog.getOpenFileName(
        parent, tr("Pool over a corpus"), last if last and Path(last).parent.is_dir() else "",
        tr("Corpora (*.jsonl *.txt *.parquet)"),
    )  # fmt: skip
    return path


def source_text(request: PoolRequest, pooled: bool) -> str:
    """What the row says of the corpus: the one shown, or the one remembered."""
    if not request.path:
        return tr("no corpus chosen yet")
    name = Path(request.path).name
    return tr("pooled over {name}").format(name=name) if pooled else tr("last corpus: {name}").format(name=name)
