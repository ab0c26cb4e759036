"""Reading a corpus: texts with their ids from .txt, .jsonl or .parquet, tokenized, truncated, packed by length.

A .txt file holds one text per line (its id is the line number); a .jsonl file one object per line with a
"text" and an optional "id"; a .parquet file a "text" column and an optional "id" column. Blank texts are
skipped with a warning; anything else malformed is a ValueError naming the file and the line.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".jsonl", ".parquet")
Warn = Callable[[str], None]


@dataclass(frozen=True)
class CorpusText:
    index: int  # position in the corpus, counting only the texts kept: what shards are cut by
    id: str  # the text's own id, or its line / row number
    text: str


def read_corpus(path: str | Path, limit: int | None = None, warn: Warn = log.warning) -> list[CorpusText]:
    """The corpus's texts in file order (at most `limit`), each with a unique id; ValueError when it has none."""
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"--in: {source} has the extension '{suffix or 'none'}'; use {', '.join(SUFFIXES)}")
    if not source.is_file():
        raise ValueError(f"--in: {source} is not a file")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"--limit: {limit!r} must be an integer >= 1")
    pairs = {".txt": _txt_pairs, ".jsonl": _jsonl_pairs, ".parquet": _parquet_pairs}[suffix](source)
    texts: list[CorpusText] = []
    seen: set[str] = set()
    for text_id, text in pairs:
        if limit is not None and len(texts) >= limit:
            break
        if not text.strip():
            warn(f"{source}: text {text_id} is blank; skipped")
            continue
        if text_id in seen:
            raise ValueError(f"--in: {source}: the id {text_id!r} is used twice; ids must be unique")
        seen.add(text_id)
        texts.append(CorpusText(len(texts), text_id, text))
    if not texts:
        raise ValueError(f"--in: {source} holds no text to analyse")
    return texts


def _txt_pairs(source: Path):
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise ValueError(f"--in: {source} is not UTF-8 text ({error.reason} at byte {error.start})") from None
    for number, line in enumerate(lines, start=1):
        yield str(number), line


def _jsonl_pairs(source: Path):
    with source.open(encoding="utf-8", errors="strict") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"--in: {source} line {number} is not JSON ({error.msg})") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError(f'--in: {source} line {number} is not an object with a "text" string')
            text_id = record.get("id", number)
            if not isinstance(text_id, (str, int)) or isinstance(text_id, bool):
                raise ValueError(f'--in: {source} line {number}: "id" must be a string or an integer')
            yield str(text_id), record["text"]


def _parquet_pairs(source: Path):
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(source)
    except Exception as error:  # pyarrow raises its own ArrowInvalid, OSError, …: all mean "not a Parquet table"
        raise ValueError(f"--in: {source} is not a readable Parquet file ({error})") from None
    if "text" not in table.column_names:
        raise ValueError(f'--in: {source} has no "text" column; its columns: {", ".join(table.column_names)}')
    texts = table.column("text").to_pylist()
    ids = table.column("id").to_pylist() if "id" in table.column_names else range(1, len(texts) + 1)
    for row, (text_id, text) in enumerate(zip(ids, texts), start=1):
        if not isinstance(text, str):
            raise ValueError(f"--in: {source} row {row}: the text is not a string")
        yield str(text_id), text


def corpus_digest(path: str | Path) -> str:
    """sha256 of the corpus file: a resumed job must read the same texts it started on."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tokenize(model, texts: list[CorpusText], max_tokens: int, warn: Warn = log.warning) -> list[list[int]]:
    """Each text's ids, cut to max_tokens (at most the model's context) with a warning naming the text."""
    limit = model.config.n_ctx
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or not 2 <= max_tokens <= limit:
        raise ValueError(f"--max-tokens: {max_tokens!r} must be an integer from 2 to the model's context, {limit}")
    backend = model.tokenizer.backend
    encoded = backend.encode_batch([item.text for item in texts])
    sequences = []
    for item, encoding in zip(texts, encoded):
        ids = list(encoding.ids)
        if not ids:
            raise ValueError(f"--in: text {item.id} produced no tokens")
        if len(ids) > max_tokens:
            warn(f"text {item.id}: {len(ids)} tokens, over --max-tokens {max_tokens}; truncated to {max_tokens}")
            ids = ids[:max_tokens]
        sequences.append(ids)
    return sequences


def pack_by_length(lengths: list[int], batch_tokens: int) -> list[list[int]]:
    """Positions into `lengths`, grouped so each batch's padded size (count × longest) stays within batch_tokens.

    Sorted by length first, so a batch's texts are about as long as each other and padding wastes little; a
    text longer than batch_tokens alone makes a batch of one. The order is fixed by the lengths and positions
    alone, so the same texts always make the same batches.
    """
    if isinstance(batch_tokens, bool) or not isinstance(batch_tokens, int) or batch_tokens < 1:
        raise ValueError(f"--batch-tokens: {batch_tokens!r} must be an integer >= 1")
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for position in order:
        longest = lengths[position]  # sorted: the newest is the longest
        if current and (len(current) + 1) * longest > batch_tokens:
            batches.append(current)
            current = []
        current.append(position)
    if current:
        batches.append(current)
    return batches
