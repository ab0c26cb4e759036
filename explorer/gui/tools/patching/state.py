"""The Patching tool's own state: the clean and corrupted texts, the answer and wrong answer, the metric, what
is swept in which direction and how, and the head the Attribution view shows. Plain data, no Qt."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

# models.analysis.patching's names, spelled out: the tool must not import the engine (torch) when the window
# opens. tests/test_patching_tool.py checks that the lists agree.
WHATS = ("resid", "heads", "heads_by_position", "pattern", "attn_out", "mlp_out")
DIRECTIONS = ("denoise", "noise")
METRICS = ("logit_diff", "prob")
METHODS = ("exact", "approximate", "both")  # both: the exact sweep, attribution patching, and their agreement
ATTRIBUTIONS = ("ig", "grad-input", "grad-norm")  # models.analysis.token_attribution.METHODS
HEAD_WHATS = ("heads", "pattern", "heads_by_position")  # drawn on the layers × heads grid

# The IOI template (models.analysis.patching_templates "ioi"), the text the tool opens with.
IOI_CLEAN = "When Mary and John went to the store, John gave a drink to"
IOI_CORRUPT = "When Mary and John went to the store, Mary gave a drink to"


@dataclass(frozen=True)
class PatchingState:
    clean: str = IOI_CLEAN
    corrupt: str = IOI_CORRUPT
    answer: str = " Mary"
    wrong: str = " John"
    metric: str = "logit_diff"
    what: str = "heads"
    direction: str = "denoise"
    method: str = "exact"
    layer: int = 0  # the head the Attribution view shows beside the tokens
    head: int = 0
    steps: int = 64  # integrated gradients' steps

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> PatchingState:
        """Checked: every problem is a ValueError naming the field."""
        names = [f.name for f in fields(cls)]
        if not isinstance(data, dict):
            raise ValueError(f'"tools.patching" must be an object with {", ".join(names)}')
        unknown = set(data) - set(names)
        if unknown:
            raise ValueError(f'"tools.patching" has unknown fields {sorted(unknown)}; allowed: {", ".join(names)}')
        values = {name: data.get(name, getattr(cls, name)) for name in names}
        for name in ("clean", "corrupt", "answer", "wrong"):
            if not isinstance(values[name], str):
                raise ValueError(f'"tools.patching.{name}" must be a string, not {values[name]!r}')
        for name, allowed in (("metric", METRICS), ("what", WHATS), ("direction", DIRECTIONS), ("method", METHODS)):
            if values[name] not in allowed:
                raise ValueError(f'"tools.patching.{name}" must be one of {", ".join(allowed)}, not {values[name]!r}')
        for name, low, high in (("layer", 0, 10_000), ("head", 0, 10_000), ("steps", 1, 1024)):
            value = values[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f'"tools.patching.{name}" must be a whole number from {low} to {high}, not {value!r}')
        return cls(**values)
