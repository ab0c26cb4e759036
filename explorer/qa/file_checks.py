"""Whether an exported file is what its format promises: a PNG decodes, an SVG parses, a PDF has a page, data loads.

Each check reads the file back with a reader independent of the writer (Pillow, ElementTree, numpy, csv, json)
and returns a list of problems, empty when the file is good. `probabilities` adds the cheap check that holds for
attention maps: values in [0, 1], each row summing to 1 (or to 0 for a query that sees no key).
"""

from __future__ import annotations

import csv
import json
import math
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np

PDF_PAGE = re.compile(rb"/Type\s*/Page[^s]")  # a page object, not the /Pages tree that lists them
ROW_SUM_TOLERANCE = 1e-3


def check_file(path: Path, probabilities: bool = False) -> list[str]:
    path = Path(path)
    if not path.is_file():
        return [f"{path.name} was not written"]
    if path.stat().st_size == 0:
        return [f"{path.name} is empty"]
    suffix = path.suffix.lower()
    check = {".png": _png, ".svg": _svg, ".pdf": _pdf, ".npy": _npy, ".csv": _csv, ".json": _json}.get(suffix)
    if check is None:
        return [f"{path.name}: no check for the format {suffix!r}"]
    try:
        return check(path, probabilities)
    except Exception as error:  # any reader's complaint means the file is broken
        return [f"{path.name} does not read back as {suffix}: {type(error).__name__}: {error}"]


def _png(path: Path, _probabilities: bool) -> list[str]:
    from PIL import Image

    with Image.open(path) as image:
        image.load()  # decodes every pixel: a truncated file fails here
        if image.format != "PNG" or min(image.size) < 8:
            return [f"{path.name} is a {image.format} of {image.size} pixels, not a PNG figure"]
        if image.convert("L").getextrema()[0] == image.convert("L").getextrema()[1]:
            return [f"{path.name} is one flat colour: nothing was drawn"]
    return []


def _svg(path: Path, _probabilities: bool) -> list[str]:
    root = ElementTree.parse(path).getroot()
    if not root.tag.endswith("svg"):
        return [f"{path.name}: the root element is <{root.tag}>, not <svg>"]
    if len(list(root.iter())) < 10:
        return [f"{path.name} holds almost nothing ({len(list(root.iter()))} elements)"]
    return []


def _pdf(path: Path, _probabilities: bool) -> list[str]:
    data = path.read_bytes()
    problems = []
    if not data.startswith(b"%PDF-"):
        problems.append(f"{path.name} does not start with %PDF-")
    if b"%%EOF" not in data[-1024:]:
        problems.append(f"{path.name} has no %%EOF at its end (truncated?)")
    if not PDF_PAGE.search(data):
        problems.append(f"{path.name} has no page")
    return problems


def _npy(path: Path, probabilities: bool) -> list[str]:
    array = np.load(path, allow_pickle=False)
    if array.size == 0:
        return [f"{path.name} holds an empty array {array.shape}"]
    if not np.issubdtype(array.dtype, np.number):
        return [f"{path.name} holds {array.dtype}, not numbers"]
    if not np.isfinite(array).all():
        return [f"{path.name} holds values that are not finite"]
    return row_sum_problems(path.name, array) if probabilities else []


def _csv(path: Path, probabilities: bool) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if len(rows) < 2:
        return [f"{path.name} has {len(rows)} rows"]
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        return [f"{path.name} has rows of different lengths {sorted(widths)}"]
    numbers = [cell for row in rows[1:] for cell in row[1:] if _is_number(cell)]
    if not numbers:
        return [f"{path.name} holds no numbers"]
    if any(not math.isfinite(float(cell)) for cell in numbers):
        return [f"{path.name} holds values that are not finite"]
    if not probabilities:
        return []
    matrix = np.array([[float(cell) if cell else 0.0 for cell in row[1:]] for row in rows[1:]])  # empty: masked
    return row_sum_problems(path.name, matrix)


def _json(path: Path, _probabilities: bool) -> list[str]:
    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")

    data = json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)
    return [] if data not in (None, {}, []) else [f"{path.name} holds nothing ({data!r})"]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def row_sum_problems(name: str, array: np.ndarray) -> list[str]:
    """Attention rows: in [0, 1] and summing to 1, or to 0 for a row that sees no key."""
    if array.min() < -1e-6 or array.max() > 1 + 1e-5:
        return [f"{name}: attention values outside [0, 1] ({array.min():g} … {array.max():g})"]
    sums = array.sum(axis=-1)
    bad = ~(np.isclose(sums, 1.0, atol=ROW_SUM_TOLERANCE) | np.isclose(sums, 0.0, atol=1e-6))
    if bad.any():
        return [f"{name}: {int(bad.sum())} rows sum to neither 1 nor 0 (e.g. {sums[bad].ravel()[0]:g})"]
    return []
