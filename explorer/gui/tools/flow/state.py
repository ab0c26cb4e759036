"""The Flow tool's own state: the residual share, how heads are reduced, and which query the flow goes into.

Plain data, no Qt. The head reductions and flow's limit come from the torch-free models/options.py (the tool
must not import torch when the window opens).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

from models.options import FLOW_MAX_TOKENS, HEAD_REDUCTIONS

__all__ = ["FLOW_MAX_TOKENS", "HEAD_REDUCTIONS", "FlowState"]

FIELDS = ("residual", "head_reduce", "query")


@dataclass(frozen=True)
class FlowState:
    residual: float = 0.5
    head_reduce: str = "mean"
    query: int = -1  # -1: the last token of the text, whatever its length

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FlowState:
        """Checked: every problem is a ValueError naming the field."""
        if not isinstance(data, dict):
            raise ValueError('"tools.flow" must be an object with residual, head_reduce and query')
        unknown = set(data) - set(FIELDS)
        if unknown:
            raise ValueError(f'"tools.flow" has unknown fields {sorted(unknown)}; allowed: {", ".join(FIELDS)}')
        residual = data.get("residual", cls.residual)
        if isinstance(residual, bool) or not isinstance(residual, numbers.Real) or not 0 <= residual <= 1:
            raise ValueError(f'"tools.flow.residual" must be a number from 0 to 1, not {residual!r}')
        if math.isnan(residual):
            raise ValueError('"tools.flow.residual" must be a number from 0 to 1, not NaN')
        head_reduce = data.get("head_reduce", cls.head_reduce)
        if head_reduce not in HEAD_REDUCTIONS:
            raise ValueError(
                f'"tools.flow.head_reduce" must be one of {", ".join(HEAD_REDUCTIONS)}, not {head_reduce!r}'
            )
        query = data.get("query", cls.query)
        if isinstance(query, bool) or not isinstance(query, int) or query < -1:
            raise ValueError(f'"tools.flow.query" must be -1 (the last token) or a position >= 0, not {query!r}')
        return cls(float(residual), head_reduce, query)
