"""What the atlas shows: the chosen score's (L, H) values, their colour range and label, and the table's columns.

Plain data built from the jobs' results, no Qt: the view draws it and the export writes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.gui.i18n import tr

from .compute import ImportanceResult, ScoresResult
from .state import IMPORTANCE

FRACTIONS = ("previous_token", "self", "first_token", "prefix_matching", "special_tokens")  # in 0..1


@dataclass(frozen=True)
class Shown:
    choice: str  # a score name or "importance"
    seq: int
    values: np.ndarray  # (L, H) float, NaN = n/a
    levels: tuple[float, float]  # the colour bar's range
    label: str  # the colour bar's title
    scores: dict[str, np.ndarray]  # every head score, for the table and the data export
    importance: dict | None  # {"target", "values"} once the scan is done for this run


def levels_for(choice: str, values: np.ndarray) -> tuple[float, float]:
    """Fractions on 0..1; importance symmetric around 0 (dark: the head helps); others 0..their maximum."""
    finite = values[np.isfinite(values)]
    if choice in FRACTIONS:
        return 0.0, 1.0
    top = float(np.abs(finite).max()) if finite.size else 0.0
    top = max(top, 1e-6)
    return (-top, top) if choice == IMPORTANCE else (0.0, top)


def label_for(choice: str, importance: ImportanceResult | None) -> str:
    if choice == IMPORTANCE:
        target = importance.target if importance is not None else "?"
        return tr("change in log p({target}) when knocked out, nats (negative: the head helps)").format(
            target=repr(target)
        )
    if choice == "entropy":
        return tr("entropy, nats")
    if choice == "mean_distance":
        return tr("mean distance, tokens")
    return tr("{score}, attention fraction").format(score=choice)


def build_shown(choice: str, scores: ScoresResult, importance: ImportanceResult | None) -> Shown:
    """What to draw for the choice; importance must be given when it is chosen."""
    values = importance.values if choice == IMPORTANCE else scores.scores[choice]
    extra = None if importance is None else {"target": importance.target, "values": importance.values}
    return Shown(
        choice=choice,
        seq=scores.seq,
        values=np.asarray(values, dtype=np.float64),
        levels=levels_for(choice, np.asarray(values, dtype=np.float64)),
        label=label_for(choice, importance),
        scores=scores.scores,
        importance=extra,
    )
