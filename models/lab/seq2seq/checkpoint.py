"""Lab checkpoints: the weights as safetensors, the settings, task and losses as JSON beside them. Never pickle."""

from __future__ import annotations

import json
import os
from pathlib import Path

from safetensors.torch import load_file, save_file

FORMAT = "attention-explorer/lab-seq2seq/1"


def json_path(path) -> Path:
    """run.safetensors -> run.json."""
    return Path(path).with_suffix(".json")


def save_checkpoint(trainer, path) -> None:
    path = Path(path)
    if path.suffix != ".safetensors":
        raise ValueError(f"save: {str(path)!r} must end in .safetensors")
    state = {name: tensor.detach().contiguous() for name, tensor in trainer.model.state_dict().items()}
    meta = {
        "format": FORMAT,
        "settings": trainer.settings.to_json(),
        "task": {"name": trainer.task.name, "vocabulary": list(trainer.vocabulary)},
        "step": trainer.step,
        "seconds": trainer.seconds,
        "losses": trainer.losses,
    }
    _atomic(path, lambda temporary: save_file(state, str(temporary), metadata={"format": FORMAT}))
    _atomic(json_path(path), lambda temporary: temporary.write_text(json.dumps(meta, indent=1), encoding="utf-8"))


def _atomic(path: Path, write) -> None:
    temporary = path.with_name(path.name + ".partial")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def read_checkpoint(path) -> tuple[dict, dict]:
    """(meta, state): run.json's contents, checked to be a lab run, and the weights of run.safetensors.

    ValueError naming `load` for a missing file or a file that is not a lab checkpoint.
    """
    path = Path(path)
    meta_path = json_path(path)
    for needed in (path, meta_path):
        if not needed.is_file():
            raise ValueError(f"load: {str(needed)!r} does not exist (a lab run saves .safetensors and .json)")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"load: {str(meta_path)!r} is not readable JSON ({error})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"load: {str(meta_path)!r} is not a seq2seq lab run (format {FORMAT})")
    try:
        state = load_file(str(path))
    except Exception as error:  # safetensors raises its own error types for damaged files
        raise ValueError(f"load: {str(path)!r} is not a readable safetensors file ({error})") from None
    return meta, state
