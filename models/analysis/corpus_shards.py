"""A corpus job's shards on disk: each a Parquet table of one partial, stamped with the job it belongs to.

A shard holds the statistics of one fixed range of the corpus's texts, one row per score × layer × head: the
count, the exact sums as decimal strings (they outgrow 64 bits), the histogram and the top-k examples. Its
Parquet metadata carries the job's fingerprint (model, its shape, options, scores, bins, the corpus's digest)
and the text range; a shard whose fingerprint differs (another model's), or that cannot be read, is refused
by name, never silently merged or overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from models.analysis.corpus_statistics import CorpusPartial

SHARD_FORMAT = "attention-explorer corpus shard 1"
METADATA_KEY = b"attention_explorer"


class ShardError(ValueError):
    """A shard that cannot be used: unreadable, or written by another job (another model, options or corpus)."""


def shard_name(number: int) -> str:
    return f"shard-{number:05d}.parquet"


def encode_shard(partial: CorpusPartial, fingerprint: dict, texts: tuple[int, int]) -> bytes:
    """The partial as Parquet bytes, one row per score × layer × head; texts: its corpus range [start, end)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cells = list(np.ndindex(*partial.count.shape))
    columns = {
        "score": [partial.scores[s] for s, _, _ in cells],
        "layer": [layer for _, layer, _ in cells],
        "head": [head for _, _, head in cells],
        "count": [int(partial.count[cell]) for cell in cells],
        "total": [str(partial.total[cell]) for cell in cells],
        "squares": [str(partial.squares[cell]) for cell in cells],
        "bins": [partial.bins[cell].tolist() for cell in cells],
        "top_value": [partial.top_value[cell].tolist() for cell in cells],
        "top_index": [partial.top_index[cell].tolist() for cell in cells],
        "top_position": [partial.top_position[cell].tolist() for cell in cells],
        "top_id": [list(partial.top_id[cell]) for cell in cells],
        "top_token": [list(partial.top_token[cell]) for cell in cells],
    }
    stamp = {
        "format": SHARD_FORMAT,
        "fingerprint": fingerprint,
        "texts": list(texts),
        "n_texts": partial.n_texts,
        "n_tokens": partial.n_tokens,
    }
    table = pa.table(columns).replace_schema_metadata({METADATA_KEY: json.dumps(stamp).encode("utf-8")})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def read_shard(
    path: Path, fingerprint: dict, empty: CorpusPartial, data: bytes | None = None
) -> tuple[CorpusPartial, tuple[int, int]]:
    """The shard's partial (filled into `empty`, a fresh partial of this job) and its text range.

    data: the shard's bytes, when they have not been written yet (a Ray worker's); `path` then only names it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path if data is None else pa.BufferReader(data))
        stamp = json.loads((table.schema.metadata or {})[METADATA_KEY])
    except Exception as error:  # pyarrow's ArrowInvalid, a missing key, bad JSON: the file is not a shard
        raise ShardError(f"{path}: not a readable corpus shard ({type(error).__name__}: {error}); delete it") from None
    if stamp.get("format") != SHARD_FORMAT:
        raise ShardError(f"{path}: written in another format ({stamp.get('format')!r}); delete it")
    differs = [
        key
        for key in sorted(set(fingerprint) | set(stamp["fingerprint"]))
        if fingerprint.get(key) != stamp["fingerprint"].get(key)
    ]
    if differs:
        theirs = {key: stamp["fingerprint"].get(key) for key in differs}
        raise ShardError(
            f"{path}: belongs to another job ({', '.join(f'{k}={v!r}' for k, v in theirs.items())}); "
            "use another --out folder, or delete the folder's shards"
        )
    try:
        _fill(empty, table.to_pydict())
    except (KeyError, ValueError, TypeError, IndexError) as error:
        raise ShardError(f"{path}: its table is damaged ({type(error).__name__}: {error}); delete it") from None
    empty.n_texts, empty.n_tokens = int(stamp["n_texts"]), int(stamp["n_tokens"])
    start, end = stamp["texts"]
    return empty, (int(start), int(end))


def _fill(partial: CorpusPartial, columns: dict) -> None:
    names = {name: s for s, name in enumerate(partial.scores)}
    if len(columns["score"]) != partial.count.size:
        raise ValueError(f"{len(columns['score'])} rows, expected {partial.count.size}")
    for row, name in enumerate(columns["score"]):
        cell = (names[name], columns["layer"][row], columns["head"][row])
        partial.count[cell] = columns["count"][row]
        partial.total[cell] = int(columns["total"][row])
        partial.squares[cell] = int(columns["squares"][row])
        partial.bins[cell] = columns["bins"][row]
        partial.top_value[cell] = columns["top_value"][row]
        partial.top_index[cell] = columns["top_index"][row]
        partial.top_position[cell] = columns["top_position"][row]
        partial.top_id[cell] = np.array(columns["top_id"][row], dtype=object)
        partial.top_token[cell] = np.array(columns["top_token"][row], dtype=object)
    if (partial.top_index < 0).any() or (partial.count < 0).any():
        raise ValueError("negative counts or indices")
