"""The Seq2seq lab tool's own state: the lab settings, the map shown, the typed example and the KV-cost context.

Plain data, no Qt. The settings are checked by the lab's own LabSettings (models/lab/seq2seq/settings.py, which
imports no torch), imported when a state is checked, not when the window opens.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = ("encoder", "decoder", "cross", "self")  # models.lab.seq2seq.ATTENTION_KINDS; a test checks they agree
CACHE_BYTES = (4, 2, 1)  # float32, float16/bfloat16, int8 values in the KV cache
MAX_CONTEXT = 10_000_000


def default_settings(system: str = "transformer", task: str = "reverse") -> dict:
    """The lab's tuned defaults for a system and task, as LabSettings.to_json() writes them."""
    from models.lab.seq2seq.settings import defaults

    return defaults(system, task).to_json()


def checked_settings(data) -> dict:
    """data as LabSettings.from_json reads it, or a ValueError naming the field (e.g. 'heads: 3 does not divide')."""
    from models.lab.seq2seq.settings import LabSettings

    return LabSettings.from_json(data).to_json()


RESUMABLE = {"steps"}  # the one setting a model takes on from the form: Resume trains up to the form's steps


def differences(form: dict, model: dict) -> list[str]:
    """The settings (by name, in the model's order) where the form no longer describes the model."""
    return [name for name, value in model.items() if name not in RESUMABLE and form.get(name) != value]


@dataclass(frozen=True)
class Seq2seqState:
    settings: dict = field(default_factory=dict)  # {} until the tool fills in the lab's defaults
    kind: str = "cross"
    layer: int = 0
    head: int = 0  # -1: the mean of the heads
    example: str = ""
    context: int = 4096
    cache_bytes: int = 2

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data) -> Seq2seqState:
        """Checked: every problem is a ValueError naming the field."""
        where = '"tools.seq2seq'
        if not isinstance(data, dict):
            raise ValueError(f'{where}" must be an object')
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f'{where}" has unknown fields {sorted(unknown)}')
        state = cls(**data)
        try:
            settings = checked_settings(state.settings) if state.settings else {}
        except ValueError as error:
            raise ValueError(f'{where}.settings": {error}') from None
        if state.kind not in KINDS:
            raise ValueError(f'{where}.kind" must be one of {", ".join(KINDS)}, not {state.kind!r}')
        for name, low, high in (("layer", 0, 63), ("head", -1, 63), ("context", 1, MAX_CONTEXT)):
            value = getattr(state, name)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ValueError(f'{where}.{name}" must be an integer from {low} to {high}, not {value!r}')
        if state.cache_bytes not in CACHE_BYTES:
            raise ValueError(f'{where}.cache_bytes" must be one of {CACHE_BYTES}, not {state.cache_bytes!r}')
        if not isinstance(state.example, str) or len(state.example) > 1000:
            raise ValueError(f'{where}.example" must be a string of at most 1000 characters')
        return cls(**{**data, "settings": settings})
