"""Lab checkpoints: the weights as safetensors, the settings, task and losses as JSON beside them. Never pickle.

A checkpoint is a pair, written as one: both files are written to temporaries first, then put in place together;
if putting the second fails, the first is put back as it was, so an old pair is never left mismatched. Both
files carry the same random `pair` id, and a pair whose ids differ (or whose weights are not finite, or whose
JSON fields are of the wrong kind) is refused by name when it is read.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import shutil
import uuid
from pathlib import Path

from safetensors import safe_open
from safetensors.torch import load_file, save_file

FORMAT = "attention-explorer/lab-seq2seq/1"


def json_path(path) -> Path:
    """run.safetensors -> run.json."""
    return Path(path).with_suffix(".json")


def check_save_path(path, name: str = "save") -> Path:
    """path as the weights' destination, checked before any work: ValueError naming `name` if it cannot be one.

    It must end in .safetensors; neither it nor its JSON may be a folder; its folder must exist or be creatable
    (the nearest existing parent is a writable folder). Called before training, so a run is never lost at the end.
    """
    path = Path(path)
    if path.suffix != ".safetensors":
        raise ValueError(f"{name}: {str(path)!r} must end in .safetensors (the JSON is written beside it)")
    for target in (path, json_path(path)):
        if target.is_dir():
            raise ValueError(f"{name}: {str(target)!r} is a folder; give a file name ending in .safetensors")
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ValueError(f"{name}: {str(parent)!r} is not a folder, so {str(path)!r} cannot be written")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"{name}: the folder {str(parent)!r} is not writable")
    return path


def save_checkpoint(trainer, path) -> None:
    """Weights to path and run.json beside it, both or neither; the folder is created if it does not exist."""
    path = check_save_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pair = uuid.uuid4().hex
    state = {name: tensor.detach().contiguous() for name, tensor in trainer.model.state_dict().items()}
    meta = {
        "format": FORMAT,
        "pair": pair,
        "settings": trainer.settings.to_json(),
        "task": {"name": trainer.task.name, "vocabulary": list(trainer.vocabulary)},
        "step": trainer.step,
        "seconds": trainer.seconds,
        "losses": trainer.losses,
    }
    text = json.dumps(meta, indent=1, allow_nan=False)
    write_pair(
        (path, lambda temporary: save_file(state, str(temporary), metadata={"format": FORMAT, "pair": pair})),
        (json_path(path), lambda temporary: temporary.write_text(text, encoding="utf-8")),
    )


def write_pair(*writes) -> None:
    """Each (path, write(temporary)) in place, all or none: an earlier file is restored if a later one fails."""
    temporaries = [path.with_name(path.name + ".partial") for path, _ in writes]
    backups = [path.with_name(path.name + ".previous") for path, _ in writes]
    placed = []  # the paths already replaced by their new contents
    try:
        for (_, write), temporary in zip(writes, temporaries):
            write(temporary)
            os.chmod(temporary, new_file_mode())  # safetensors creates its file 0600; saved files follow the umask
        for (path, _), backup in zip(writes, backups):
            if path.exists():
                _keep_copy(path, backup)
        try:
            for (path, _), temporary in zip(writes, temporaries):
                os.replace(temporary, path)
                placed.append(path)
        except BaseException:
            for path, backup in zip([path for path, _ in writes], backups):
                if backup.exists():
                    os.replace(backup, path)  # the old file back
                elif path in placed:
                    path.unlink()  # there was none before
            raise
    finally:
        for leftover in (*temporaries, *backups):
            leftover.unlink(missing_ok=True)


def new_file_mode() -> int:
    """The mode open() gives a new file: 0o666 less the umask (read without changing it where Linux tells)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it, and put it back at once
    os.umask(mask)
    return 0o666 & ~mask


def _keep_copy(path: Path, backup: Path) -> None:
    """backup as the same contents as path: a hard link (instant) where the file system allows, else a copy."""
    backup.unlink(missing_ok=True)
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)


def read_checkpoint(path) -> tuple[dict, dict]:
    """(meta, state): run.json's contents, checked to be a lab run, and the weights of run.safetensors.

    ValueError naming `load` for a missing file, a file that is not a lab checkpoint, a field of the wrong kind,
    weights that are not finite, or two files that were not saved together.
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
    check_meta(meta, meta_path)
    try:
        state = load_file(str(path))
        with safe_open(str(path), framework="pt") as handle:
            header = handle.metadata() or {}
    except Exception as error:  # safetensors raises its own error types for damaged files
        raise ValueError(f"load: {str(path)!r} is not a readable safetensors file ({error})") from None
    if header.get("pair") != meta.get("pair"):
        raise ValueError(
            f"load: {str(path)!r} and {str(meta_path)!r} were not saved together (their pair ids differ); "
            "save the run again"
        )
    for name, tensor in state.items():
        if tensor.is_floating_point() and not bool(tensor.isfinite().all()):
            raise ValueError(f"load: {str(path)!r} holds weights that are not finite (NaN or infinity) in {name!r}")
    return meta, state


def check_meta(meta: dict, meta_path: Path) -> None:
    """ValueError naming the field of run.json that is of the wrong kind: step, seconds, losses, pair."""
    where = f"load: {str(meta_path)!r}"
    step = meta.get("step", 0)
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise ValueError(f'{where}: "step" is {json.dumps(step)[:40]}; it must be an integer >= 0')
    seconds = meta.get("seconds", 0.0)
    if not _finite_at_least_zero(seconds):
        raise ValueError(f'{where}: "seconds" is {json.dumps(seconds)[:40]}; it must be a number >= 0')
    losses = meta.get("losses", [])
    if not isinstance(losses, list) or not all(_finite_at_least_zero(loss) for loss in losses):
        raise ValueError(f'{where}: "losses" must be a list of finite numbers >= 0')
    if len(losses) > step:
        raise ValueError(f'{where}: "losses" has {len(losses)} entries for {step} steps')
    pair = meta.get("pair")
    if pair is not None and not isinstance(pair, str):
        raise ValueError(f'{where}: "pair" is {json.dumps(pair)[:40]}; it must be text')


def _finite_at_least_zero(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    try:
        return math.isfinite(float(value)) and value >= 0
    except OverflowError:  # an integer beyond float's range
        return False
