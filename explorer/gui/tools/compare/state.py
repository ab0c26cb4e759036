"""The Compare tool's own state: variants A and B, the model B runs on, the head shown and the grid's measure.

Plain data, no Qt. The variants are RunOptions' fields as a dict, checked by RunOptions.from_dict (torch-free).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.options import RunOptions

MEASURES = ("js", "kl")  # Jensen–Shannon (always finite) or KL(A‖B) (+inf where B's mask hides a key A sees)
FIELDS = ("a", "b", "model_b", "layer", "head", "measure")
# The typical comparisons, (A, B); view.preset_labels names them in this order.
PRESETS = (
    (RunOptions(), RunOptions(mask="window=8")),  # the model's own mask vs a window of 8
    (RunOptions(pos="rope", rope_theta=100000.0), RunOptions(pos="rope", rope_theta=10000.0)),
    (RunOptions(kv_heads=3), RunOptions(kv_heads=1)),  # GQA vs MQA
    (RunOptions(), RunOptions(temperature=0.5)),
)


@dataclass(frozen=True)
class CompareState:
    a: RunOptions = field(default_factory=RunOptions)
    b: RunOptions = field(default_factory=lambda: PRESETS[0][1])
    model_b: str | None = None  # None: variant B runs on the workspace's model
    layer: int = 0
    head: int = 0
    measure: str = "js"

    def to_dict(self) -> dict:
        return {
            "a": _options_dict(self.a),
            "b": _options_dict(self.b),
            "model_b": self.model_b,
            "layer": self.layer,
            "head": self.head,
            "measure": self.measure,
        }

    @classmethod
    def from_dict(cls, data: dict) -> CompareState:
        """Checked: every problem is a ValueError naming the field."""
        if not isinstance(data, dict):
            raise ValueError('"tools.compare" must be an object with ' + ", ".join(FIELDS))
        unknown = set(data) - set(FIELDS)
        if unknown:
            raise ValueError(f'"tools.compare" has unknown fields {sorted(unknown)}; allowed: {", ".join(FIELDS)}')
        variants = {}
        for name in ("a", "b"):
            try:
                variants[name] = RunOptions.from_dict(data[name]) if name in data else getattr(cls(), name)
            except ValueError as error:
                raise ValueError(f'"tools.compare.{name}": {error}') from None
        model_b = data.get("model_b")
        if model_b is not None and (not isinstance(model_b, str) or not model_b.strip()):
            raise ValueError(f'"tools.compare.model_b" must be a model name or null, not {model_b!r}')
        for name in ("layer", "head"):
            value = data.get(name, 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f'"tools.compare.{name}" must be an integer >= 0, not {value!r}')
        measure = data.get("measure", "js")
        if measure not in MEASURES:
            raise ValueError(f'"tools.compare.measure" must be one of {", ".join(MEASURES)}, not {measure!r}')
        return cls(variants["a"], variants["b"], model_b, data.get("layer", 0), data.get("head", 0), measure)


def _options_dict(options: RunOptions) -> dict:
    """The fields a variant panel sets (knockouts are the session's, not a variant's)."""
    data = options.to_dict()
    del data["ablate"]
    return data
