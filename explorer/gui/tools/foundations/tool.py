"""The Foundations tool: attention from the ground up, one page per topic, each figure exportable.

Pages: attention pooling, score functions, positional encodings, a BiLSTM + attention classifier, and BPE. The
compute is models/lab/foundations (no Qt), imported when a page first draws, so opening the window costs nothing.
Pages that can use the loaded model (captured Q and K, learned positions, the model's tokenizer) ask the
session's current run for it as a job.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QWidget

from explorer.gui.i18n import tr

from ..base import Tool, ToolContext
from .bpe_page import BpePage
from .classifier_page import ClassifierPage
from .export import ViewExport
from .pooling_page import PoolingPage
from .positions_page import PositionsPage
from .scores_page import ScoresPage

PAGES = (PoolingPage, ScoresPage, PositionsPage, ClassifierPage, BpePage)


def page_titles() -> dict[str, str]:
    return {
        "pooling": tr("1 · Attention pooling"),
        "scores": tr("2 · Score functions"),
        "positions": tr("3 · Positional encodings"),
        "classifier": tr("4 · BiLSTM + attention"),
        "bpe": tr("5 · Byte-pair encoding"),
    }


class FoundationsTool(Tool):
    name = "foundations"
    title = QT_TRANSLATE_NOOP("", "F&oundations")  # marked for lupdate; the Tools menu translates it when built
    shared_docks = ("TextDock",)  # its model pages read the workspace's text; its own settings are on each page
    shows_run = False  # nothing here is drawn from the workspace's run: never marked stale by it

    page_changed = Signal(str)

    def __init__(self, context: ToolContext):
        super().__init__(context)
        self.pages = [page(self) for page in PAGES]
        self.by_name = {page.name: page for page in self.pages}
        self.list = QListWidget()
        titles = page_titles()
        self.list.addItems([titles[page.name] for page in self.pages])
        self.list.setFixedWidth(max(self.list.sizeHintForColumn(0) + 16, 170))
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
        self.view = QWidget()
        layout = QHBoxLayout(self.view)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addWidget(self.stack, 1)
        self.export = ViewExport(self)
        for page in self.pages:
            page.export_requested.connect(self.export.ask)
        self.export_action = QAction(tr("Export Foundations Figure…"), context.parent)
        self.export_action.setToolTip(
            tr("Export the first figure of the page on screen (each figure has its own Export… button)")
        )
        self.export_action.triggered.connect(self.export_first)
        self.list.currentRowChanged.connect(self._page_chosen)
        self.list.setCurrentRow(0)

    # -- the protocol ---------------------------------------------------------------------------------------
    def central(self):
        return self.view

    def actions(self) -> dict[str, list[QAction]]:
        return {"&File": [self.export_action]}

    def save_state(self) -> dict:
        return {"page": self.page.name, "pages": {page.name: page.save_state() for page in self.pages}}

    def check_state(self, data: dict) -> None:
        if not isinstance(data, dict) or set(data) - {"page", "pages"}:
            raise ValueError('"tools.foundations" must be an object with page and pages')
        page = data.get("page", "pooling")
        if not isinstance(page, str) or page not in self.by_name:  # a list is not a page (nor hashable)
            raise ValueError(f'"tools.foundations.page" must be one of {", ".join(self.by_name)}, not {page!r}')
        pages = data.get("pages", {})
        if not isinstance(pages, dict):
            raise ValueError('"tools.foundations.pages" must be an object')
        for name, settings in pages.items():
            if name not in self.by_name:
                raise ValueError(f'"tools.foundations.pages.{name}" is not a page; pages: {", ".join(self.by_name)}')
            self.by_name[name].check_state(settings)

    def restore_state(self, data: dict) -> None:
        self.check_state(data)
        for name, settings in data.get("pages", {}).items():
            self.by_name[name].controls.restore(settings)
        for page in self.pages:
            page.views.clear()  # drawn again from the restored settings when shown
        self.show_page(data.get("page", "pooling"))

    def activated(self) -> None:
        self.page.shown()

    # -- pages ----------------------------------------------------------------------------------------------
    @property
    def page(self):
        return self.pages[max(self.list.currentRow(), 0)]

    def show_page(self, name: str) -> None:
        if name not in self.by_name:
            raise ValueError(f"page: '{name}' is not one of {', '.join(self.by_name)}")
        index = [page.name for page in self.pages].index(name)
        if index == self.list.currentRow():
            self._page_chosen(index)
        self.list.setCurrentRow(index)

    def _page_chosen(self, index: int) -> None:
        if index < 0:
            return
        self.stack.setCurrentIndex(index)
        if self.view.isVisible():
            self.pages[index].shown()
        self.page_changed.emit(self.pages[index].name)

    def export_first(self) -> None:
        page = self.page
        if not page.views:
            self.context.show_status(tr("Nothing to export yet: the page has drawn no figure"), 5000)
            return
        first = next(key for key in page.frames if key in page.views)
        self.export.ask(page.views[first], page.caption())
