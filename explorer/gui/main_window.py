"""The main window: owns the widgets, forwards user intent to the controller, and shows its results."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QProgressDialog,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.display import COLORMAPS, SCALES, encode, visible_of
from explorer.core.sequences import read_sequences
from explorer.core.session import load_session, save_session
from explorer.core.state import ExplorerState
from explorer.core.views import MapResult, ModelInfo, RunInfo
from explorer.export.data import write_csv, write_npy
from explorer.export.image import export_png, export_svg
from explorer.gui.controller import Controller
from explorer.gui.export_dialog import ExportDialog
from explorer.gui.palette import plot_colours
from explorer.gui.settings import add_unique, push_recent, read_list
from explorer.gui.widgets.head_grid import HeadGridFigure
from explorer.gui.widgets.heatmap import HeatmapFigure
from explorer.gui.widgets.navigation import NavigationBar
from explorer.gui.widgets.next_token_panel import NextTokenPanel
from explorer.gui.widgets.overview import OverviewFigure
from explorer.gui.widgets.timings_panel import TimingsPanel
from explorer.gui.widgets.token_strip import TokenStrip
from explorer.gui.widgets.variant_panel import VariantPanel

log = logging.getLogger(__name__)

ADD_MODEL = "__add__"
SEQUENCE_SUFFIXES = (".txt", ".jsonl")
SHORTCUTS_HELP = """<table>
<tr><td><b>← / →</b></td><td>previous / next head</td></tr>
<tr><td><b>↑ / ↓</b></td><td>previous / next layer</td></tr>
<tr><td><b>Home / End</b></td><td>first / last head</td></tr>
<tr><td><b>Ctrl+Home / Ctrl+End</b></td><td>first / last layer</td></tr>
<tr><td><b>Ctrl+O</b></td><td>open a .txt / .jsonl file of sequences, or a session</td></tr>
<tr><td><b>Ctrl+S</b></td><td>save the session</td></tr>
<tr><td><b>Ctrl+E</b></td><td>export the heatmap (PNG, SVG, NPY, CSV)</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>quit</td></tr>
</table><p>Arrow keys act when the heatmap has focus (click it).</p>"""


class MainWindow(QMainWindow):
    def __init__(self, controller: Controller, settings):
        super().__init__()
        self.controller = controller
        self.settings = settings
        self.catalogue: list = []
        self.run: RunInfo | None = None
        self.last_map: MapResult | None = None
        self.error_dialog: QMessageBox | None = None
        self._quiet_editor = False
        self._pending_export: tuple | None = None
        self._adding_model: str | None = None  # a model the user added, remembered once it loads
        self.setWindowTitle("Attention Explorer")
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        colormap = str(settings.value("colormap", "viridis"))
        scale = str(settings.value("scale", "linear"))
        self.colormap = colormap if colormap in COLORMAPS else "viridis"
        self.scale = scale if scale in SCALES else "linear"
        controller.display_scale = self.scale

        self._build_central()
        self._build_docks()
        self._build_toolbar()
        self._build_menus()
        self._build_status()
        self._connect()
        self.apply_plot_palette()

    # -- construction ------------------------------------------------------------------------------------------
    def _build_central(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        self.navigation = NavigationBar()
        self.stack = QStackedWidget()
        self.placeholder = QLabel("Starting…")
        self.placeholder.setAlignment(Qt.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.heatmap = HeatmapFigure(colormap=self.colormap, scale=self.scale)
        self.head_grid = HeadGridFigure(colormap=self.colormap, scale=self.scale)
        for page in (self.placeholder, self.heatmap, self.head_grid):
            self.stack.addWidget(page)
        self.hover = QLabel(" ")
        self.hover.setAccessibleName("Cell under the pointer")
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.hover)
        self.setCentralWidget(central)
        for figure in (self.heatmap, self.head_grid):
            figure.installEventFilter(self)

    def _dock(self, title: str, name: str, widget: QWidget, area, scroll: bool = False) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState() needs stable names to restore the layout
        if scroll:
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setWidget(widget)
            widget = holder
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        text_area = QWidget()
        text_layout = QVBoxLayout(text_area)
        text_layout.setContentsMargins(4, 4, 4, 4)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("Type a sentence…")
        self.editor.setAccessibleName("Text")
        self.editor.setMaximumHeight(56)
        self.token_strip = TokenStrip()
        text_layout.addWidget(self.editor)
        text_layout.addWidget(self.token_strip)
        self.text_dock = self._dock("Text and tokens", "TextDock", text_area, Qt.TopDockWidgetArea)

        self.variant_panel = VariantPanel()
        self.variant_dock = self._dock(
            "Attention variant", "VariantDock", self.variant_panel, Qt.RightDockWidgetArea, True
        )
        self.next_panel = NextTokenPanel()
        self.next_dock = self._dock("Next tokens", "NextTokenDock", self.next_panel, Qt.RightDockWidgetArea)
        self.timings_panel = TimingsPanel()
        self.timings_dock = self._dock("Timings", "TimingsDock", self.timings_panel, Qt.BottomDockWidgetArea)
        self.overview = OverviewFigure(colormap=self.colormap)
        self.overview.installEventFilter(self)
        self.overview_dock = self._dock(
            "Overview: all layers × heads", "OverviewDock", self.overview, Qt.LeftDockWidgetArea
        )
        self.overview_dock.hide()
        # First-run proportions; afterwards the layout the user left is restored from QSettings.
        # The right column runs the full height, so the variant controls and the next-token list both fit.
        self.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        self.resizeDocks([self.text_dock, self.timings_dock], [140, 170], Qt.Vertical)
        self.resizeDocks([self.variant_dock, self.next_dock], [380, 380], Qt.Horizontal)
        self.resizeDocks([self.variant_dock, self.next_dock], [500, 240], Qt.Vertical)

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Main")
        bar.setObjectName("MainToolBar")
        bar.addWidget(QLabel(" Model "))
        self.model_combo = QComboBox()
        self.model_combo.setMinimumContentsLength(24)
        self.model_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setAccessibleName("Model")
        bar.addWidget(self.model_combo)
        bar.addSeparator()
        bar.addWidget(QLabel(" Colours "))
        self.colormap_combo = QComboBox()
        self.colormap_combo.addItems(COLORMAPS)
        self.colormap_combo.setCurrentText(self.colormap)
        bar.addWidget(self.colormap_combo)
        bar.addWidget(QLabel(" Scale "))
        self.scale_combo = QComboBox()
        for key, label in SCALES.items():
            self.scale_combo.addItem(label, key)
        self.scale_combo.setCurrentIndex(self.scale_combo.findData(self.scale))
        bar.addWidget(self.scale_combo)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.open_action = self._action(file_menu, "&Open…", self.choose_file, QKeySequence.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self._action(file_menu, "Back to &Single Text", self.single_text)
        file_menu.addSeparator()
        self._action(file_menu, "Open &Session…", self.choose_session)
        self.save_action = self._action(file_menu, "&Save Session…", self.save_session_as, QKeySequence.Save)
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, "&Export…", self.export_current, "Ctrl+E")
        self._action(file_menu, "Export &All Heads of This Layer…", self.export_layer)
        file_menu.addSeparator()
        self.quit_action = self._action(file_menu, "&Quit", self.close, QKeySequence.Quit)
        self.quit_action.setMenuRole(QAction.QuitRole)

        model_menu = menu.addMenu("&Model")
        self._action(model_menu, "&Add Model Folder or GGUF File…", self.add_model)
        self._action(model_menu, "&Refresh Model List", self.controller.refresh_catalogue)

        view_menu = menu.addMenu("&View")
        for dock in (self.text_dock, self.variant_dock, self.next_dock, self.timings_dock, self.overview_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        colour_menu = view_menu.addMenu("&Colormap")
        self.colormap_actions = QActionGroup(self)
        for name in COLORMAPS:
            action = QAction(name, self, checkable=True, checked=name == self.colormap)
            action.triggered.connect(lambda _=False, n=name: self.colormap_combo.setCurrentText(n))
            self.colormap_actions.addAction(action)
            colour_menu.addAction(action)
        scale_menu = view_menu.addMenu("&Scale")
        for key, label in SCALES.items():
            self._action(
                scale_menu, label, lambda _=False, k=key: self.scale_combo.setCurrentIndex(self.scale_combo.findData(k))
            )

        help_menu = menu.addMenu("&Help")
        self._action(help_menu, "&Keyboard Shortcuts", self.show_shortcuts, QKeySequence.HelpContents)
        self._action(help_menu, "&About", self.show_about)
        self.rebuild_recent_menu()

    def _build_status(self) -> None:
        status = self.statusBar()
        self.options_label = QLabel()
        self.options_label.setAccessibleName("Active options")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.clicked.connect(self.controller.cancel_load)
        status.addPermanentWidget(self.options_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

    def _connect(self) -> None:
        c = self.controller
        c.catalogue_changed.connect(self.show_catalogue)
        c.loading.connect(self.show_loading)
        c.loading_finished.connect(self.hide_progress)
        c.load_error.connect(self.show_load_error)
        c.model_changed.connect(self.show_model)
        c.running.connect(self.show_running)
        c.running_finished.connect(self.hide_progress)
        c.run_changed.connect(self.show_run)
        c.run_error.connect(self.show_run_error)
        c.map_changed.connect(self.show_map)
        c.overview_changed.connect(lambda result: self.overview.show_thumbnails(result.thumbnails))
        c.overview_progress.connect(self.show_overview_progress)
        c.layer_maps_ready.connect(self.write_layer_exports)
        c.state_changed.connect(self.show_state)

        self.editor.textChanged.connect(self.text_edited)
        self.token_strip.token_clicked.connect(lambda i: self.heatmap.highlight(i, i))
        self.heatmap.hovered.connect(lambda text: self.hover.setText(text or " "))
        self.heatmap.cell_clicked.connect(lambda row, _col: self.token_strip.select_token(row))
        self.head_grid.head_clicked.connect(self.open_head)
        self.overview.head_clicked.connect(self.open_layer_head)
        self.navigation.layer_head_changed.connect(c.set_layer_head)
        self.navigation.view_changed.connect(c.set_view)
        self.navigation.seq_changed.connect(self.choose_sequence)
        self.variant_panel.options_changed.connect(c.set_options)
        self.timings_panel.device_changed.connect(c.set_device)
        self.model_combo.activated.connect(self.model_chosen)
        self.colormap_combo.currentTextChanged.connect(self.set_colormap)
        self.scale_combo.currentIndexChanged.connect(lambda i: self.set_scale(self.scale_combo.itemData(i)))
        self.overview_dock.visibilityChanged.connect(self.overview_shown)

    # -- showing results ---------------------------------------------------------------------------------------
    def show_catalogue(self, entries: list) -> None:
        self.catalogue = entries
        current = self.controller.model.name if self.controller.model else self.controller.state.model
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for entry in entries:
            self.model_combo.addItem(
                f"{entry.name}  ({entry.architecture}, {entry.n_layers}×{entry.n_heads})", entry.name
            )
            self.model_combo.setItemData(self.model_combo.count() - 1, f"{entry.origin}\n{entry.path}", Qt.ToolTipRole)
        self.model_combo.insertSeparator(self.model_combo.count())
        self.model_combo.addItem("Add model folder or GGUF file…", ADD_MODEL)
        self.select_model_in_combo(current)
        self.model_combo.blockSignals(False)
        if not entries and self.controller.model is None:
            self.placeholder.setText(
                "No models found.\nInstall the shipped models with `make run`,\n"
                "or use Model → Add Model Folder or GGUF File…"
            )

    def select_model_in_combo(self, name: str | None) -> None:
        index = self.model_combo.findData(name) if name else -1
        self.model_combo.setCurrentIndex(index)

    def show_loading(self, fraction: float, message: str) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(fraction * 1000))
        self.progress.setFormat(f"{fraction:.0%}")
        self.progress.show()
        self.cancel_button.show()
        self.statusBar().showMessage(message)
        if self.controller.model is None:
            self.placeholder.setText(f"Loading the model…\n{message}")

    def show_running(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"layer {done}/{total}")
        self.progress.show()
        self.statusBar().showMessage("Running the model…")

    def hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.statusBar().clearMessage()

    def show_load_error(self, message: str) -> None:
        self._adding_model = None
        self.select_model_in_combo(self.controller.model.name if self.controller.model else None)
        if self.controller.model is None:
            self.placeholder.setText(f"The model could not be loaded.\n{message}\nChoose another model above.")
        self.show_error("Could not load the model", message)

    def show_error(self, title: str, message: str) -> None:
        """A window-modal dialog that does not block the event loop (so tests and timers keep running)."""
        dialog = QMessageBox(QMessageBox.Critical, title, message, QMessageBox.Ok, self)
        dialog.setWindowModality(Qt.WindowModal)
        dialog.open()
        self.error_dialog = dialog

    def show_model(self, info: ModelInfo) -> None:
        self.setWindowTitle(f"Attention Explorer — {info.name}")
        self.select_model_in_combo(info.name)
        self.variant_panel.set_model(info)
        self.variant_panel.set_options(self.controller.state.options)
        self.navigation.set_shape(info.n_layers, info.n_heads)
        self.timings_panel.set_devices(info.devices, info.device)
        self.settings.setValue("lastModel", info.name)
        self.remember_added_model()
        self.placeholder.setText(f"Running {info.name}…")

    def show_run(self, run: RunInfo) -> None:
        self.run = run
        seq = self.controller.state.seq
        self.navigation.set_sequences(run.n_sequences, seq)
        self.token_strip.show_tokens(run.tokens[seq], run.special[seq], run.is_real[seq])
        self.timings_panel.show_timings(
            run.layer_ms, run.total_ms, run.tokens_per_second, run.device, run.reused_tokens
        )
        self.next_panel.show_predictions(None if run.next_tokens is None else run.next_tokens[seq])
        self.variant_panel.set_groups(run.kv_groups)
        self.options_label.setText(self.describe_options(run))
        if run.warnings:
            self.statusBar().showMessage("; ".join(run.warnings), 10000)
        if self.overview_dock.isVisible():
            self.controller.request_overview()

    @staticmethod
    def describe_options(run: RunInfo) -> str:
        o = run.options
        kind = "MHA" if run.kv_heads == run.n_heads else "MQA" if run.kv_heads == 1 else "GQA"
        pos = f"{o['pos']} θ={o['rope_theta']:g}" if o["pos"] == "rope" else o["pos"]
        padding = "on" if o["padding_mask"] else "off"
        return (
            f"mask {o['mask']} · pos {pos} · KV heads {run.kv_heads}/{run.n_heads} ({kind}) · "
            f"T={o['temperature']:g} · padding mask {padding}"
        )

    def show_run_error(self, message: str) -> None:
        self.statusBar().showMessage(f"⚠ {message}", 15000)

    def show_map(self, result: MapResult) -> None:
        self.last_map = result
        run, request = self.run, result.request
        if run is None:
            return
        tokens = run.tokens[request.seq]
        pixels = result.pixels
        if request.scale != self.scale:  # the scale changed while the map was being computed
            pixels = encode(result.matrix, visible_of(pixels), self.scale)
        if request.mode == "grid":
            self.head_grid.show_maps(result.matrix, pixels, run.kv_groups, f"layer {request.layer} · all heads")
            self.stack.setCurrentWidget(self.head_grid)
        else:
            what = "mean over heads" if request.mode == "mean" else f"head {request.head}"
            self.heatmap.show_matrix(result.matrix, pixels, tokens, tokens, f"layer {request.layer} · {what}")
            self.stack.setCurrentWidget(self.heatmap)
        if self.overview_dock.isVisible():
            self.overview.mark(request.layer, request.head)

    def show_state(self, state: ExplorerState) -> None:
        self.navigation.set_position(state.layer, state.head, state.view)
        text = state.texts[state.seq] if state.texts else ""
        if self.editor.toPlainText() != text:
            self._quiet_editor = True
            self.editor.setPlainText(text)
            self._quiet_editor = False
        title = f"Text and tokens — {Path(state.source_file).name}" if state.source_file else "Text and tokens"
        self.text_dock.setWindowTitle(title)

    def overview_shown(self, visible: bool) -> None:
        if not visible:
            return
        if not getattr(self, "_overview_sized", False) and not self.overview_dock.isFloating():
            # The mosaic is tall and narrow (layers × heads): give it a narrow column, not half the window.
            self.resizeDocks([self.overview_dock], [260], Qt.Horizontal)
            self._overview_sized = True
        self.controller.request_overview()

    def show_overview_progress(self, done: int, total: int) -> None:
        suffix = "" if done >= total else f" (computing {done}/{total} layers)"
        self.overview_dock.setWindowTitle(f"Overview: all layers × heads{suffix}")

    # -- user intent ---------------------------------------------------------------------------------------------
    def text_edited(self) -> None:
        if not self._quiet_editor:
            self.controller.set_text(self.editor.toPlainText())

    def choose_sequence(self, seq: int) -> None:
        self.controller.set_seq(seq)
        if self.run is not None:
            self.show_run(self.run)

    def open_head(self, head: int) -> None:
        self.controller.set_view("head")
        self.controller.set_layer_head(self.controller.state.layer, head)

    def open_layer_head(self, layer: int, head: int) -> None:
        self.controller.set_view("head")
        self.controller.set_layer_head(layer, head)

    def model_chosen(self, index: int) -> None:
        name = self.model_combo.itemData(index)
        if name == ADD_MODEL:
            self.select_model_in_combo(self.controller.model.name if self.controller.model else None)
            self.add_model()
        elif name and (self.controller.model is None or name != self.controller.model.name):
            self.controller.load_model(name)

    def add_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a .gguf file, or the config.json of a Hugging Face model folder",
            str(Path.home()),
            "Models (*.gguf config.json);;All files (*)",
        )
        if path:
            self.add_model_path(path)

    def add_model_path(self, path: str) -> None:
        """Open a model the user points at; it joins the remembered list once it has loaded."""
        model_path = str(Path(path).parent if Path(path).name == "config.json" else Path(path))
        self._adding_model = model_path
        self.controller.load_model(model_path)

    def remember_added_model(self) -> None:
        if self._adding_model is None:
            return
        self.controller.extra_paths = add_unique(self.settings, "addedModels", self._adding_model)
        self._adding_model = None
        self.controller.refresh_catalogue()

    def set_colormap(self, name: str) -> None:
        self.colormap = name
        for figure in (self.heatmap, self.head_grid, self.overview):
            figure.set_colormap(name)
        for action in self.colormap_actions.actions():
            action.setChecked(action.text() == name)
        self.settings.setValue("colormap", name)

    def set_scale(self, scale: str) -> None:
        self.scale = scale
        self.controller.display_scale = scale
        self.heatmap.set_scale(scale)
        self.head_grid.set_scale(scale)
        self.settings.setValue("scale", scale)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Arrow keys on a figure walk heads and layers."""
        if event.type() == QEvent.KeyPress and self.handle_navigation_key(event):
            return True
        return super().eventFilter(watched, event)

    def handle_navigation_key(self, event) -> bool:
        c, key, ctrl = self.controller, event.key(), bool(event.modifiers() & Qt.ControlModifier)
        if c.model is None:
            return False
        if key == Qt.Key_Left:
            c.step(heads=-1)
        elif key == Qt.Key_Right:
            c.step(heads=1)
        elif key == Qt.Key_Up:
            c.step(layers=-1)
        elif key == Qt.Key_Down:
            c.step(layers=1)
        elif key == Qt.Key_Home:
            c.set_layer_head(0 if ctrl else c.state.layer, c.state.head if ctrl else 0)
        elif key == Qt.Key_End:
            last_layer, last_head = c.model.n_layers - 1, c.model.n_heads - 1
            c.set_layer_head(last_layer if ctrl else c.state.layer, c.state.head if ctrl else last_head)
        else:
            return False
        return True

    # -- files -----------------------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open",
            str(self.settings.value("lastFolder", Path.home())),
            "Sequences or sessions (*.txt *.jsonl *.json);;Sequences (*.txt *.jsonl);;Sessions (*.json)",
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a sequences file or a session; problems are shown, never raised."""
        suffix = Path(path).suffix.lower()
        try:
            if suffix == ".json":
                state = load_session(path)
                self.controller.restore(state)
                self.variant_panel.set_options(state.options)
            else:
                texts = read_sequences(path)
                self.controller.set_texts(texts, path)
        except ValueError as error:
            self.show_error("Could not open the file", str(error))
            return False
        self.settings.setValue("lastFolder", str(Path(path).parent))
        push_recent(self.settings, "recentFiles", str(Path(path).resolve()))
        self.rebuild_recent_menu()
        self.statusBar().showMessage(f"Opened {Path(path).name}", 5000)
        return True

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = read_list(self.settings, "recentFiles")
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(recent))

    def single_text(self) -> None:
        state = self.controller.state
        self.controller.set_texts([state.texts[state.seq]], None)

    def choose_session(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open Session", str(Path.home()), "Sessions (*.json)")
        if path:
            self.open_path(path)

    def save_session_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save Session", str(Path.home() / "session.json"), "Sessions (*.json)"
        )
        if path:
            self.save_session_to(path)

    def save_session_to(self, path: str) -> bool:
        try:
            save_session(path, self.controller.state)
        except OSError as error:
            self.show_error("Could not save the session", str(error))
            return False
        self.statusBar().showMessage(f"Saved session to {path}", 5000)
        return True

    # -- export ------------------------------------------------------------------------------------------------------
    def current_figure(self):
        return self.head_grid if self.stack.currentWidget() is self.head_grid else self.heatmap

    def suggested_name(self, suffix: str = ".png") -> str:
        s = self.controller.state
        what = "mean" if s.view == "mean" else "heads" if s.view == "grid" else f"head{s.head}"
        folder = Path(str(self.settings.value("exportFolder", Path.home())))
        return str(folder / f"{(self.run.model if self.run else 'attention')}_layer{s.layer}_{what}{suffix}")

    def export_current(self) -> None:
        if self.last_map is None:
            self.statusBar().showMessage("Nothing to export yet", 5000)
            return
        dialog = ExportDialog(self, self.suggested_name(), width=max(800, self.heatmap.width() * 2))
        if dialog.exec() == ExportDialog.Accepted:
            self.export_to(dialog.target(), dialog.width.value(), dialog.dpi.value())

    def export_to(self, path: Path, width: int = 1600, dpi: int = 300) -> bool:
        """Write the shown map; the format follows the extension. Errors become a dialog."""
        result, run = self.last_map, self.run
        suffix = path.suffix.lower()
        try:
            if result is None or run is None:
                raise ValueError("nothing to export yet")
            if suffix == ".png":
                export_png(self.current_figure().ci, path, width, dpi)
            elif suffix == ".svg":
                export_svg(self.current_figure().ci, path)
            elif suffix == ".npy":
                write_npy(path, result.matrix)
            elif suffix == ".csv":
                tokens = run.tokens[result.request.seq]
                write_csv(path, result.matrix, tokens, tokens)
            else:
                raise ValueError(f"unknown format '{suffix}'; use .png, .svg, .npy or .csv")
        except (ValueError, OSError) as error:
            self.show_error("Export failed", str(error))
            return False
        self.settings.setValue("exportFolder", str(path.parent))
        self.statusBar().showMessage(f"Exported {path}", 8000)
        return True

    def export_layer(self) -> None:
        if self.run is None:
            self.statusBar().showMessage("Nothing to export yet", 5000)
            return
        folder = str(Path(str(self.settings.value("exportFolder", Path.home()))))
        dialog = ExportDialog(self, folder, folder=True, width=max(800, self.heatmap.width() * 2))
        if dialog.exec() == ExportDialog.Accepted:
            self.export_layer_to(dialog.target(), dialog.suffix, dialog.width.value(), dialog.dpi.value())

    def export_layer_to(self, folder: Path, suffix: str, width: int = 1600, dpi: int = 300) -> None:
        """Ask the engine for every head of the layer; the files are written when the maps arrive."""
        self._pending_export = (folder, suffix, width, dpi, self.controller.state.seq)
        self.controller.request_layer_maps(self.controller.state.layer)

    def write_layer_exports(self, layer: int, maps) -> None:
        if self._pending_export is None:
            return
        folder, suffix, width, dpi, seq = self._pending_export
        self._pending_export = None
        tokens = self.run.tokens[seq]
        visible = visible_of(self.last_map.pixels)
        progress = QProgressDialog(f"Exporting the heads of layer {layer}…", "Cancel", 0, len(maps), self)
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(1000)
        figure = None
        written = 0
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if suffix in (".png", ".svg"):
                figure = HeatmapFigure(colormap=self.colormap, scale=self.scale)
                figure.resize(self.heatmap.size())
            for head, matrix in enumerate(maps):
                if progress.wasCanceled():
                    break
                path = folder / f"{self.run.model.replace('/', '_')}_layer{layer:02d}_head{head:02d}{suffix}"
                if figure is not None:
                    pixels = encode(matrix, visible, self.scale)
                    figure.show_matrix(matrix, pixels, tokens, tokens, f"layer {layer} · head {head}")
                    export_png(figure.ci, path, width, dpi) if suffix == ".png" else export_svg(figure.ci, path)
                elif suffix == ".npy":
                    write_npy(path, matrix)
                else:
                    write_csv(path, matrix, tokens, tokens)
                written += 1
                progress.setValue(head + 1)
        except (ValueError, OSError) as error:
            self.show_error("Export failed", f"{error}\n{written} of {len(maps)} files were written to {folder}.")
            return
        finally:
            progress.close()
            if figure is not None:
                figure.deleteLater()
        self.settings.setValue("exportFolder", str(folder))
        self.statusBar().showMessage(f"Exported {written} heads of layer {layer} to {folder}", 8000)

    # -- drag and drop --------------------------------------------------------------------------------------------
    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in (*SEQUENCE_SUFFIXES, ".json"):
                self.open_path(str(path))
            elif path.suffix.lower() == ".gguf" or path.is_dir():
                self.add_model_path(str(path))
            else:
                self.show_error(
                    "Cannot open this file",
                    f"{path.name}: drop a .txt or .jsonl file, a session .json, a .gguf file or a model folder",
                )
            break

    # -- help, palette, settings ---------------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard Shortcuts", SHORTCUTS_HELP)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Attention Explorer",
            "<p><b>Attention Explorer</b> shows the attention maps real pretrained transformers compute, and lets you "
            "switch masks, positional encodings and KV-head grouping on the same weights.</p>",
        )

    def apply_plot_palette(self) -> None:
        background, foreground = plot_colours()
        for figure in (self.heatmap, self.head_grid, self.overview, self.timings_panel.chart):
            figure.setBackground(background)
        for axis in (
            self.heatmap.key_axis,
            self.heatmap.query_axis,
            self.heatmap.plot.getAxis("right"),
            self.heatmap.plot.getAxis("bottom"),
            self.heatmap.bar.axis,
        ):
            axis.setPen(foreground)
            axis.setTextPen(foreground)
        for name in ("left", "top"):
            self.overview.plot.getAxis(name).setPen(foreground)
            self.overview.plot.getAxis(name).setTextPen(foreground)
        for name in ("left", "bottom"):
            self.timings_panel.chart.getAxis(name).setPen(foreground)
            self.timings_panel.chart.getAxis(name).setTextPen(foreground)
        self.heatmap.title.setAttr("color", foreground)
        self.heatmap.title.setText(self.heatmap.title.text)
        self.head_grid.text_colour = foreground

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.PaletteChange:
            QTimer.singleShot(0, self.apply_plot_palette)
        super().changeEvent(event)

    def restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        state = self.settings.value("windowState")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event):  # noqa: N802
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        state = self.controller.state
        if state.source_file is None and state.texts:
            self.settings.setValue("lastText", state.texts[0])
        self.settings.sync()
        self.controller.shutdown()
        super().closeEvent(event)
