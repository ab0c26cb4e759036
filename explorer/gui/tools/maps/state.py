"""The Maps tool's own state: which layer and head, how the layer is shown and weighted. Plain data, no Qt."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from models.options import WEIGHTINGS  # torch-free; the window shows norm-weighted rows renormalised

# One head; the mean over the layer's heads; every head of the layer side by side; the layer's heads as lines.
VIEWS = ("head", "mean", "grid", "lines")
FIELDS = ("layer", "head", "view", "weighting")


@dataclass(frozen=True)
class MapsState:
    layer: int = 0
    head: int = 0
    view: str = "head"
    weighting: str = "attention"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> MapsState:
        """Checked: every problem is a ValueError naming the field. A session saved before weightings opens as
        attention."""
        if not isinstance(data, dict):
            raise ValueError('"tools.maps" must be an object with layer, head, view and weighting')
        unknown = set(data) - set(FIELDS)
        if unknown:
            raise ValueError(f'"tools.maps" has unknown fields {sorted(unknown)}; allowed: {", ".join(FIELDS)}')
        for key in ("layer", "head"):
            value = data.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f'"tools.maps.{key}" must be an integer >= 0, not {value!r}')
        view = data.get("view", "head")
        if view not in VIEWS:
            raise ValueError(f'"tools.maps.view" must be one of {", ".join(VIEWS)}, not {view!r}')
        weighting = data.get("weighting", "attention")
        if weighting not in WEIGHTINGS:
            raise ValueError(f'"tools.maps.weighting" must be one of {", ".join(WEIGHTINGS)}, not {weighting!r}')
        return cls(data.get("layer", 0), data.get("head", 0), view, weighting)

    def clamped(self, n_layers: int, n_heads: int) -> MapsState:
        """Within a model's shape: a session saved on a bigger model opens at its last layer and head."""
        layer, head = min(max(self.layer, 0), n_layers - 1), min(max(self.head, 0), n_heads - 1)
        return replace(self, layer=layer, head=head)
