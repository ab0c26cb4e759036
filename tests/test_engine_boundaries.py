"""Architecture rules: the engine never imports Qt or the app; devices and OOM fallback behave."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import models
from models.runtime.devices import resolve_device

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "explorer")


def test_models_package_has_no_gui_imports_in_source():
    offenders = []
    for path in (ROOT / "models").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_and_running_the_engine_loads_no_gui_module():
    code = (
        "import sys, models\n"
        "models.load('all-minilm-l6-v2', device='cpu').run('hi there').attention(0, 0)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_device_choice():
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto").type in ("cpu", "cuda", "mps")
    with pytest.raises(ValueError, match=r"device: unknown device 'tpu'"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match=r"device: 'cuda' is not available on this machine; available: cpu"):
            resolve_device("cuda")


def test_out_of_memory_on_an_accelerator_falls_back_to_cpu(minilm, monkeypatch):
    """Simulated: the model claims to be on CUDA and its first forward pass runs out of memory."""
    model = models.Model(minilm.name, minilm.config, minilm.module, minilm.tokenizer, minilm.source, "cpu")
    model.device = torch.device("cuda")
    real_forward = models.Model._forward
    calls = []

    def forward(self, *args):
        calls.append(self.device.type)
        if self.device.type == "cuda":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real_forward(self, *args)

    monkeypatch.setattr(models.Model, "_forward", forward)
    monkeypatch.setattr(torch.cuda, "empty_cache", lambda: None)
    run = model.run("the cat sat")
    assert calls == ["cuda", "cpu"]
    assert model.device.type == "cpu"
    assert any("ran out of memory" in w and "CPU" in w for w in run.warnings)
    assert run.attention(0, 0).shape == (5, 5)


def test_truncation_keeps_special_tokens_and_reports_the_count(minilm):
    run = minilm.run("word " * 600)
    assert len(run.ids[0]) == 512
    assert run.tokens[0][0] == "[CLS]" and run.tokens[0][-1] == "[SEP]"
    assert run.warnings == ["text: longer than the model's context of 512 tokens; dropped 90 tokens"]
