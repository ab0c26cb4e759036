"""Shared fixtures. Environment first: nothing may touch the user's caches, settings or network."""

import atexit
import os
import shutil
import tempfile

_SANDBOX = tempfile.mkdtemp(prefix="attention-explorer-tests-")
# Removed at exit: it holds a 540 MB dequantized SmolLM2, and every run used to leave one behind in /tmp.
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)
# The dequantized-weights cache: one per test session, so first loads (of the tiny GGUF files tests build) are
# exercised too. The shipped SmolLM2's entry comes from the store kept between runs (persistent_cache.py).
os.environ["ATTENTION_EXPLORER_CACHE"] = os.path.join(_SANDBOX, "cache")
# An empty Hugging Face cache: the catalogue must not pick up whatever the developer downloaded.
os.environ["HF_HUB_CACHE"] = os.path.join(_SANDBOX, "hf-hub")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # One torch thread per worker (and per command it starts): workers share the cores, not each one all of them.
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["MKL_NUM_THREADS"] = "1"

import pytest  # noqa: E402
import torch  # noqa: E402
from persistent_cache import bring_in_shipped_entries, keep_shipped_entries, reference_folder  # noqa: E402
from shared_models import SharedModels, run_main, shared_model, sharing_load  # noqa: E402

import models  # noqa: E402

torch.manual_seed(0)
if os.environ.get("PYTEST_XDIST_WORKER"):
    torch.set_num_threads(1)
# Registered after the sandbox's removal, so it runs before it: a SmolLM2 entry built here is kept for next time.
atexit.register(keep_shipped_entries, bring_in_shipped_entries())


@pytest.fixture(scope="session")
def sandbox() -> str:
    return _SANDBOX


@pytest.fixture(scope="session", autouse=True)
def unsaved_lab_training_is_discarded_on_close():
    """A window closed with lab training not yet saved asks Save / Discard / Cancel in a modal box, and nobody
    answers it in a test: the run would hang (module-scoped windows close after every test's monkeypatch is
    undone). The box is answered Discard; tests of the question itself monkeypatch their own answer."""
    from explorer.gui.tools.seq2seq import checkpoints

    asked = checkpoints.ask_to_save
    checkpoints.ask_to_save = lambda parent, steps: "discard"
    yield
    checkpoints.ask_to_save = asked


@pytest.fixture(scope="session")
def minilm():
    return shared_model("all-minilm-l6-v2")


@pytest.fixture(scope="session")
def smollm():
    return shared_model("smollm2-135m-instruct")


@pytest.fixture(scope="session")
def shared_models():
    """The shipped models by name, loaded once per process: `build_window(preloaded=shared_models)`."""
    return SharedModels()


@pytest.fixture(scope="session")
def tiny_causal_lm(tmp_path_factory):
    """A random 2-layer llama (8 query heads on 2 KV heads) with a 2,048-token context, from a folder on disk:
    for tests of logic that holds for any causal model (reuse, variants), each keeping one SmolLM2 case."""
    from builders import write_hf_model

    folder = tmp_path_factory.mktemp("tiny-causal-lm")
    write_hf_model(folder, "llama", max_position_embeddings=2048)
    return models.load(str(folder), device="cpu")


@pytest.fixture
def fresh_weight_cache(tmp_path, monkeypatch):
    """An empty weight cache for this test alone. The cache is keyed by file content, and the tiny GGUF files the
    builders write are seeded, so a test that needs a first load (dequantizing, the converter registry) must not
    find the entry another test's identical file left in the session's cache."""
    from models.io.weight_cache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "weight-cache"))
    return tmp_path / "weight-cache"


@pytest.fixture
def share_loaded_models(monkeypatch):
    """models.load hands out the shared shipped models on the CPU (the same objects as `smollm`, `minilm`);
    any other path or device loads as usual. For tests that only read the model they load."""
    monkeypatch.setattr(models, "load", sharing_load)


@pytest.fixture
def main_in_process():
    """`main.py ARGS` run in this process: main_in_process(*args) -> returncode, stdout, stderr."""
    return run_main


@pytest.fixture(scope="session")
def hf_minilm(minilm):
    from transformers import AutoModel

    return AutoModel.from_pretrained(minilm.source.path, attn_implementation="eager").eval()


@pytest.fixture(scope="session")
def hf_smollm(smollm):
    """transformers' own reading of the same GGUF file: an independent dequantization and Q/K unpermute."""
    from pathlib import Path

    from transformers import AutoModelForCausalLM

    gguf = Path(smollm.source.path)
    kept = reference_folder(gguf, "causal-lm")
    model = read_kept_reference(kept)
    if model is None:
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, attn_implementation="eager")
        keep_reference(model, kept)
    return model.eval()


def read_kept_reference(kept):
    """transformers' own model of SmolLM2 as a previous run kept it (its dequantization takes a minute), or None."""
    from safetensors.torch import load_model
    from transformers import AutoConfig, AutoModelForCausalLM

    if not (kept / "model.safetensors").exists():
        return None
    try:
        model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(kept), attn_implementation="eager")
        load_model(model, kept / "model.safetensors")  # strict: every weight, or an error
        return model
    except (OSError, ValueError, RuntimeError):
        shutil.rmtree(kept, ignore_errors=True)
        return None


def keep_reference(model, kept) -> None:
    """Keep transformers' weights as transformers computed them, for the next run (save_pretrained refuses a
    model read from GGUF, so its config and weights are written directly)."""
    import json

    from safetensors.torch import save_model

    partial = kept.with_name(f"{kept.name}.partial-{os.getpid()}")
    try:
        partial.mkdir(parents=True)
        config = model.config.to_dict()
        config.pop("quantization_config", None)
        (partial / "config.json").write_text(json.dumps(config))
        save_model(model, str(partial / "model.safetensors"))
        partial.rename(kept)
    except (OSError, ValueError, RuntimeError):
        shutil.rmtree(partial, ignore_errors=True)


@pytest.fixture(scope="session")
def hf_smollm_tokenizer(smollm):
    from pathlib import Path

    from transformers import AutoTokenizer

    gguf = Path(smollm.source.path)
    return AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)


# -- the `slow` marker: `make test` runs everything, `make test-fast` (-m "not slow") skips these ------------

REAL_MODEL_FIXTURES = {"smollm", "minilm", "hf_smollm", "hf_minilm", "hf_smollm_tokenizer", "shared_models"}
REAL_MODEL_FIXTURES |= {"share_loaded_models", "main_in_process"}
# A module with one of these names opens windows on SmolLM2 or runs commands on the shipped models.
REAL_MODEL_HELPERS = {"open_window", "run_main", "cli", "cli_subprocess", "SharedModels"}


def pytest_collection_modifyitems(config, items):
    """Mark slow every test that needs a real shipped model: by the fixtures it asks for, or by the helpers its
    module uses. Tests marked slow by hand stay so."""
    slow = pytest.mark.slow
    for item in items:
        module = getattr(item, "module", None)
        uses_helpers = module is not None and any(hasattr(module, name) for name in REAL_MODEL_HELPERS)
        if uses_helpers or REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(slow)
