"""Every head as a row: knockout checkbox, layer, head, KV group and each score, sortable by any column."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from explorer.gui.i18n import tr

FIXED = ("knockout", "layer", "head", "kv_group")  # the columns before the scores
KNOCKOUT = 0


class SortItem(QTableWidgetItem):
    """A cell that sorts by its number (n/a after every number, whichever way the column is sorted)."""

    def __init__(self, text: str, key: float):
        super().__init__(text)
        self.key = key
        self.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)

    def __lt__(self, other):  # noqa: D105
        mine, theirs = self.key, getattr(other, "key", math.nan)
        ascending = (
            self.tableWidget() is None
            or self.tableWidget().horizontalHeader().sortIndicatorOrder() == Qt.AscendingOrder
        )
        if math.isnan(mine) or math.isnan(theirs):  # n/a sinks to the bottom in both orders
            return (not math.isnan(mine)) if ascending else math.isnan(mine) and not math.isnan(theirs)
        return mine < theirs


class HeadTable(QTableWidget):
    head_clicked = Signal(int, int)  # layer, head: a click on a row (not on its checkbox)
    knockout_toggled = Signal(int, int, bool)  # layer, head, knocked out

    def __init__(self, parent=None):
        super().__init__(0, len(FIXED), parent)
        self.names: list[str] = []  # the score columns, in order
        self._filling = False
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.horizontalHeader().setSortIndicator(1, Qt.AscendingOrder)
        self.setSortingEnabled(True)
        self._titles([])
        self.itemChanged.connect(self._on_item_changed)
        self.cellClicked.connect(self._on_cell_clicked)

    def _titles(self, names: list[str]) -> None:
        self.setColumnCount(len(FIXED) + len(names))
        self.setHorizontalHeaderLabels(["✕", tr("layer"), tr("head"), tr("KV group"), *names])
        self.horizontalHeaderItem(KNOCKOUT).setToolTip(tr("Knocked out: tick to silence the head in every run"))

    def show_scores(self, scores: dict[str, np.ndarray], kv_group: list[int], knocked_out=()) -> None:
        """scores: name -> (L, H) float (NaN = n/a); kv_group: the KV head of each query head."""
        self.names = list(scores)
        column, order = self.horizontalHeader().sortIndicatorSection(), self.horizontalHeader().sortIndicatorOrder()
        self._filling = True
        self.setSortingEnabled(False)
        self._titles(self.names)
        n_layers, n_heads = next(iter(scores.values())).shape
        self.setRowCount(n_layers * n_heads)
        knocked = set(knocked_out)
        for layer in range(n_layers):
            for head in range(n_heads):
                row = layer * n_heads + head
                check = SortItem("", float((layer, head) in knocked))
                check.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                check.setCheckState(Qt.Checked if (layer, head) in knocked else Qt.Unchecked)
                self.setItem(row, KNOCKOUT, check)
                for offset, value in enumerate((layer, head, kv_group[head])):
                    self.setItem(row, offset + 1, SortItem(str(value), float(value)))
                for index, name in enumerate(self.names):
                    value = float(scores[name][layer, head])
                    text = tr("n/a") if math.isnan(value) else f"{value:.3f}"
                    self.setItem(row, len(FIXED) + index, SortItem(text, value))
        self.setSortingEnabled(True)
        self.sortByColumn(column if 0 <= column < self.columnCount() else 1, order)
        self._filling = False

    def sort_key(self) -> tuple[str, bool]:
        """(the column's name, ascending): "layer", "kv_group", a score's name…"""
        header = self.horizontalHeader()
        column = header.sortIndicatorSection()
        names = [*FIXED, *self.names]
        name = names[column] if 0 <= column < len(names) else "layer"
        return name, header.sortIndicatorOrder() == Qt.AscendingOrder

    def sort_by(self, name: str, ascending: bool) -> None:
        """Sort by the named column; a name not shown (yet) is ignored."""
        names = [*FIXED, *self.names]
        if name not in names:
            return
        self.sortByColumn(names.index(name), Qt.AscendingOrder if ascending else Qt.DescendingOrder)

    def set_knockouts(self, heads) -> None:
        knocked = set(heads)
        self._filling = True
        for row in range(self.rowCount()):
            layer, head = self.head_of(row)
            item = self.item(row, KNOCKOUT)
            item.setCheckState(Qt.Checked if (layer, head) in knocked else Qt.Unchecked)
            item.key = float((layer, head) in knocked)
        self._filling = False

    def head_of(self, row: int) -> tuple[int, int]:
        return int(self.item(row, 1).key), int(self.item(row, 2).key)

    def row_of(self, layer: int, head: int) -> int | None:
        for row in range(self.rowCount()):
            if self.head_of(row) == (layer, head):
                return row
        return None

    def column_of(self, name: str) -> int | None:
        return len(FIXED) + self.names.index(name) if name in self.names else None

    def values(self, name: str) -> np.ndarray:
        """The named column as an (L, H) array, read back from the cells (for tests and checks)."""
        column = self.column_of(name)
        heads = [self.head_of(row) for row in range(self.rowCount())]
        shape = (max(la for la, _ in heads) + 1, max(h for _, h in heads) + 1)
        out = np.full(shape, np.nan)
        for row, (layer, head) in enumerate(heads):
            out[layer, head] = self.item(row, column).key
        return out

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != KNOCKOUT:
            return
        layer, head = self.head_of(item.row())
        self.knockout_toggled.emit(layer, head, item.checkState() == Qt.Checked)

    def _on_cell_clicked(self, row: int, column: int) -> None:
        if column != KNOCKOUT:
            self.head_clicked.emit(*self.head_of(row))
