"""The explorer's current state as a plain dataclass: what a session file saves and restores."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DEFAULT_TEXT = "The animal didn't cross the street because it was too tired."
VIEWS = ("head", "mean", "grid")


@dataclass
class ExplorerState:
    model: str = ""
    texts: list[str] = field(default_factory=lambda: [DEFAULT_TEXT])
    seq: int = 0  # which sequence of the batch is shown and edited
    source_file: str | None = None  # the .txt/.jsonl the batch came from, if any
    options: dict = field(default_factory=dict)  # RunOptions keywords; missing = the model's own
    layer: int = 0
    head: int = 0
    view: str = "head"  # one head, the mean over heads, or a grid of all heads
    device: str = "auto"

    def to_dict(self) -> dict:
        return asdict(self)
