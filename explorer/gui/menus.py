"""The shell's toolbar and menus. Tools add their actions to these menus; the shell names no tool."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QMessageBox

from explorer.core.display import COLORMAPS, SCALES

from .examples import build_examples_menu
from .i18n import tr
from .language import build_language_menu


def shortcuts_help() -> str:
    """The Help → Keyboard Shortcuts table, one translatable line per shortcut."""
    rows = [
        ("← / →", tr("previous / next head")),
        ("↑ / ↓", tr("previous / next layer")),
        ("Home / End", tr("first / last head (Home resets the zoom first, if zoomed)")),
        ("Ctrl+0", tr("reset the zoom (or double-click the map)")),
        ("Esc", tr("clear the selected cell")),
        ("Ctrl+Home / Ctrl+End", tr("first / last layer")),
        ("Ctrl+1, Ctrl+2, …", tr("switch tool")),
        ("F5", tr("run the model again")),
        ("Ctrl+.", tr("cancel the running model")),
        ("Ctrl+O", tr("open a .txt / .jsonl file of sequences, or a session")),
        ("Ctrl+S", tr("save the session")),
        ("Ctrl+E", tr("export the heatmap (PNG, SVG, PDF, NPY, CSV)")),
        ("Ctrl+Q", tr("quit")),
    ]
    table = "".join(f"<tr><td><b>{keys}</b></td><td>{text}</td></tr>" for keys, text in rows)
    notes = (
        tr("Arrow keys act when the heatmap has focus (click it, or Tab to it)."),
        tr("A new text, model, layer or head resets the zoom; a new variant keeps it, to compare the same cells."),
    )
    return f"<table>{table}</table>" + "".join(f"<p>{note}</p>" for note in notes)


def about() -> str:
    return tr(
        "<p><b>Attention Explorer</b> shows the attention maps real pretrained transformers compute, and lets you "
        "switch masks, positional encodings and KV-head grouping on the same weights.</p>"
    )


def scale_label(key: str) -> str:
    """The display scales' names (explorer.core.display.SCALES), spelt out here so lupdate finds them."""
    labels = {"linear": tr("attention (0 to 1)"), "log": tr("log₁₀ attention"), "row": tr("attention / row maximum")}
    return labels.get(key, SCALES.get(key, key))


def add_action(shell, menu, text: str, slot, shortcut=None) -> QAction:
    action = QAction(text, shell)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_toolbar(shell) -> None:
    bar = shell.addToolBar(tr("Main Toolbar"))
    bar.setObjectName("MainToolBar")
    bar.addWidget(QLabel(" " + tr("Model") + " "))
    bar.addWidget(shell.model_picker.combo)
    bar.addSeparator()
    bar.addWidget(QLabel(" " + tr("Colours") + " "))
    shell.colormap_combo = QComboBox()
    shell.colormap_combo.addItems(COLORMAPS)
    shell.colormap_combo.setCurrentText(shell.display.colormap)
    shell.colormap_combo.setToolTip(tr("Perceptually uniform colormaps, all readable by colour-blind viewers"))
    shell.colormap_combo.currentTextChanged.connect(shell.display.set_colormap)
    bar.addWidget(shell.colormap_combo)
    bar.addWidget(QLabel(" " + tr("Scale") + " "))
    shell.scale_combo = QComboBox()
    for key in SCALES:
        shell.scale_combo.addItem(scale_label(key), key)
    shell.scale_combo.setCurrentIndex(shell.scale_combo.findData(shell.display.scale))
    shell.scale_combo.currentIndexChanged.connect(lambda i: shell.display.set_scale(shell.scale_combo.itemData(i)))
    bar.addWidget(shell.scale_combo)


