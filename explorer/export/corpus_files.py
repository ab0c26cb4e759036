"""A corpus job's results as export files: the atlas of one score's corpus means (a figure, or the data with every
head's count, mean, standard deviation and 95 % interval) and one head's top examples with their texts.

Plain data in (the job's summary.json as read_summary gives it, texts by id), bytes out, written once
(write_atomic). Undefined values (a head no text defined; a spread of fewer than two texts) are null in JSON and
"n/a" in CSV, as in the Heads tool's tables. Shared by the window's Corpus tool; nothing here imports torch or Qt.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from explorer.export.atlas_figure import write_atlas
from explorer.export.atomic import write_atomic
from explorer.export.figure import FIGURE_SUFFIXES

STATISTICS = ("count", "mean", "std", "ci_low", "ci_high")  # the per-head grids a summary holds for each score
DATA_SUFFIXES = (".csv", ".json")
ATLAS_SUFFIXES = (*FIGURE_SUFFIXES, *DATA_SUFFIXES)
EXAMPLE_COLUMNS = ("rank", "text_id", "value", "position", "token", "text")


def _entry(summary: dict, score: str) -> dict:
    if score not in summary.get("scores", {}):
        raise ValueError(f"score: '{score}' is not among the results' scores ({', '.join(summary.get('scores', {}))})")
    return summary["scores"][score]


def _suffix(path: Path, allowed: tuple[str, ...]) -> str:
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise ValueError(f"path: '{path.name}' is not one of {', '.join(allowed)}")
    return suffix


def statistic_grid(summary: dict, score: str, statistic: str) -> np.ndarray:
    """(L, H) float64 of one statistic, NaN where undefined (null in the summary)."""
    values = _entry(summary, score)[statistic]
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=np.float64)


def _cell(value: float, count: bool = False) -> str:
    if np.isnan(value):
        return "n/a"
    return str(int(value)) if count else f"{value:.9g}"


def atlas_csv(summary: dict, score: str) -> bytes:
    """One row per head: layer, head, then count, mean, std, ci_low, ci_high of the score over the corpus."""
    grids = {key: statistic_grid(summary, score, key) for key in STATISTICS}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["layer", "head", *STATISTICS])
    for layer, head in np.ndindex(*grids["mean"].shape):
        writer.writerow([layer, head, *(_cell(grids[key][layer, head], key == "count") for key in STATISTICS)])
    return buffer.getvalue().encode("utf-8")


def _about(summary: dict, score: str, corpus: str) -> dict:
    return {
        "model": summary["model"],
        "corpus": corpus,
        "texts": summary["texts"],
        "tokens": summary["tokens"],
        "confidence": summary.get("confidence", 0.95),
        "score": score,
    }


def atlas_json(summary: dict, score: str, corpus: str) -> bytes:
    """The job's facts (model, corpus, texts, tokens, confidence, score) and the score's (L, H) grids of each
    statistic, as summary.json holds them (null where undefined)."""
    entry = _entry(summary, score)
    payload = {**_about(summary, score, corpus), **{key: entry[key] for key in STATISTICS}}
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8")


def top_examples(summary: dict, score: str, layer: int, head: int, texts: dict[str, str]) -> list[dict]:
    """The head's top examples, best first: rank, text_id, value, position (the query), token, and the text
    ("" when the corpus file has gone)."""
    entry = _entry(summary, score)
    n_layers, n_heads = len(entry["top"]), len(entry["top"][0])
    if not (0 <= layer < n_layers and 0 <= head < n_heads):
        raise ValueError(f"head: L{layer}H{head} is outside the results' {n_layers} layers × {n_heads} heads")
    return [
        {
            "rank": rank + 1,
            **{key: example[key] for key in EXAMPLE_COLUMNS[1:5]},
            "text": texts.get(example["text_id"], ""),
        }  # fmt: skip
        for rank, example in enumerate(entry["top"][layer][head])
    ]


def examples_csv(examples: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXAMPLE_COLUMNS)
    for example in examples:
        row = dict(example, value=f"{example['value']:.9g}")
        writer.writerow([row[key] for key in EXAMPLE_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def write_atlas_data(path: str | Path, summary: dict, score: str, corpus: str = "") -> None:
    """The score's atlas as .csv (a row per head) or .json (the grids), by the path's extension."""
    path = Path(path)
    suffix = _suffix(path, DATA_SUFFIXES)
    data = atlas_csv(summary, score) if suffix == ".csv" else atlas_json(summary, score, corpus)
    write_atomic(path, data)


def write_corpus_atlas(path: str | Path, summary: dict, score: str, *, before_write=None, **style) -> None:
    """The atlas of the score's corpus means as a figure (.png, .svg, .pdf); style as atlas_figure (label,
    title, caption, colormap, theme) plus width and dpi. The colour scale spans the finite means."""
    _suffix(Path(path), FIGURE_SUFFIXES)
    mean = statistic_grid(summary, score, "mean")
    finite = mean[np.isfinite(mean)]
    if finite.size == 0:
        raise ValueError(f"score: no text defined '{score}' for any head; there is no atlas to draw")
    low, high = float(finite.min()), float(finite.max())
    write_atlas(path, mean, levels=(low, high if high > low else low + 1.0), before_write=before_write, **style)


def write_top_examples(path: str | Path, summary: dict, score: str, layer: int, head: int, texts, corpus="") -> None:
    """The head's top examples as .csv (a row per example, with its text) or .json (with the head's corpus
    mean and interval, and the job's facts)."""
    path = Path(path)
    suffix = _suffix(path, DATA_SUFFIXES)
    examples = top_examples(summary, score, layer, head, texts)
    if suffix == ".csv":
        write_atomic(path, examples_csv(examples))
        return
    head_statistics = {key: _entry(summary, score)[key][layer][head] for key in STATISTICS}
    payload = {**_about(summary, score, corpus), "layer": layer, "head": head, **head_statistics, "top": examples}
    write_atomic(path, json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8"))
