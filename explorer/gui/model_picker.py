"""Choosing the model: the toolbar's list of models, adding a folder or GGUF file, remembering added ones."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from .i18n import tr
from .settings import add_unique
from .workspace import Workspace

ADD_MODEL = "__add__"


class ModelPicker(QObject):
    def __init__(self, parent: QWidget, workspace: Workspace, settings: QSettings):
        super().__init__(parent)
        self.parent_widget, self.workspace, self.settings = parent, workspace, settings
        self.adding: str | None = None  # a model the user added, remembered once it loads
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setAccessibleName(tr("Model"))
        self.combo.setToolTip(tr("The model to explore; its weights stay the same whatever variant you pick"))
        self.combo.activated.connect(self._chosen)
        workspace.catalogue_changed.connect(self._show_catalogue)
        workspace.model_changed.connect(self._on_model)
        workspace.load_failed.connect(self._on_failed)

    def _show_catalogue(self, entries: list) -> None:
        current = self.workspace.model.name if self.workspace.model else self.workspace.state.model
        self.combo.blockSignals(True)
        self.combo.clear()
        for entry in entries:
            if entry.problem:  # listed so the user knows why it is missing, but not selectable
                self.combo.addItem(tr("{model}  (unusable)").format(model=entry.name), entry.name)
                index = self.combo.count() - 1
                self.combo.setItemData(index, f"{entry.problem}\n{entry.path}", Qt.ToolTipRole)
                self.combo.model().item(index).setEnabled(False)
                continue
            self.combo.addItem(f"{entry.name}  ({entry.architecture}, {entry.n_layers}×{entry.n_heads})", entry.name)
            self.combo.setItemData(self.combo.count() - 1, f"{entry.origin}\n{entry.path}", Qt.ToolTipRole)
        self.combo.insertSeparator(self.combo.count())
        self.combo.addItem(tr("Add model folder or GGUF file…"), ADD_MODEL)
        self.select(current)
        self.combo.blockSignals(False)

    def select(self, name: str | None) -> None:
        self.combo.setCurrentIndex(self.combo.findData(name) if name else -1)

    def _current_name(self) -> str | None:
        return self.workspace.model.name if self.workspace.model else None

    def _chosen(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name == ADD_MODEL:
            self.select(self._current_name())
            self.add_model()
        elif name and name != self._current_name():
            self.workspace.load_model(name)

    def add_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            tr("Choose a .gguf file, or the config.json of a Hugging Face model folder"),
            str(Path.home()),
            tr("Models") + " (*.gguf config.json);;" + tr("All files") + " (*)",
        )
        if path:
            self.add_model_path(path)

    def add_model_path(self, path: str) -> None:
        """Open a model the user points at; it joins the remembered list once it has loaded."""
        model_path = str(Path(path).parent if Path(path).name == "config.json" else Path(path))
        self.adding = model_path
        self.workspace.load_model(model_path)

    def _on_model(self, info) -> None:
        self.select(info.name)
        self.settings.setValue("lastModel", info.name)
        if self.adding is not None:
            self.workspace.extra_paths = add_unique(self.settings, "addedModels", self.adding)
            self.adding = None
            self.workspace.refresh_catalogue()

    def _on_failed(self, _message: str) -> None:
        self.adding = None  # a model that failed is not remembered
        self.select(self._current_name())