def build_menus(shell) -> None:
    # Keyed by the English titles, which tools use to name the menu their actions go in.
    bar = shell.menuBar()
    titles = {"&File": tr("&File"), "&Model": tr("&Model"), "&View": tr("&View"), "&Tools": tr("&Tools")}
    titles.update({"&Language": tr("&Language"), "&Help": tr("&Help")})
    menus = {key: bar.addMenu(title) for key, title in titles.items()}
    _file_menu(shell, menus["&File"])
    model_menu = menus["&Model"]
    add_action(shell, model_menu, tr("&Add Model Folder or GGUF File…"), shell.model_picker.add_model)
    add_action(shell, model_menu, tr("&Refresh Model List"), shell.workspace.refresh_catalogue)
    model_menu.addSeparator()
    add_action(shell, model_menu, tr("Run &Again"), shell.workspace.rerun, "F5")
    add_action(shell, model_menu, tr("&Cancel Run"), shell.workspace.cancel_run, "Ctrl+.")
    _view_menu(shell, menus["&View"])
    _tools_menu(shell, menus["&Tools"])
    shell.language_actions = build_language_menu(shell, menus["&Language"])
    for tool in shell.tools.values():
        for title, actions in tool.actions().items():
            if title not in menus:  # a tool's own menu goes before Help
                menus[title] = QMenu(tr(title), shell)  # translated if the tool's author added the title
                bar.insertMenu(menus["&Help"].menuAction(), menus[title])
            menu = menus[title]
            if title == "&File":  # tools' exports sit above Quit
                for action in actions:
                    menu.insertAction(shell.quit_action, action)
                menu.insertSeparator(shell.quit_action)
            else:
                menu.addActions(actions)
    help_menu = menus["&Help"]
    add_action(
        shell,
        help_menu,
        tr("&Keyboard Shortcuts"),
        lambda: QMessageBox.information(shell, tr("Keyboard Shortcuts"), shortcuts_help()),
        QKeySequence.HelpContents,
    )
    add_action(
        shell, help_menu, tr("&About"), lambda: QMessageBox.about(shell, tr("About Attention Explorer"), about())
    )
    shell.files.rebuild_recent_menu()


def _file_menu(shell, menu) -> None:
    files = shell.files
    shell.open_action = add_action(shell, menu, tr("&Open…"), files.choose_file, QKeySequence.Open)
    menu.addMenu(files.recent_menu)
    shell.examples_menu = build_examples_menu(shell, menu.addMenu(tr("&Examples")))
    add_action(shell, menu, tr("Back to &Single Text"), files.single_text)
    menu.addSeparator()
    add_action(shell, menu, tr("Open &Session…"), files.choose_session)
    shell.save_action = add_action(shell, menu, tr("&Save Session…"), files.save_session_as, QKeySequence.Save)
    menu.addSeparator()
    shell.quit_action = add_action(shell, menu, tr("&Quit"), shell.close, QKeySequence.Quit)
    shell.quit_action.setMenuRole(QAction.QuitRole)


def _view_menu(shell, menu) -> None:
    docks = [*shell.shared.docks(), *(d for tool in shell.tools.values() for d in tool.docks())]
    for dock in docks:
        menu.addAction(dock.toggleViewAction())
    menu.addSeparator()
    colour_menu = menu.addMenu(tr("&Colormap"))
    shell.colormap_actions = QActionGroup(shell)
    for name in COLORMAPS:
        action = QAction(name, shell, checkable=True, checked=name == shell.display.colormap)
        action.triggered.connect(lambda _=False, n=name: shell.colormap_combo.setCurrentText(n))
        shell.colormap_actions.addAction(action)
        colour_menu.addAction(action)
    shell.display.colormap_changed.connect(
        lambda name: [a.setChecked(a.text() == name) for a in shell.colormap_actions.actions()]
    )
    scale_menu = menu.addMenu(tr("&Scale"))
    for key in SCALES:
        add_action(
            shell,
            scale_menu,
            scale_label(key),
            lambda _=False, k=key: shell.scale_combo.setCurrentIndex(shell.scale_combo.findData(k)),
        )


def _tools_menu(shell, menu) -> None:
    shell.tool_actions = QActionGroup(shell)
    for index, tool in enumerate(shell.tools.values()):
        action = QAction(tr(tool.title), shell, checkable=True)  # translated if the tool's author added it
        action.setData(tool.name)
        if index < 9:
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda _=False, name=tool.name: shell.open_tool(name))
        shell.tool_actions.addAction(action)
        menu.addAction(action)
