"""Reading the user's text: typed strings and .txt / .jsonl files of sequences (UTF-8 only)."""

from __future__ import annotations

import json
from pathlib import Path

MAX_SEQUENCES = 256  # a batch is padded to its longest member; beyond this a batch stops being explorable
SUPPORTED_SUFFIXES = (".txt", ".jsonl")


def check_text(text: str, where: str = "text") -> str:
    """A typed or command-line text, checked: non-empty and valid Unicode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Python turns undecodable command-line bytes into lone surrogates; they cannot be tokenized.
        raise ValueError(f"{where}: is not valid UTF-8; re-type it or save it as UTF-8") from None
    if not text.strip():
        raise ValueError(f"{where}: is empty; type some text to see its attention")
    return text


def read_sequences(path: str | Path) -> list[str]:
    """One sequence per line of a .txt file, or the "text" field of each line of a .jsonl file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(
            f"{path.name}: unsupported file type '{suffix or 'none'}'; use .txt (one sequence per line) "
            'or .jsonl ({"text": ...} per line)'
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ValueError(f"{path}: cannot be read ({error.strerror or error})") from None
    if b"\x00" in raw:
        raise ValueError(f"{path.name}: looks like a binary file, not text; choose a UTF-8 .txt or .jsonl file")
    try:
        content = raw.decode("utf-8-sig")  # tolerate the BOM some editors write
    except UnicodeDecodeError as error:
        raise ValueError(
            f"{path.name}: is not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); save it as UTF-8"
        ) from None
    lines = [(number, line) for number, line in enumerate(content.splitlines(), start=1) if line.strip()]
    if suffix == ".jsonl":
        texts = [_jsonl_text(path, number, line) for number, line in lines]
    else:
        texts = [line for _, line in lines]
    if not texts:
        raise ValueError(f"{path.name}: has no text; put one sequence per line")
    if len(texts) > MAX_SEQUENCES:
        raise ValueError(
            f"{path.name}: has {len(texts)} sequences; at most {MAX_SEQUENCES} can be explored at once, split the file"
        )
    return texts


def _jsonl_text(path: Path, number: int, line: str) -> str:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path.name}, line {number}: is not JSON ({error.msg})") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError(f'{path.name}, line {number}: needs an object with a "text" string, like {{"text": "..."}}')
    return check_text(record["text"], f"{path.name}, line {number}")
