"""docs/API.md's examples run as written: every ```python block, in order, in one namespace (issue 24 item 6)."""

import re
from pathlib import Path

import models

API = Path(__file__).resolve().parent.parent / "docs" / "API.md"


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def test_the_block_finder_finds_every_block():
    text = "a\n```python\nx = 1\n```\nb\n```\nnot python\n```\n```python\ny = 2\n```\n"
    assert python_blocks(text) == ["x = 1\n", "y = 2\n"]


def test_every_example_in_the_api_page_runs(share_loaded_models, capsys):
    """models.load gives the shared SmolLM2 (share_loaded_models); the examples' asserts check their results."""
    blocks = python_blocks(API.read_text(encoding="utf-8"))
    assert len(blocks) == 12  # capture, knockout, patching, logit lens, head scores, neuron view and QK geometry,
    # patching sweeps, attribution, forward, its gradient, queries and keys, generated runs
    namespace = {"__name__": "api_docs"}
    for number, code in enumerate(blocks, start=1):
        exec(compile(code, f"docs/API.md block {number}", "exec"), namespace)
    assert namespace["model"] is models.load("smollm2-135m-instruct", device="cpu")
    printed = capsys.readouterr().out
    assert "the most previous-token head" in printed
