"""The analysis API's checks of what it is given: a run, a model, a share from 0 to 1, each a ValueError naming it.

Each public function of models.analysis checks its arguments here before it reads any of them, so a wrong kind
of value (a string for a run, 10**400 for a share) is reported by name instead of surfacing as AttributeError,
TypeError or OverflowError from deep inside.
"""

from __future__ import annotations

import math
import numbers

from models.checks import short_repr
from models.runtime.model import Model
from models.runtime.run import Run

__all__ = ["check_model", "check_run", "check_share"]


def check_run(name: str, value: object) -> Run:
    """value as a models.Run, or a ValueError naming the argument."""
    if not isinstance(value, Run):
        raise ValueError(f"{name}: {short_repr(value)} is not a run; pass the result of model.run(...)")
    return value


def check_model(name: str, value: object) -> Model:
    """value as a loaded models.Model, or a ValueError naming the argument."""
    if not isinstance(value, Model):
        raise ValueError(f"{name}: {short_repr(value)} is not a loaded Model; pass models.load(...)")
    return value


def check_share(name: str, value: object) -> float:
    """value as a float in [0, 1] (any real number type, never a bool), or a ValueError naming it.

    The range is checked on the number itself, so an int too large for a float (10**400) is refused by name.
    """
    if not isinstance(value, bool) and isinstance(value, numbers.Real):
        try:
            inside = 0 <= value <= 1  # compared exactly: no float conversion of a huge int or a Fraction yet
        except TypeError:  # an odd Real that does not compare with int
            inside = False
        if inside and math.isfinite(float(value)):
            return float(value)
    raise ValueError(f"{name}: {short_repr(value)} is not allowed; it must be a number from 0 to 1")
