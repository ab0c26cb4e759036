"""Sessions: the model, text, options, layer and head saved as a small JSON file."""

from __future__ import annotations

import json
from pathlib import Path

from explorer.core.state import VIEWS, ExplorerState
from explorer.export.data import write_atomic
from models.options import RunOptions

FORMAT = "attention-explorer-session"
VERSION = 1


def save_session(path: str | Path, state: ExplorerState) -> None:
    data = {"format": FORMAT, "version": VERSION, **state.to_dict()}
    write_atomic(Path(path), json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


def load_session(path: str | Path) -> ExplorerState:
    """Read and check a session file; every problem is a ValueError that names the field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path.name}: is not a readable session file ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f'{path.name}: is not an Attention Explorer session (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise ValueError(f"{path.name}: session version {data.get('version')!r} is not supported (expected {VERSION})")
    state = ExplorerState()
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise ValueError(f'{path.name}: "model" must be a model name or path')
    texts = data.get("texts")
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t.strip() for t in texts):
        raise ValueError(f'{path.name}: "texts" must be a list of non-empty strings')
    options = data.get("options", {})
    allowed = set(RunOptions.__dataclass_fields__)
    if not isinstance(options, dict) or not set(options) <= allowed:
        raise ValueError(f'{path.name}: "options" may only hold {", ".join(sorted(allowed))}')
    for key in ("layer", "head", "seq"):
        value = data.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f'{path.name}: "{key}" must be an integer >= 0')
        setattr(state, key, value)
    view = data.get("view", "head")
    if view not in VIEWS:
        raise ValueError(f'{path.name}: "view" must be one of {", ".join(VIEWS)}')
    state.model, state.texts, state.options, state.view = model, texts, options, view
    state.seq = min(state.seq, len(texts) - 1)
    state.source_file = data.get("source_file") if isinstance(data.get("source_file"), str) else None
    state.device = data.get("device", "auto") if isinstance(data.get("device"), str) else "auto"
    return state
