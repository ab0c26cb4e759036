"""The shell hosts tools it does not know by name: a small dummy tool is registered, appears, receives runs,
and round-trips its state through a session file. The model is a tiny random GPT-2, so this takes seconds."""

import json

import pytest
from builders import write_hf_model
from gui_helpers import LOAD_TIMEOUT_MS, maps_of, temporary_settings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel

from explorer.core.session import load_session
from explorer.gui.jobs import JobRunner
from explorer.gui.shell import Shell
from explorer.gui.tools import TOOLS
from explorer.gui.tools.base import Tool
from explorer.gui.workspace import Workspace


class CounterTool(Tool):
    """Counts the runs it is shown and remembers a note: the least a tool can do."""

    name = "counter"
    title = "&Counter"

    def __init__(self, context):
        super().__init__(context)
        self.label = QLabel("no run yet")
        self.dock = QDockWidget("Counter notes", context.parent)
        self.dock.setObjectName("CounterDock")
        self.dock.setWidget(QLabel("notes"))
        self.action = QAction("Count &Again", context.parent)
        self.note = ""
        self.runs_seen = []
        context.workspace.run_changed.connect(self._on_run)

    def central(self):
        return self.label

    def docks(self):
        return [self.dock]

    def actions(self):
        return {"&Counter": [self.action]}

    def save_state(self):
        return {"note": self.note}

    def check_state(self, data):
        if not isinstance(data.get("note", ""), str):
            raise ValueError('"tools.counter.note" must be a string')

    def restore_state(self, data):
        self.check_state(data)
        self.note = data.get("note", "")

    def _on_run(self, run):
        self.runs_seen.append(run.tokens[0])
        self.label.setText(f"{len(run.tokens[0])} tokens")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models") / "tiny-gpt2"
    write_hf_model(folder, "gpt2")
    return str(folder)


@pytest.fixture
def shell(qtbot, tmp_path, tiny_model):
    jobs = JobRunner()
    workspace = Workspace(jobs)
    window = Shell(workspace, temporary_settings(tmp_path), tools=(*TOOLS, CounterTool))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        workspace.load_model(tiny_model)
    yield window
    window.close()


def test_a_registered_tool_appears_in_the_shell(shell):
    tool = shell.tools["counter"]
    menu_titles = [action.text() for action in shell.menuBar().actions()]
    assert "&Counter" in menu_titles, "a tool's own menu is created for it"
    assert [a.text() for a in shell.tool_actions.actions()] == [*(t.title for t in TOOLS), "&Counter"]
    counter = shell.tool_actions.actions()[len(TOOLS)]
    position = len(TOOLS) + 1  # Ctrl+1…9 go to the first nine tools; a tenth has the menu only
    assert counter.shortcut().toString() == (f"Ctrl+{position}" if position <= 9 else "")
    assert shell.stack.currentWidget() is maps_of(shell).view and not tool.dock.isVisible()
    counter.trigger()
    assert shell.active_tool is tool and shell.stack.currentWidget() is tool.label
    tool.dock.show()
    shell.open_tool("maps")
    assert not tool.dock.isVisible(), "a tool's docks leave with it"
    shell.open_tool("counter")
    assert tool.dock.isVisible(), "and come back as the user left them"
    every = ", ".join([tool_class.name for tool_class in TOOLS] + ["counter"])
    with pytest.raises(ValueError, match=f"tool: 'nope' is not one of {every}$"):
        shell.open_tool("nope")


def test_a_tool_receives_every_run(qtbot, shell):
    tool = shell.tools["counter"]
    assert len(tool.runs_seen) == 1
    with qtbot.waitSignal(shell.workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        shell.workspace.set_texts(["a b c d e"])
    assert len(tool.runs_seen) == 2
    assert tool.label.text() == f"{len(tool.runs_seen[-1])} tokens"


def test_tool_state_round_trips_through_a_session(qtbot, shell, tmp_path):
    tool = shell.tools["counter"]
    tool.note = "heads 2 and 3 look alike"
    shell.open_tool("counter")
    path = tmp_path / "session.json"
    assert shell.files.save_session_to(str(path))
    saved = json.loads(path.read_text())
    assert saved["tools"]["counter"] == {"note": "heads 2 and 3 look alike"}
    assert saved["active_tool"] == "counter" and saved["version"] == 2
    assert load_session(path).tools["counter"]["note"] == "heads 2 and 3 look alike"

    tool.note = "changed"
    shell.open_tool("maps")
    with qtbot.waitSignal(shell.workspace.run_changed, timeout=LOAD_TIMEOUT_MS):
        assert shell.files.open_path(str(path))
    assert tool.note == "heads 2 and 3 look alike" and shell.active_tool is tool


def test_a_bad_tool_state_changes_nothing(shell, tmp_path):
    tool = shell.tools["counter"]
    tool.note = "kept"
    path = tmp_path / "session.json"
    assert shell.files.save_session_to(str(path))
    data = json.loads(path.read_text())
    data["tools"]["counter"]["note"] = 5
    data["texts"] = ["a text that must not be adopted"]
    path.write_text(json.dumps(data))
    assert not shell.files.open_path(str(path))
    assert "tools.counter.note" in shell.error_dialog.text()
    assert tool.note == "kept"
    assert shell.workspace.state.texts != ["a text that must not be adopted"]


def test_a_tool_hides_the_shared_docks_it_does_not_use_and_they_come_back(qtbot, shell, tmp_path):
    docks = {dock.objectName(): dock for dock in shell.shared.docks()}
    shown = lambda: {name for name, dock in docks.items() if dock.isVisible()}  # noqa: E731
    assert shown() == {"TextDock", "VariantDock", "NextTokenDock", "TimingsDock"}
    shell.open_tool("compare")  # A and B have their own variants and next tokens
    assert shown() == {"TextDock"}
    shell.open_tool("seq2seq")  # the lab uses none of them
    assert shown() == set()
    shell.open_tool("counter")  # a tool that says nothing uses them all
    assert shown() == set(docks)
    docks["TimingsDock"].close()  # what the user closes stays closed, whichever tool comes and goes
    shell.open_tool("compare")
    shell.open_tool("maps")
    assert shown() == {"TextDock", "VariantDock", "NextTokenDock"}
    docks["TimingsDock"].show()
    shell.open_tool("foundations")
    assert shown() == {"TextDock"}
    shell.close()  # the layout is saved as the user left it, not as the lab hid it
    again = Shell(Workspace(JobRunner()), temporary_settings(tmp_path), tools=TOOLS)
    qtbot.addWidget(again)
    again.restore_layout()
    again.show()
    assert all(dock.isVisible() for dock in again.shared.docks())
    again.close()
