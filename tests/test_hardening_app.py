"""The hardening sweep's families 5 (files left behind), 6 (no memory budget) and 9 (sessions), app side.

Each test names the case of the sweep it keeps fixed. The GUI ones drive the real window (offscreen).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from gui_helpers import close, maps_of, open_window, wait_for_map
from PySide6.QtCore import Qt

import models
from explorer.cli.main import main
from explorer.core.session import load_session, save_session
from explorer.core.state import SessionState
from explorer.export.data import write_csv, write_json, write_npy
from models.runtime import budget
from models.runtime.budget import ENV, MemoryBudgetError

ROOT = Path(__file__).resolve().parent.parent
SESSION = {"format": "attention-explorer-session", "version": 2, "model": "smollm2-135m-instruct", "texts": ["hi"]}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.suffix == ".part" or p.name.startswith("tmp"))


WRITERS = {
    ".json": lambda path: write_json(path, {"attention": [[1.0]]}),
    ".npy": lambda path: write_npy(path, np.ones((4, 4))),
    ".csv": lambda path: write_csv(path, np.ones((2, 2)), ["a", "b"], ["a", "b"]),
    ".session.json": lambda path: save_session(path, SessionState(model="m")),
}


# -- family 5: temporary files left behind ------------------------------------------------------------------
@pytest.mark.parametrize("suffix", WRITERS)
def test_a_writer_aimed_at_a_folder_names_it_and_leaves_nothing(tmp_path, suffix):
    target = tmp_path / f"out{suffix}"
    target.mkdir()
    with pytest.raises(OSError, match="it is a folder") as error:
        WRITERS[suffix](target)
    assert str(target) in str(error.value)
    assert leftovers(tmp_path) == []


DISK_FULL = r"""
import json, resource, signal, sys
from pathlib import Path
import numpy as np
from explorer.export.data import write_csv, write_json, write_npy
from explorer.core.session import save_session
from explorer.core.state import SessionState
from explorer.export.figure import write_head
folder = Path(sys.argv[1])
big = np.random.rand(200, 200).astype(np.float32)
writers = {
    "map.json": lambda p: write_json(p, {"attention": big.tolist()}),
    "map.npy": lambda p: write_npy(p, big),
    "map.csv": lambda p: write_csv(p, big, ["t"] * 200, ["t"] * 200),
    "session.json": lambda p: save_session(p, SessionState(model="m", texts=["x" * 100000])),
    "map.png": lambda p: write_head(p, big, big > 0, ["t"] * 200, title="t", width=4000, dpi=300),
    "map.svg": lambda p: write_head(p, big, big > 0, ["t"] * 200, title="t"),
    "map.pdf": lambda p: write_head(p, big, big > 0, ["t"] * 200, title="t"),
}
import matplotlib.font_manager  # noqa: F401  matplotlib's own font cache is written before the size limit
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (32 * 1024, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
messages = {}
for name, write in writers.items():
    try:
        write(folder / name)
        messages[name] = "written"
    except OSError as error:
        messages[name] = str(error)
print(json.dumps(messages))
"""


def test_a_full_disk_names_the_file_and_leaves_no_temporary_file(tmp_path, sandbox):
    """The sweep's "[Errno 27] File too large" with a tmpXXXX.part beside the output, for every format."""
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "MPLCONFIGDIR": os.path.join(sandbox, "matplotlib"),  # matplotlib's font cache, outside the checked folder
    }
    result = subprocess.run(
        [sys.executable, "-c", DISK_FULL, str(tmp_path)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    messages = json.loads(result.stdout.splitlines()[-1])
    for name, message in messages.items():
        assert message.startswith(f"cannot write {tmp_path / name}") and "too large" in message, (name, message)
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "nothing written, nothing left behind"


def test_cli_export_to_a_folder_is_refused_before_the_model_loads(tmp_path, capsys, monkeypatch):
    target = tmp_path / "map.json"
    target.mkdir()

    def no_load(*args, **kwargs):
        raise AssertionError("the model was loaded before the target was checked")

    monkeypatch.setattr(models, "load", no_load)
    assert main(["export", "--model", "all-minilm-l6-v2", "--text", "a cat", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(target) in err and "folder" in err
    assert leftovers(tmp_path) == []


# -- family 6: no memory budget -----------------------------------------------------------------------------
def test_budget_constants_match_the_engine():
    from models.nn.attention import SCORE_BLOCK_ELEMENTS
    from models.nn.kv_buffer import HEADROOM_TOKENS

    assert budget.HEADROOM_TOKENS == HEADROOM_TOKENS and budget.SCORE_BLOCK_ELEMENTS == SCORE_BLOCK_ELEMENTS


def test_the_estimate_is_what_a_real_run_keeps(smollm, minilm):
    texts = ["The cat sat on the mat.", "A longer second line, so the first one is padded to it."]
    for model, kv_heads in ((smollm, None), (smollm, 1), (minilm, 4)):
        run = model.run(texts, kv_heads=kv_heads)
        estimate = budget.run_bytes(model.config, len(texts), len(run.ids[0]), kv_heads)
        assert estimate.retained == run.retained_bytes, (model.name, kv_heads)
        assert estimate.total > estimate.retained


def test_a_batch_with_one_200k_character_line_is_refused_with_the_estimate_and_the_way_out(smollm, monkeypatch):
    monkeypatch.setenv(ENV, "8G")
    texts = ["a short line"] * 255 + ["word " * 40_000]  # 256 sequences, all padded to the long one
    with pytest.raises(MemoryBudgetError) as error:
        budget.check_run(smollm, texts)
    message = str(error.value)
    assert "256 sequences" in message and "8192 tokens, text 256" in message and "8.0 GB" in message
    assert "fewer sequences" in message and ENV in message and "\n" not in message
    estimate = budget.run_bytes(smollm.config, 256, 8192)
    assert estimate.total > 200 * 1024**3 and f"{estimate.total / 1024**3:.1f} GB" in message
    budget.check_run(smollm, texts[:1])  # a short line alone fits


def test_export_all_to_json_at_1500_tokens_is_refused_with_the_cheaper_formats():
    layers_heads = 30 * 9  # SmolLM2: L·H maps of N² floats
    with pytest.raises(MemoryBudgetError) as error:
        budget.check_export(layers_heads, 1500, ".json", one_map="one map with --layer L --head H", budget=4 * 1024**3)
    message = str(error.value)
    assert "607,500,000 values" in message and "54.3 GB" in message
    assert "write .npy instead (about 6.8 GB)" not in message, "npy does not fit 4 GB either: not offered"
    assert "one map with --layer L --head H" in message and "shorter text" in message
    with pytest.raises(MemoryBudgetError, match=r"write \.npy instead \(about 6\.8 GB\)"):
        budget.check_export(layers_heads, 1500, ".json", budget=8 * 1024**3)
    budget.check_export(layers_heads, 1500, ".npy", budget=8 * 1024**3)


def test_budget_sizes_and_the_override(monkeypatch):
    assert budget.parse_size("8G") == 8 * 1024**3 and budget.parse_size("512MiB") == 512 * 1024**2
    assert budget.parse_size("1000") == 1000
    for bad in ("lots", "-1G", "0"):
        with pytest.raises(ValueError, match=ENV):
            budget.parse_size(bad)
    monkeypatch.setenv(ENV, "3G")
    assert budget.budget_bytes() == 3 * 1024**3
    monkeypatch.delenv(ENV)
    assert 0 < budget.budget_bytes() <= budget.available_bytes()


def test_cli_refuses_a_batch_too_big_with_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    source = tmp_path / "batch.txt"
    source.write_text("\n".join(["short line"] * 255 + ["word " * 40_000]), encoding="utf-8")
    out = tmp_path / "map.npy"
    monkeypatch.setenv(ENV, "256M")
    assert main(["export", "--model", "all-minilm-l6-v2", "--file", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: memory: a batch of 256 sequences") and err.count("\n") == 1, err
    assert not out.exists()


def test_cli_refuses_export_all_to_json_before_running(tmp_path, capsys, monkeypatch):
    out = tmp_path / "all.json"
    monkeypatch.setenv(ENV, "64M")
    monkeypatch.setattr(models.Model, "run", lambda *a, **k: pytest.fail("ran before the export was checked"))
    text = "the cat sat on the mat " * 80  # ~480 tokens: 6·12 maps of 480² values
    assert main(["export", "--model", "all-minilm-l6-v2", "--text", text, "--all", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "as .json" in err and "--layer L --head H" in err and err.count("\n") == 1, err
    assert not out.exists()


# -- family 9: sessions -------------------------------------------------------------------------------------
def session_file(tmp_path: Path, name: str = "bad.json", **changes) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({**SESSION, **changes}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "options, field",
    [
        ({"temperature": "hot"}, "temperature"),
        ({"padding_mask": "yes"}, "padding-mask"),
        ({"mask": 5}, "mask"),
        ({"kv_heads": 0}, "kv-heads"),
        ({"kv_heads": 2.5}, "kv-heads"),
        ({"rope_theta": float("inf")}, "rope-theta"),
        ({"temperature": True}, "temperature"),
    ],
)
def test_every_option_value_is_checked_when_the_session_loads(tmp_path, options, field):
    with pytest.raises(ValueError, match=f'^bad.json: "options": {field}'):
        load_session(session_file(tmp_path, options=options))


@pytest.mark.parametrize(
    "content, words",
    [
        ("[" * 200_000, "nested more than"),
        ('{"format": "attention-explorer-session", "seq": ' + "9" * 5000 + "}", "not a readable session file"),
        (json.dumps({**SESSION, "texts": ["\ud800 lone"]}), '"texts"[0] holds a lone surrogate'),
        (json.dumps({**SESSION, "model": "\udfff"}), '"model" holds a lone surrogate'),
        (json.dumps({**SESSION, "device": "tpu"}), '"device" must be one of auto, cpu, cuda, mps'),
        (json.dumps({**SESSION, "device": ["cpu"]}), '"device" must be one of'),
    ],
)
def test_hostile_sessions_are_value_errors_naming_the_file_and_the_field(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as error:
        load_session(path)
    assert str(error.value).startswith("bad.json: ") and words in str(error.value)


def test_a_session_saved_with_an_empty_text_opens_again(tmp_path):
    """Found by the UI monkey: the editor emptied, the session saved, and the file then refused to open."""
    from explorer.core.session import save_session
    from explorer.core.state import SessionState

    path = tmp_path / "empty.json"
    save_session(path, SessionState(model="all-minilm-l6-v2", texts=["", "a second line"]))
    assert load_session(path).texts == ["", "a second line"]
    with pytest.raises(ValueError, match='"texts" must be a non-empty list of strings'):
        load_session(session_file(tmp_path, texts=[]))


def test_a_session_larger_than_the_cap_is_refused_unread(tmp_path):
    from explorer.core.session import MAX_BYTES

    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is written, nothing need be read
    with pytest.raises(ValueError, match="huge.json: .* too large for a session file"):
        load_session(path)


def test_a_session_is_data_and_never_code(tmp_path):
    marker = tmp_path / "PWNED"
    code = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    path = session_file(tmp_path, "code.json", model=code, texts=[code, "{{7*7}} ${7*7} `id`"], source_file=code)
    state = load_session(path)
    assert state.model == code and state.texts == [code, "{{7*7}} ${7*7} `id`"] and not marker.exists()
    # json is the only parser: no eval, exec, compile, pickle, marshal, yaml or literal_eval in the loader.
    tree = ast.parse((ROOT / "explorer" / "core" / "session.py").read_text(encoding="utf-8"))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names
    }
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    forbidden = {"eval", "exec", "compile", "pickle", "marshal", "yaml", "literal_eval", "__import__", "loads_code"}
    assert not names & forbidden and not imported & {"pickle", "marshal", "yaml", "ast"}
    assert "json" in names


# -- the GUI: refused batches, failed opens, options that do not fit the model -------------------------------
@pytest.fixture
def window(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path)
    yield window
    close(window)


def heatmap_matrix(window):
    return maps_of(window).view.heatmap.matrix


def test_a_batch_too_big_is_refused_with_a_dialog_and_the_previous_run_stays(qtbot, window, monkeypatch, tmp_path):
    workspace, before = window.workspace, window.workspace.run
    monkeypatch.setenv(ENV, "1K")  # every head of the layer at once: refused before any is computed
    maps_of(window).export.export_layer_to(tmp_path / "heads", ".csv")
    assert "memory: exporting 9 maps" in window.error_dialog.text() and not (tmp_path / "heads").exists()
    window.error_dialog.accept()
    monkeypatch.setenv(ENV, "128M")
    with qtbot.waitSignal(workspace.run_refused, timeout=60000) as refused:
        workspace.set_texts(["the cat sat on the mat " * 50] * 16, "batch.txt")
    message = refused.args[0]
    assert "a batch of 16 sequences" in message and "Back to Single Text" in message
    assert window.error_dialog.isVisible() and window.error_dialog.text() == message
    assert "a batch of 16" in window.statusBar().currentMessage()
    assert workspace.run is before and heatmap_matrix(window) is not None, "the previous run stays on screen"
    window.error_dialog.accept()
    wait_for_map(qtbot, window, lambda: qtbot.keyClick(maps_of(window).view.heatmap, Qt.Key_Right))
    assert maps_of(window).state.head == 1
    with qtbot.waitSignal(workspace.run_changed, timeout=60000):
        window.files.single_text()  # the way out the message names
    assert workspace.run.n_sequences == 1


def test_a_session_that_fails_to_open_changes_nothing(window, tmp_path):
    texts, options = list(window.workspace.state.texts), window.workspace.state.options
    for changes, words in (
        ({"options": {"temperature": "hot"}}, "temperature"),
        ({"options": {"padding_mask": "no"}}, "padding-mask"),
        ({"tools": {"maps": {"layer": "x"}}}, "tools.maps.layer"),
    ):
        path = session_file(tmp_path, texts=["the session's own text"], **changes)
        assert not window.files.open_path(str(path))
        assert window.error_dialog.isVisible() and words in window.error_dialog.text()
        window.error_dialog.accept()
        assert window.workspace.state.texts == texts and window.workspace.state.options == options
        assert window.shared.editor.toPlainText() == texts[0]


def test_kv_heads_that_do_not_divide_the_models_heads_fall_back_and_say_so(qtbot, window, tmp_path):
    path = session_file(tmp_path, "kv.json", texts=["a session with four kv heads"], options={"kv_heads": 4})
    with qtbot.waitSignal(window.workspace.run_changed, timeout=60000) as changed:
        assert window.files.open_path(str(path))
    run = changed.args[0]
    assert run.tokens[0][0] == "a" and run.kv_heads == 3, "the model's own 3 KV heads"
    assert window.workspace.state.options.kv_heads is None
    assert "kv-heads: 4 does not divide" in window.statusBar().currentMessage()


def test_a_session_whose_model_cannot_load_runs_its_text_on_the_current_model(qtbot, window, tmp_path):
    path = session_file(tmp_path, "elsewhere.json", model="no-such-model", texts=["text from elsewhere"])
    with qtbot.waitSignal(window.workspace.run_changed, timeout=60000) as changed:
        assert window.files.open_path(str(path))
    assert changed.args[0].tokens[0][:3] == ["text", " from", " elsewhere"]
    assert window.workspace.state.model == window.workspace.model.name == "smollm2-135m-instruct"
    assert "Could not load" in window.error_dialog.windowTitle() or "no-such-model" in window.error_dialog.text()
