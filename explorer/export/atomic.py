"""Writing a file all at once or not at all: every export and session file goes through write_atomic.

The bytes go to a temporary file beside the target, are flushed to disk, and the temporary file is renamed
over the target. A reader (or a crash) therefore sees either the old file or the complete new one, never
half a file; and a failed write leaves no temporary file behind.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# The mode a new file gets from open(): the kernel takes the umask off it, so an export is 0644 under the
# usual umask 022, like any file the user saves. (tempfile.mkstemp would give 0600.)
NEW_FILE_MODE = 0o666
_NAME_TRIES = 8


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` atomically, creating missing parent folders.

    Raises ValueError when data is not bytes, and an OSError whose message names the target path when the
    file cannot be written (a folder in the way, no permission, a full disk).
    """
    target = Path(path)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValueError(f"data: writing {target} needs bytes, got {type(data).__name__}")
    if target.is_dir():  # found before writing what may be gigabytes, not at the rename
        raise IsADirectoryError(f"cannot write {target}: it is a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp = _open_temp(target)
    except OSError as error:
        raise _naming(error, target) from error
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the rename below must not land before the bytes do
        os.replace(temp, target)
    except BaseException as error:  # even Ctrl+C must not leave the temporary file behind
        _remove_quietly(temp)
        if isinstance(error, OSError):
            raise _naming(error, target) from error
        raise


def _open_temp(target: Path) -> tuple[int, Path]:
    """A new hidden file in the target's folder (a rename is atomic only within one file system)."""
    for _ in range(_NAME_TRIES):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside it after {_NAME_TRIES} tries")


def _naming(error: OSError, target: Path) -> OSError:
    """The same kind of OSError, with a message that says which file could not be written and why."""
    reason = error.strerror or str(error)
    renamed = type(error)(f"cannot write {target}: {reason}")
    renamed.errno = error.errno
    return renamed


def _remove_quietly(temp: Path) -> None:
    try:
        os.unlink(temp)
    except FileNotFoundError:
        pass
