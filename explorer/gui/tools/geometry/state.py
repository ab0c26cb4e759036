"""The Query–Key tool's own state: the head, the neuron view's query, and the scatter's method and colours.

Plain data, no Qt. The methods come from models.analysis.qk_geometry, which imports no torch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from explorer.export.qk_files import COLOURINGS
from models.analysis.qk_geometry import METHODS

PAGES = ("neuron", "scatter")
FIELDS = ("layer", "head", "query", "method", "colour_by", "page")


def _index(data: dict, name: str, default: int, low: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f'"tools.geometry.{name}" must be an integer >= {low}, not {value!r}')
    return value


@dataclass(frozen=True)
class GeometryState:
    layer: int = 0
    head: int = 0
    query: int = -1  # the neuron view's query among the real tokens; -1: the last, whatever the length
    method: str = "pca"
    colour_by: str = "kind"
    page: str = "neuron"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> GeometryState:
        """Checked: every problem is a ValueError naming the field."""
        if not isinstance(data, dict):
            raise ValueError('"tools.geometry" must be an object with ' + ", ".join(FIELDS))
        unknown = set(data) - set(FIELDS)
        if unknown:
            raise ValueError(f'"tools.geometry" has unknown fields {sorted(unknown)}; allowed: {", ".join(FIELDS)}')
        choices = {"method": METHODS, "colour_by": COLOURINGS, "page": PAGES}
        for name, allowed in choices.items():
            if data.get(name, getattr(cls, name)) not in allowed:
                raise ValueError(f'"tools.geometry.{name}" must be one of {", ".join(allowed)}, not {data[name]!r}')
        return cls(
            layer=_index(data, "layer", cls.layer, 0),
            head=_index(data, "head", cls.head, 0),
            query=_index(data, "query", cls.query, -1),
            method=data.get("method", cls.method),
            colour_by=data.get("colour_by", cls.colour_by),
            page=data.get("page", cls.page),
        )

    def clamped(self, n_layers: int, n_heads: int) -> GeometryState:
        """The same state on a model with these many layers and heads."""
        layer, head = min(self.layer, max(0, n_layers - 1)), min(self.head, max(0, n_heads - 1))
        return GeometryState(layer, head, self.query, self.method, self.colour_by, self.page)
