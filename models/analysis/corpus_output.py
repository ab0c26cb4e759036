"""A finished corpus job's results as files: summary.json, heads.parquet (one row per score × head) and
top_examples.parquet (one row per example), each written whole through the caller's atomic writer.

In the JSON, an undefined value (a score no text defined; a spread of fewer than two texts) is null, never NaN.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from models.analysis.corpus_statistics import CONFIDENCE, CorpusPartial

SUMMARY, HEADS, TOP_EXAMPLES = "summary.json", "heads.parquet", "top_examples.parquet"
STATISTICS = ("count", "mean", "std", "ci_low", "ci_high")


def summary_dict(partial: CorpusPartial, fingerprint: dict) -> dict:
    """Everything the job found, as plain JSON-ready data: per score, (L, H) grids of each statistic."""
    stats = partial.summary()
    scores = {}
    for s, name in enumerate(partial.scores):
        layers, heads = partial.shape
        entry = {key: _grid(stats[name][key]) for key in STATISTICS}
        entry["bins"] = {"edges": partial.edges[name].tolist(), "counts": partial.bins[s].tolist()}
        entry["top"] = [[partial.top_examples(s, layer, head) for head in range(heads)] for layer in range(layers)]
        scores[name] = entry
    return {
        "model": fingerprint["model"],
        "job": fingerprint,
        "texts": partial.n_texts,
        "tokens": partial.n_tokens,
        "confidence": CONFIDENCE,
        "layers": partial.shape[0],
        "heads": partial.shape[1],
        "scores": scores,
    }


def write_results(out: Path, partial: CorpusPartial, fingerprint: dict, write: Callable[[Path, bytes], None]):
    """Write the three result files into `out`; returns the summary dict."""
    summary = summary_dict(partial, fingerprint)
    write(out / SUMMARY, json.dumps(summary, ensure_ascii=False, allow_nan=False).encode("utf-8"))
    write(out / HEADS, _parquet(_head_rows(partial)))
    write(out / TOP_EXAMPLES, _parquet(_example_rows(partial)))
    return summary


def read_summary(out: str | Path) -> dict:
    """A finished job's summary.json; ValueError naming the file when it is missing or not a summary."""
    path = Path(out) / SUMMARY
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
        summary["scores"], summary["layers"], summary["heads"]  # noqa: B018 - the keys every reader needs
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: not a corpus job's summary ({type(error).__name__}: {error})") from None
    return summary


def _grid(array: np.ndarray) -> list[list]:
    if array.dtype.kind in "iu":
        return array.tolist()
    return [[None if math.isnan(value) else float(value) for value in row] for row in array.tolist()]


def _head_rows(partial: CorpusPartial) -> dict[str, list]:
    stats = partial.summary()
    rows = {"score": [], "layer": [], "head": [], **{key: [] for key in STATISTICS}, "bins": []}
    for s, name in enumerate(partial.scores):
        for layer, head in np.ndindex(*partial.shape):
            rows["score"].append(name)
            rows["layer"].append(layer)
            rows["head"].append(head)
            for key in STATISTICS:
                value = stats[name][key][layer, head]
                rows[key].append(int(value) if key == "count" else (None if math.isnan(value) else float(value)))
            rows["bins"].append(partial.bins[s, layer, head].tolist())
    return rows


def _example_rows(partial: CorpusPartial) -> dict[str, list]:
    rows = {key: [] for key in ("score", "layer", "head", "rank", "text_id", "index", "value", "position", "token")}
    for s, name in enumerate(partial.scores):
        for layer, head in np.ndindex(*partial.shape):
            for rank, example in enumerate(partial.top_examples(s, layer, head)):
                for key, value in (("score", name), ("layer", layer), ("head", head), ("rank", rank), *example.items()):
                    rows[key].append(value)
    return rows


def _parquet(columns: dict[str, list]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink)
    return sink.getvalue().to_pybytes()
