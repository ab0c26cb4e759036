"""Readable token text: the characters each token stands for, with byte pieces named by the character they split.

Byte-level tokenizers (GPT-2, SmolLM2) and SentencePiece byte fallback (Llama) cut a multi-byte UTF-8 character
into pieces that hold one or two of its bytes. Shown alone such a piece is hex (<0xE7>) and tells a reader
nothing. Read in its sequence it is part of a known character, so it is labelled with that character and which
part of it it is: 猫 split over three tokens reads 猫(1/3), 猫(2/3), 猫(3/3). A piece that ends one character and
holds others whole shows them all: 猫(2/2)坐. A character cut off at the end (a predicted token that only starts
one) reads as the range it must fall in, [佀–使]; bytes that make no character at all read as \\x8C, never <0x…>.
"""

from __future__ import annotations

from collections.abc import Sequence

Piece = bytes | str  # bytes: an ordinary token's bytes; str: a token shown as it is (special, WordPiece)


def utf8_length(lead: int) -> int:
    """How many bytes the character starting with `lead` has (0: not a lead byte)."""
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def characters(stream: bytes) -> list[tuple[int, int, str | None]]:
    """(start, end, text) for each character of the byte stream. A character the stream cuts off at its end (a
    predicted token that starts one) reads as the range it must fall in, [佀–使]; text is None for a byte that
    starts no valid character (it then spans one byte)."""
    spans = []
    position = 0
    while position < len(stream):
        length = utf8_length(stream[position])
        chunk = stream[position : position + length] if length else b""
        text = _decoded(chunk) if len(chunk) == length and length else None
        if text is None and length and position + length > len(stream):
            text = cut_character(chunk, length)
            length = len(chunk) if text is not None else 1
        spans.append((position, position + (length or 1), text))
        position += length or 1
    return spans


def cut_character(head: bytes, length: int) -> str | None:
    """'[佀–使]': the characters whose UTF-8 starts with `head` (the first bytes of a `length`-byte character),
    or None when no character starts so. The lowest and highest continuations follow UTF-8's rules (no overlong
    forms, no surrogates, nothing past U+10FFFF)."""
    low_second = {0xE0: 0xA0, 0xF0: 0x90}.get(head[0], 0x80)
    high_second = {0xED: 0x9F, 0xF4: 0x8F}.get(head[0], 0xBF)
    missing = length - len(head)
    low = head + bytes([low_second] if len(head) == 1 else []) + b"\x80" * (missing - (len(head) == 1))
    high = head + bytes([high_second] if len(head) == 1 else []) + b"\xbf" * (missing - (len(head) == 1))
    first, last = _decoded(low), _decoded(high)
    if first is None or last is None:
        return None
    if not (first.isprintable() and last.isprintable()):  # unassigned ends read as code points
        return f"[U+{ord(first):04X}–U+{ord(last):04X}]"
    return f"[{first}–{last}]"


def _decoded(chunk: bytes) -> str | None:
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError:
        return None


def readable_tokens(pieces: Sequence[Piece]) -> list[str]:
    """One readable text per piece. Runs of byte pieces are decoded together; a str piece breaks a run."""
    texts: list[str] = [""] * len(pieces)
    run: list[int] = []  # indices of the byte pieces in the current run
    for index, piece in enumerate(pieces):
        if isinstance(piece, bytes):
            run.append(index)
            continue
        _label_run(pieces, run, texts)
        run = []
        texts[index] = piece
    _label_run(pieces, run, texts)
    return texts


def _label_run(pieces: Sequence[Piece], run: list[int], texts: list[str]) -> None:
    if not run:
        return
    chunks = [pieces[index] for index in run]
    if all(holds_whole_characters(chunk) for chunk in chunks):  # the usual case: every piece holds whole characters
        for index, chunk in zip(run, chunks):
            texts[index] = chunk.decode("utf-8")
        return
    bounds = []  # (start, end) of each piece in the run's byte stream
    position = 0
    for chunk in chunks:
        bounds.append((position, position + len(chunk)))
        position += len(chunk)
    stream = b"".join(chunks)
    first = 0  # the first piece that may still overlap the next character: both lists are in stream order
    for start, end, char in characters(stream):
        while bounds[first][1] <= start:
            first += 1
        last = first
        while last + 1 < len(bounds) and bounds[last + 1][0] < end:
            last += 1
        owners = [k for k in range(first, last + 1) if bounds[k][0] < bounds[k][1]]  # empty pieces own nothing
        for part, owner in enumerate(owners, start=1):
            if char is None:
                texts[run[owner]] += f"\\x{stream[start]:02X}"
            elif len(owners) == 1:
                texts[run[owner]] += char
            else:
                texts[run[owner]] += f"{char}({part}/{len(owners)})"


def read_as_text(pieces: Sequence[Piece]) -> str:
    """The pieces read as one text, as a reader sees it: each run of byte pieces is decoded as one byte stream
    (so a character split over tokens is that character once, 一位, never 一(1/2)…), a character the last piece
    cuts off reads as its range [佀–使], a byte that makes no character as \\x8C; str pieces as they are."""
    parts: list[str] = []
    run: list[bytes] = []
    for piece in [*pieces, ""]:  # the "" closes the last run
        if isinstance(piece, bytes):
            run.append(piece)
            continue
        stream = b"".join(run)
        parts.extend(text if text is not None else f"\\x{stream[start]:02X}" for start, _, text in characters(stream))
        parts.append(piece)
        run = []
    return "".join(parts)


def holds_whole_characters(chunk: bytes) -> bool:
    """True when the bytes decode as UTF-8 alone: no character is cut at either end."""
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
