"""The state a session file saves: what every tool shares, plus each tool's own state. Plain data, no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.options import RunOptions

DEFAULT_TEXT = "The animal didn't cross the street because it was too tired."


@dataclass
class SessionState:
    model: str = ""
    texts: list[str] = field(default_factory=lambda: [DEFAULT_TEXT])
    seq: int = 0  # which sequence of the batch is shown and edited
    source_file: str | None = None  # the .txt/.jsonl the batch came from, if any
    options: RunOptions = field(default_factory=RunOptions)  # fields left at None mean the model's own
    device: str = "auto"
    # Each tool's own state as it saves it (Tool.save_state), keyed by the tool's name.
    tools: dict[str, dict] = field(default_factory=dict)
    active_tool: str | None = None

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "texts": list(self.texts),
            "seq": self.seq,
            "source_file": self.source_file,
            "options": self.options.to_dict(),
            "device": self.device,
            "tools": {name: dict(data) for name, data in self.tools.items()},
            "active_tool": self.active_tool,
        }
