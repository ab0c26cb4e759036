"""Every head as a row: knockout checkbox, layer, head, KV group and each score, sortable by any column.

A model over numpy arrays behind a sorting proxy, not one item widget per cell: a new set of scores is one model
reset, and only the rows on screen are ever formatted. (Item widgets with columns sized to their contents cost
O(rows²) per refill: 18 s for SmolLM2's 270 heads.) Columns are sized once, when their titles change, and can
then be dragged.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView

from explorer.gui.i18n import tr

FIXED = ("knockout", "layer", "head", "kv_group")  # the columns before the scores
KNOCKOUT = 0
KEY_ROLE = int(Qt.UserRole) + 1  # a cell's number: what it sorts by (NaN = n/a)
DISPLAY, CHECK_STATE, ALIGNMENT = int(Qt.DisplayRole), int(Qt.CheckStateRole), int(Qt.TextAlignmentRole)
TOOLTIP = int(Qt.ToolTipRole)
ANSWERED = frozenset((DISPLAY, CHECK_STATE, ALIGNMENT, KEY_ROLE))
RIGHT_ALIGNED = int(Qt.AlignRight | Qt.AlignVCenter)
WIDEST_CELL = "-000.000"  # a wide cell: mean distances reach hundreds; "n/a", "27", "0.123" are narrower


class HeadModel(QAbstractTableModel):
    """Rows in (layer, head) order; numbers[:, c - 1] holds column c ≥ 1 (layer, head, KV group, scores)."""

    knockout_edited = Signal(int, int, bool)  # layer, head, knocked out: a tick in the view, not set_knockouts

    def __init__(self, parent=None):
        super().__init__(parent)
        self.names: list[str] = []
        self.titles: list[str] = []
        self.numbers = np.zeros((0, len(FIXED) - 1))  # (rows, columns − 1) float64, NaN = n/a
        self.knocked = np.zeros(0, dtype=bool)  # (rows,)
        self._na = "n/a"

    def fill(self, scores: dict[str, np.ndarray], kv_group: list[int], knocked_out) -> None:
        n_layers, n_heads = next(iter(scores.values())).shape
        layers, heads = np.divmod(np.arange(n_layers * n_heads), n_heads)
        columns = [layers, heads, np.asarray(kv_group)[heads]]
        columns += [np.asarray(scores[name], dtype=np.float64).reshape(-1) for name in scores]
        self.beginResetModel()
        self.names = list(scores)
        self.titles = ["✕", tr("layer"), tr("head"), tr("KV group"), *self.names]
        self._na = tr("n/a")
        self.numbers = np.stack(columns, axis=1).astype(np.float64)
        self.knocked = self._mask(knocked_out, n_layers, n_heads)
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.numbers, self.knocked = self.numbers[:0], self.knocked[:0]
        self.endResetModel()

    def set_knockouts(self, heads) -> None:
        if not self.rowCount():
            return
        n_layers, n_heads = int(self.numbers[-1, 0]) + 1, int(self.numbers[-1, 1]) + 1
        self.knocked = self._mask(heads, n_layers, n_heads)
        self.dataChanged.emit(self.index(0, KNOCKOUT), self.index(self.rowCount() - 1, KNOCKOUT))

    @staticmethod
    def _mask(heads, n_layers: int, n_heads: int) -> np.ndarray:
        mask = np.zeros(n_layers * n_heads, dtype=bool)
        for layer, head in heads:
            if 0 <= layer < n_layers and 0 <= head < n_heads:
                mask[layer * n_heads + head] = True
        return mask

    def head(self, row: int) -> tuple[int, int]:
        return int(self.numbers[row, 0]), int(self.numbers[row, 1])

    def key(self, row: int, column: int) -> float:
        return float(self.knocked[row]) if column == KNOCKOUT else float(self.numbers[row, column - 1])

    # -- the model protocol ----------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.numbers)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(FIXED) + len(self.names)

    def data(self, index, role=Qt.DisplayRole):
        # Asked about ten roles per painted cell: the ones not answered leave first, compared as plain ints.
        role = int(role)
        if role not in ANSWERED:
            return None
        row, column = index.row(), index.column()
        if role == DISPLAY and column != KNOCKOUT:
            value = self.numbers[row, column - 1]
            if column < len(FIXED):
                return str(int(value))
            return self._na if math.isnan(value) else f"{value:.3f}"
        if role == CHECK_STATE and column == KNOCKOUT:
            return Qt.Checked if self.knocked[row] else Qt.Unchecked
        if role == ALIGNMENT and column != KNOCKOUT:
            return RIGHT_ALIGNED
        if role == KEY_ROLE:
            return self.key(row, column)
        return None

    def setData(self, index, value, role=Qt.EditRole) -> bool:  # noqa: N802
        if role != Qt.CheckStateRole or index.column() != KNOCKOUT:
            return False
        knocked = Qt.CheckState(value) == Qt.Checked
        self.knocked[index.row()] = knocked
        self.dataChanged.emit(index, index)
        self.knockout_edited.emit(*self.head(index.row()), knocked)
        return True

    def flags(self, index):
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return flags | Qt.ItemIsUserCheckable if index.column() == KNOCKOUT else flags

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        role = int(role)
        if orientation != Qt.Horizontal or not 0 <= section < len(self.titles):
            return None
        if role == DISPLAY:
            return self.titles[section]
        if role == TOOLTIP and section == KNOCKOUT:
            return tr("Knocked out: tick to silence the head in every run")
        return None


class NaLastProxy(QSortFilterProxyModel):
    """Sorts by number, with n/a after every number whichever way the column is sorted."""

    def lessThan(self, left, right) -> bool:  # noqa: N802
        source = self.sourceModel()
        mine, theirs = source.key(left.row(), left.column()), source.key(right.row(), right.column())
        if math.isnan(mine) or math.isnan(theirs):
            if self.sortOrder() == Qt.AscendingOrder:
                return not math.isnan(mine) and math.isnan(theirs)
            return math.isnan(mine) and not math.isnan(theirs)
        return mine < theirs


class HeadTable(QTableView):
    head_clicked = Signal(int, int)  # layer, head: a click on a row (not on its checkbox)
    knockout_toggled = Signal(int, int, bool)  # layer, head, knocked out

    def __init__(self, parent=None):
        super().__init__(parent)
        self.source = HeadModel(self)
        self.proxy = NaLastProxy(self)
        self.proxy.setSourceModel(self.source)
        self.setModel(self.proxy)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setSortIndicator(1, Qt.AscendingOrder)
        self.setSortingEnabled(True)
        self._sized_for: list[str] | None = None  # the titles the columns were last sized for
        self.source.knockout_edited.connect(self.knockout_toggled)
        self.clicked.connect(self._on_clicked)

    @property
    def names(self) -> list[str]:
        """The score columns, in order."""
        return self.source.names

    def show_scores(self, scores: dict[str, np.ndarray], kv_group: list[int], knocked_out=()) -> None:
        """scores: name -> (L, H) float (NaN = n/a); kv_group: the KV head of each query head."""
        header = self.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        self.source.fill(scores, kv_group, knocked_out)
        if self._sized_for != self.source.titles:  # new columns: sized once, from font metrics, then draggable
            self._sized_for = list(self.source.titles)
            self._size_columns()
        self.sortByColumn(column if 0 <= column < self.proxy.columnCount() else 1, order)

    def clear_scores(self) -> None:
        self.source.clear()

    def _size_columns(self) -> None:
        """Each column as wide as its title (with the sort arrow) or its widest possible cell, whichever is wider.
        Measured from the font, not from the cells: asking every cell for its size hint costs a second."""
        header, metrics = self.horizontalHeader(), self.fontMetrics()
        margin = 2 * (self.style().pixelMetric(QStyle.PM_FocusFrameHMargin, None, self) + 1) + 8
        box = self.style().pixelMetric(QStyle.PM_IndicatorWidth, None, self) + margin
        cell = metrics.horizontalAdvance(WIDEST_CELL) + margin
        for column in range(self.source.columnCount()):
            widest = box if column == KNOCKOUT else cell
            header.resizeSection(column, max(widest, header.sectionSizeFromContents(column).width()))

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
        if name in names:
            self.sortByColumn(names.index(name), Qt.AscendingOrder if ascending else Qt.DescendingOrder)

    def set_knockouts(self, heads) -> None:
        """Tick these (layer, head) pairs and untick the rest, without a knockout_toggled (they are not a user's)."""
        self.source.set_knockouts(heads)

    # -- rows as the view shows them (sorted) ------------------------------------------------------------------
    def row_count(self) -> int:
        return self.proxy.rowCount()

    def head_of(self, row: int) -> tuple[int, int]:
        return self.source.head(self._source_row(row))

    def row_of(self, layer: int, head: int) -> int | None:
        for row in range(self.source.rowCount()):
            if self.source.head(row) == (layer, head):
                return self.proxy.mapFromSource(self.source.index(row, 0)).row()
        return None

    def column_of(self, name: str) -> int | None:
        return len(FIXED) + self.names.index(name) if name in self.names else None

    def text(self, row: int, column: int) -> str:
        return self.proxy.index(row, column).data(Qt.DisplayRole) or ""

    def is_knocked_out(self, row: int) -> bool:
        return bool(self.source.knocked[self._source_row(row)])

    def tick(self, row: int, knocked_out: bool) -> None:
        """Tick or untick a row's knockout box as a user's click does (knockout_toggled follows)."""
        state = Qt.Checked if knocked_out else Qt.Unchecked
        self.proxy.setData(self.proxy.index(row, KNOCKOUT), state, Qt.CheckStateRole)

    def values(self, name: str) -> np.ndarray:
        """The named column as an (L, H) array, read back through the view's model (for tests and checks)."""
        column = self.column_of(name)
        heads = [self.head_of(row) for row in range(self.row_count())]
        shape = (max(la for la, _ in heads) + 1, max(h for _, h in heads) + 1)
        out = np.full(shape, np.nan)
        for row, (layer, head) in enumerate(heads):
            out[layer, head] = self.proxy.index(row, column).data(KEY_ROLE)
        return out

    def _source_row(self, row: int) -> int:
        return self.proxy.mapToSource(self.proxy.index(row, 0)).row()

    def _on_clicked(self, index) -> None:
        if index.column() != KNOCKOUT:
            self.head_clicked.emit(*self.head_of(index.row()))
