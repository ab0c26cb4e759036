"""Session files: the shared state and every tool's own state, as a small JSON file.

A session is checked completely before any of it is used, so a bad file changes nothing. It is parsed as
JSON (json.loads, nothing else) and never evaluated: a string that looks like code stays a string. Version 1
files (from before tools) still open: their layer, head and view become the Maps tool's state.
"""

from __future__ import annotations

import json
from pathlib import Path

from explorer.export.atomic import write_atomic
from models.options import DEVICE_CHOICES, RunOptions

from .state import SessionState

FORMAT = "attention-explorer-session"
VERSION = 2
MAX_BYTES = 16 * 1024 * 1024  # a session holds texts and a few numbers; anything bigger is not one of ours
MAX_DEPTH = 32


def save_session(path: str | Path, state: SessionState) -> None:
    data = {"format": FORMAT, "version": VERSION, **state.to_dict()}
    write_atomic(Path(path), json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


def load_session(path: str | Path) -> SessionState:
    """Read and check a session file; every problem is a ValueError that names the file and the field."""
    path = Path(path)
    data = _read_json(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f'{path.name}: is not an Attention Explorer session (no "format": "{FORMAT}")')
    version = data.get("version")
    if version not in (1, VERSION):
        raise ValueError(f"{path.name}: session version {version!r} is not supported (expected 1 or {VERSION})")
    try:
        return _state_from(data, version)
    except ValueError as error:
        raise ValueError(f"{path.name}: {error}") from None


def _read_json(path: Path):
    try:
        size = path.stat().st_size
        text = None if size > MAX_BYTES else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path.name}: is not a readable session file ({error})") from None
    if text is None:
        raise ValueError(f"{path.name}: {size} bytes is too large for a session file (at most {MAX_BYTES})")
    if _nesting(text) > MAX_DEPTH:
        raise ValueError(f"{path.name}: is nested more than {MAX_DEPTH} levels deep; not a session file")
    try:
        data = json.loads(text)  # the only parser a session meets: data, never code
    except (ValueError, RecursionError) as error:  # bad JSON, or an integer of more than 4300 digits
        raise ValueError(f"{path.name}: is not a readable session file ({error})") from None
    try:
        _check_strings(data, "the session")
    except ValueError as error:
        raise ValueError(f"{path.name}: {error}") from None
    return data


def _check_strings(value, where: str) -> None:
    """JSON's \\ud800 escapes decode to lone surrogates, which are not text: refuse them here, naming where,
    rather than let the tokenizer or the next save fail on them. Depth is already capped, so recursion is safe."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{where} holds a lone surrogate (an unpaired \\ud800-\\udfff escape); not text") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, where)
            _check_strings(item, f'"{key}"' if where == "the session" else f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, f"{where}[{index}]")


def _nesting(text: str) -> int:
    """How deep brackets nest (strings skipped), so a hostile file cannot exhaust the JSON parser's stack."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped = not escaped and char == "\\"
            in_string = escaped or char != '"'
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _state_from(data: dict, version: int) -> SessionState:
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise ValueError('"model" must be a model name or path')
    texts = data.get("texts")
    # An empty text is kept: the user may save while the editor is empty, and what was saved must reopen
    # (running it then says "text: is empty", as typing it would).
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise ValueError('"texts" must be a non-empty list of strings')
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise ValueError('"options" must be an object of run options')
    seq = _index(data, "seq")
    source_file, device = data.get("source_file"), data.get("device", "auto")
    if source_file is not None and not isinstance(source_file, str):
        raise ValueError('"source_file" must be a path or null')
    if not isinstance(device, str) or device.lower() not in DEVICE_CHOICES:
        raise ValueError(f'"device" must be one of {", ".join(DEVICE_CHOICES)}, not {device!r}')
    if seq >= len(texts):  # refused, not moved to the last text: what opens is what was saved
        raise ValueError(f'"seq" is {seq}, but the session has {len(texts)} text(s); it must be 0 to {len(texts) - 1}')
    tools = _tools(data, version)
    active = data.get("active_tool")
    if active is not None and not isinstance(active, str):
        raise ValueError('"active_tool" must be a tool name or null')
    return SessionState(
        model=model,
        texts=list(texts),
        seq=seq,
        source_file=source_file,
        options=_options(options),
        device=device.lower(),
        tools=tools,
        active_tool=active,
    )


def _tools(data: dict, version: int) -> dict[str, dict]:
    if version == 1:  # layer, head and view were the only tool state there was: the Maps tool's
        return {"maps": {key: data[key] for key in ("layer", "head", "view") if key in data}}
    tools = data.get("tools", {})
    if not isinstance(tools, dict) or not all(isinstance(k, str) and isinstance(v, dict) for k, v in tools.items()):
        raise ValueError('"tools" must map tool names to objects')
    return tools


def _options(options: dict) -> RunOptions:
    """Every value checked by type and range (RunOptions.from_dict); what depends on the model, such as KV
    heads that divide its query heads, is checked when the model is there (the Workspace fits them)."""
    try:
        return RunOptions.from_dict(options)
    except ValueError as error:
        raise ValueError(f'"options": {error}') from None


def _index(data: dict, key: str) -> int:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f'"{key}" must be an integer >= 0')
    return value
