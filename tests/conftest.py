"""Shared fixtures. Environment first: nothing may touch the user's caches, settings or network."""

import atexit
import os
import shutil
import tempfile

_SANDBOX = tempfile.mkdtemp(prefix="attention-explorer-tests-")
# Removed at exit: it holds a 540 MB dequantized SmolLM2, and every run used to leave one behind in /tmp.
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)
# The dequantized-weights cache: one per test session, so the first SmolLM2 load is exercised too.
os.environ["ATTENTION_EXPLORER_CACHE"] = os.path.join(_SANDBOX, "cache")
# An empty Hugging Face cache: the catalogue must not pick up whatever the developer downloaded.
os.environ["HF_HUB_CACHE"] = os.path.join(_SANDBOX, "hf-hub")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_CONFIG_HOME"] = os.path.join(_SANDBOX, "config")

import pytest  # noqa: E402
import torch  # noqa: E402

import models  # noqa: E402

torch.manual_seed(0)


@pytest.fixture(scope="session")
def sandbox() -> str:
    return _SANDBOX


@pytest.fixture(scope="session")
def minilm():
    return models.load("all-minilm-l6-v2", device="cpu")


@pytest.fixture(scope="session")
def smollm():
    return models.load("smollm2-135m-instruct", device="cpu")


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
    return AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, attn_implementation="eager").eval()


@pytest.fixture(scope="session")
def hf_smollm_tokenizer(smollm):
    from pathlib import Path

    from transformers import AutoTokenizer

    gguf = Path(smollm.source.path)
    return AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
