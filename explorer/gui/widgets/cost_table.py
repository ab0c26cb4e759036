"""MHA, GQA and MQA side by side: accuracy, time per step, parameters and KV-cache bytes per token, one row each.

Rows are plain dicts with the keys of COLUMNS; a row may stand for the loaded real model (no accuracy, no time
per step: it was not trained here), whose missing figures read "—". The time per step is a median over many steps
and shows its spread (the middle half of the steps) when the row carries one, so two groupings are not told apart
by noise. The cache column also gives the total for a context length when the row carries one.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from explorer.gui.i18n import tr

COLUMNS = ("grouping", "kv_heads", "accuracy", "seconds_per_step", "parameters", "kv_cache_bytes_per_token")
MISSING = "—"


def column_titles() -> tuple[str, ...]:
    return (
        tr("Grouping"), tr("KV heads"), tr("Held-out accuracy"), tr("Time per step"), tr("Parameters"),
        tr("KV cache per token"),
    )  # fmt: skip


def byte_size(count: float) -> str:
    """1,536 → '1.5 KiB': binary units, three significant digits, bytes below 1 KiB as an integer."""
    if count < 1024:
        return f"{int(count)} B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        count /= 1024
        if count < 1024 or unit == "TiB":
            return f"{count:.3g} {unit}"
    raise AssertionError("unreachable")


def spread_text(spread) -> str:
    """'(25.1–30.2)' in ms: the middle half of the steps' times, from the 25th to the 75th percentile."""
    low, high = (float(value) for value in spread)
    if not (math.isfinite(low) and math.isfinite(high)) or not 0 <= low <= high:
        raise ValueError(f"seconds_per_step_spread: {list(spread)} is not an ordered pair of finite times")
    return f"({low * 1000:.1f}–{high * 1000:.1f})"


def cell_text(column: str, value) -> str:
    """How one figure reads in the table; None is a figure that does not apply (a real model's accuracy)."""
    if value is None:
        return MISSING
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{column}: {value} is not a finite number")
    if column == "accuracy":
        return f"{value:.1%}"
    if column == "seconds_per_step":
        return f"{value * 1000:.1f} ms"
    if column == "parameters":
        return f"{int(value):,}"
    if column == "kv_cache_bytes_per_token":
        return byte_size(value)
    return str(value)


class CostTable(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(column_titles())
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setAccessibleName(tr("Grouping costs"))
        self.horizontalHeaderItem(COLUMNS.index("seconds_per_step")).setToolTip(
            tr("The median time of one training step; in brackets the middle half of the steps (25th to 75th "
               "percentile), in ms")
        )  # fmt: skip
        self.rows: list[dict] = []

    def show_rows(self, rows: list[dict]) -> None:
        """One row per dict (keys: COLUMNS; an optional "context" and "kv_cache_bytes" add the total cache)."""
        texts = [[cell_text(column, row.get(column)) for column in COLUMNS] for row in rows]  # check all first
        time_column = COLUMNS.index("seconds_per_step")
        for row, cells in zip(rows, texts):
            if row.get("seconds_per_step") is not None and row.get("seconds_per_step_spread") is not None:
                cells[time_column] += " " + spread_text(row["seconds_per_step_spread"])
        self.rows = [dict(row) for row in rows]
        self.setRowCount(len(rows))
        for r, (row, cells) in enumerate(zip(rows, texts)):
            if row.get("context") and row.get("kv_cache_bytes") is not None:
                cells[-1] += "  " + tr("({total} at {context} tokens)").format(
                    total=byte_size(row["kv_cache_bytes"]), context=f"{row['context']:,}"
                )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignVCenter | (Qt.AlignLeft if c == 0 else Qt.AlignRight))
                self.setItem(r, c, item)

    def text(self, row: int, column: str) -> str:
        return self.item(row, COLUMNS.index(column)).text()
