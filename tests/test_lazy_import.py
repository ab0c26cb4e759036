"""`import models` is cheap: public names load on first use (PEP 562), and the option modules never need torch."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import models

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = [
    "load",
    "catalogue",
    "CatalogueEntry",
    "Model",
    "ModelSource",
    "Run",
    "Timings",
    "RunOptions",
    "parse_ablate",
    "parse_mask",
    "TransformerConfig",
    "HookPoint",
    "hook_names",
    "available_devices",
    "Cancelled",
    "ModelLoadError",
    "NumericalError",
    "UnsafeCheckpointError",
    "UnsupportedArchitectureError",
    "weighted_attention",
    "weighted_layer_attention",
]


def imported_after(statement: str) -> set[str]:
    """Top-level packages in sys.modules after running `statement` in a fresh interpreter."""
    code = f"import sys\n{statement}\nprint(sorted({{name.split('.')[0] for name in sys.modules}}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(ast.literal_eval(result.stdout.strip()))


@pytest.mark.parametrize("module", ["models", "models.options", "models.errors", "models.nn.config"])
def test_light_modules_do_not_import_torch(module):
    loaded = imported_after(f"import {module}")
    assert "models" in loaded
    assert "torch" not in loaded and "numpy" not in loaded


def test_the_option_names_a_parser_needs_come_without_torch():
    loaded = imported_after(
        "from models.options import DEVICE_CHOICES, POS_CHOICES, RunOptions, attention_kind, divisors\n"
        "import models\nmodels.RunOptions.from_dict({'kv_heads': 2}); models.parse_mask('causal')"
    )
    assert "torch" not in loaded


def test_the_engine_loads_on_first_use():
    assert "torch" in imported_after("import models\nmodels.Model")


def test_every_public_name_resolves_and_is_listed():
    assert sorted(models.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        value = getattr(models, name)
        assert getattr(value, "__name__", None) == name
        assert name in dir(models)
    from models.runtime.model import Model

    assert models.Model is Model
    assert issubclass(models.UnsupportedArchitectureError, models.ModelLoadError)


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="module 'models' has no attribute 'nothing_here'"):
        models.nothing_here  # noqa: B018
    assert not hasattr(models, "Attention")


def test_device_choices_live_in_options_and_devices_keeps_the_name():
    from models.options import DEVICE_CHOICES
    from models.runtime import devices

    assert DEVICE_CHOICES == ("auto", "cpu", "cuda", "mps")
    assert devices.DEVICE_CHOICES is DEVICE_CHOICES
    with pytest.raises(ValueError, match=r"allowed: auto, cpu, cuda, mps"):
        devices.resolve_device("tpu")


@pytest.mark.parametrize("package", ["nn", "runtime", "io"])
def test_subpackage_inits_import_nothing(package):
    tree = ast.parse((ROOT / "models" / package / "__init__.py").read_text())
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
