"""The shell's toolbar and menus. Tools add their actions to these menus; the shell names no tool."""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QMessageBox

from explorer.core.display import COLORMAPS, SCALES

SHORTCUTS_HELP = """<table>
<tr><td><b>← / →</b></td><td>previous / next head</td></tr>
<tr><td><b>↑ / ↓</b></td><td>previous / next layer</td></tr>
<tr><td><b>Home / End</b></td><td>first / last head</td></tr>
<tr><td><b>Ctrl+Home / Ctrl+End</b></td><td>first / last layer</td></tr>
<tr><td><b>Ctrl+1, Ctrl+2, …</b></td><td>switch tool</td></tr>
<tr><td><b>F5</b></td><td>run the model again</td></tr>
<tr><td><b>Ctrl+.</b></td><td>cancel the running model</td></tr>
<tr><td><b>Ctrl+O</b></td><td>open a .txt / .jsonl file of sequences, or a session</td></tr>
<tr><td><b>Ctrl+S</b></td><td>save the session</td></tr>
<tr><td><b>Ctrl+E</b></td><td>export the heatmap (PNG, SVG, NPY, CSV)</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>quit</td></tr>
</table><p>Arrow keys act when the heatmap has focus (click it).</p>"""
ABOUT = (
    "<p><b>Attention Explorer</b> shows the attention maps real pretrained transformers compute, and lets you "
    "switch masks, positional encodings and KV-head grouping on the same weights.</p>"
)


def add_action(shell, menu, text: str, slot, shortcut=None) -> QAction:
    action = QAction(text, shell)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_toolbar(shell) -> None:
    bar = shell.addToolBar("Main")
    bar.setObjectName("MainToolBar")
    bar.addWidget(QLabel(" Model "))
    bar.addWidget(shell.model_picker.combo)
    bar.addSeparator()
    bar.addWidget(QLabel(" Colours "))
    shell.colormap_combo = QComboBox()
    shell.colormap_combo.addItems(COLORMAPS)
    shell.colormap_combo.setCurrentText(shell.display.colormap)
    shell.colormap_combo.setToolTip("Perceptually uniform colormaps, all readable by colour-blind viewers")
    shell.colormap_combo.currentTextChanged.connect(shell.display.set_colormap)
    bar.addWidget(shell.colormap_combo)
    bar.addWidget(QLabel(" Scale "))
    shell.scale_combo = QComboBox()
    for key, label in SCALES.items():
        shell.scale_combo.addItem(label, key)
    shell.scale_combo.setCurrentIndex(shell.scale_combo.findData(shell.display.scale))
    shell.scale_combo.currentIndexChanged.connect(lambda i: shell.display.set_scale(shell.scale_combo.itemData(i)))
    bar.addWidget(shell.scale_combo)


def build_menus(shell) -> None:
    menus = {}
    bar = shell.menuBar()
    for title in ("&File", "&Model", "&View", "&Tools", "&Help"):
        menus[title] = bar.addMenu(title)
    _file_menu(shell, menus["&File"])
    model_menu = menus["&Model"]
    add_action(shell, model_menu, "&Add Model Folder or GGUF File…", shell.model_picker.add_model)
    add_action(shell, model_menu, "&Refresh Model List", shell.session.refresh_catalogue)
    model_menu.addSeparator()
    add_action(shell, model_menu, "Run &Again", shell.session.rerun, "F5")
    add_action(shell, model_menu, "&Cancel Run", shell.session.cancel_run, "Ctrl+.")
    _view_menu(shell, menus["&View"])
    _tools_menu(shell, menus["&Tools"])
    for tool in shell.tools.values():
        for title, actions in tool.actions().items():
            if title not in menus:  # a tool's own menu goes before Help
                menus[title] = QMenu(title, shell)
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
        "&Keyboard Shortcuts",
        lambda: QMessageBox.information(shell, "Keyboard Shortcuts", SHORTCUTS_HELP),
        QKeySequence.HelpContents,
    )
    add_action(shell, help_menu, "&About", lambda: QMessageBox.about(shell, "About Attention Explorer", ABOUT))
    shell.files.rebuild_recent_menu()


def _file_menu(shell, menu) -> None:
    files = shell.files
    shell.open_action = add_action(shell, menu, "&Open…", files.choose_file, QKeySequence.Open)
    menu.addMenu(files.recent_menu)
    add_action(shell, menu, "Back to &Single Text", files.single_text)
    menu.addSeparator()
    add_action(shell, menu, "Open &Session…", files.choose_session)
    shell.save_action = add_action(shell, menu, "&Save Session…", files.save_session_as, QKeySequence.Save)
    menu.addSeparator()
    shell.quit_action = add_action(shell, menu, "&Quit", shell.close, QKeySequence.Quit)
    shell.quit_action.setMenuRole(QAction.QuitRole)


def _view_menu(shell, menu) -> None:
    docks = [*shell.shared.docks(), *(d for tool in shell.tools.values() for d in tool.docks())]
    for dock in docks:
        menu.addAction(dock.toggleViewAction())
    menu.addSeparator()
    colour_menu = menu.addMenu("&Colormap")
    shell.colormap_actions = QActionGroup(shell)
    for name in COLORMAPS:
        action = QAction(name, shell, checkable=True, checked=name == shell.display.colormap)
        action.triggered.connect(lambda _=False, n=name: shell.colormap_combo.setCurrentText(n))
        shell.colormap_actions.addAction(action)
        colour_menu.addAction(action)
    shell.display.colormap_changed.connect(
        lambda name: [a.setChecked(a.text() == name) for a in shell.colormap_actions.actions()]
    )
    scale_menu = menu.addMenu("&Scale")
    for key, label in SCALES.items():
        add_action(
            shell,
            scale_menu,
            label,
            lambda _=False, k=key: shell.scale_combo.setCurrentIndex(shell.scale_combo.findData(k)),
        )


def _tools_menu(shell, menu) -> None:
    shell.tool_actions = QActionGroup(shell)
    for index, tool in enumerate(shell.tools.values()):
        action = QAction(tool.title, shell, checkable=True)
        action.setData(tool.name)
        if index < 9:
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda _=False, name=tool.name: shell.open_tool(name))
        shell.tool_actions.addAction(action)
        menu.addAction(action)
