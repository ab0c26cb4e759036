"""Gemma 3 270M, the shipped GGUF, against transformers' own reading of the same file (Gemma3ForCausalLM, eager
attention): every layer and head within 1e-4 on English, Chinese and a text longer than the 512-token window,
the next-token distribution within 1e-4, and the tokenizer's ids equal to transformers' for every text."""

from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import keep_reference, read_kept_reference
from persistent_cache import reference_folder
from reference import worst_difference
from shared_models import shared_model

pytestmark = pytest.mark.slow

TOLERANCE = 1e-4
ENGLISH = "The cat sat on the mat because it was tired, and then it slept until the evening."
CHINESE = "猫坐在垫子上，因为它累了。"
ANIMALS = ("fox", "owl", "cat", "bear", "wolf", "hare", "crow")
COLOURS = ("red", "blue", "grey", "gold", "green")
THINGS = ("boat", "lamp", "kite")


def long_text(sentences: int) -> str:
    """Plain English of about 13 tokens per sentence, varied enough that no head sees one token repeated."""
    return " ".join(
        f"In chapter {i} the {ANIMALS[i % 7]} found a {COLOURS[i % 5]} {THINGS[i % 3]} near the river."
        for i in range(sentences)
    )


LONG = long_text(38)  # about 560 tokens: the local layers' window cuts in for the last 50 rows


@torch.no_grad()
def reference_pass(hf_model, ids) -> tuple[np.ndarray, np.ndarray]:
    """transformers' attentions [L, 1, H, N, N] and next-token probabilities [V], from one eager forward pass."""
    out = hf_model(torch.tensor(ids), output_attentions=True, logits_to_keep=1)  # the LM head on the last row only
    attentions = np.stack([a.numpy() for a in out.attentions])
    return attentions, torch.softmax(out.logits[0, -1], dim=-1).numpy()


@pytest.fixture(scope="module")
def gemma():
    from models.io.catalogue import SHIPPED

    if not any(s.name == "gemma-3-270m" for s in SHIPPED):
        pytest.fail("gemma-3-270m is not in the catalogue")
    return shared_model("gemma-3-270m")


@pytest.fixture(scope="module")
def hf_gemma(gemma):
    """transformers' own reading of the same GGUF: its own dequantization, norms (w - 1, then 1 + w) and masks."""
    from transformers import Gemma3ForCausalLM

    gguf = Path(gemma.source.path)
    kept = reference_folder(gguf, "causal-lm")
    model = read_kept_reference(kept)
    if model is None:
        model = Gemma3ForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, attn_implementation="eager", torch_dtype=torch.float32
        )
        keep_reference(model, kept)
    return model.eval()


@pytest.fixture(scope="module")
def hf_gemma_tokenizer(gemma):
    """transformers' tokenizer for the file (GemmaTokenizer from the GGUF vocabulary), kept as tokenizer.json
    between runs: building it takes half a minute."""
    from tokenizers import Tokenizer

    gguf = Path(gemma.source.path)
    kept = reference_folder(gguf, "tokenizer") / "tokenizer.json"
    if not kept.exists():
        from transformers import AutoTokenizer

        backend = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name).backend_tokenizer
        kept.parent.mkdir(parents=True, exist_ok=True)
        backend.save(str(kept))
    return Tokenizer.from_file(str(kept))


def test_the_catalogue_lists_gemma_with_its_shape(gemma):
    assert gemma.config.architecture == "gemma3" and gemma.config.n_layers == 18
    assert gemma.layer_kinds == ["global" if (layer + 1) % 6 == 0 else "local 512" for layer in range(18)]


@pytest.mark.parametrize("text", [ENGLISH, CHINESE, LONG, "  two  spaces\n\nx 12345 <start_of_turn>user hi", "Ünï 🙂"])
def test_token_ids_equal_transformers(gemma, hf_gemma_tokenizer, text):
    ours = gemma.tokenizer.encode([text]).ids[0]
    assert ours == hf_gemma_tokenizer.encode(text).ids


def test_chinese_comes_out_as_words(gemma):
    run = gemma.run(CHINESE)
    assert run.tokens[0] == ["<bos>", "猫", "坐在", "垫", "子上", "，", "因为它", "累", "了", "。"]


@pytest.mark.parametrize("text", [ENGLISH, CHINESE])
def test_every_head_and_the_next_token_match_transformers(gemma, hf_gemma, text):
    run = gemma.run(text)
    reference, theirs = reference_pass(hf_gemma, run.ids)
    assert reference.shape == (18, 1, 4, len(run.ids[0]), len(run.ids[0]))
    worst = worst_difference(run, reference)
    ours = torch.softmax(torch.as_tensor(run.next_token_logits()), dim=-1).numpy()
    print(f"Gemma 3 worst |Δ| maps {worst:.3g}, next-token probabilities {np.abs(ours - theirs).max():.3g}")
    assert worst <= TOLERANCE
    assert np.abs(ours - theirs).max() <= TOLERANCE


def test_every_head_matches_transformers_beyond_the_window(gemma, hf_gemma):
    run = gemma.run(LONG)
    n = len(run.ids[0])
    assert n > 540
    reference, theirs = reference_pass(hf_gemma, run.ids)
    worst = worst_difference(run, reference)
    ours = torch.softmax(torch.as_tensor(run.next_token_logits()), dim=-1).numpy()
    print(f"Gemma 3 at {n} tokens: worst |Δ| {worst:.3g}, next-token probabilities {np.abs(ours - theirs).max():.3g}")
    assert worst <= TOLERANCE
    assert np.abs(ours - theirs).max() <= TOLERANCE
    # The window matters here: a local layer's last row leaves the first keys out; a global layer's does not.
    assert reference[0, 0, :, -1, : n - 512].max() == 0.0
    assert reference[5, 0, :, -1, : n - 512].max() > 0.0


def test_hook_points_follow_qk_norm_and_each_layers_rope(gemma):
    plain = gemma.run(ENGLISH)
    hooked = gemma.run(ENGLISH, capture=["blocks.0.attn.hook_pattern", "blocks.5.attn.hook_pattern"])
    for layer in (0, 5):  # a local layer (θ 10,000) and a global one (θ 1e6)
        pattern = hooked.activation(f"blocks.{layer}.attn.hook_pattern", 0)  # (H, N, N)
        assert np.abs(np.asarray(pattern) - plain.layer_attention(layer)).max() <= 1e-5
    assert np.abs(hooked.next_token_logits() - plain.next_token_logits()).max() <= 1e-3


def test_a_local_layer_is_zero_outside_its_band_and_a_global_layer_is_not(gemma):
    run = gemma.run(long_text(68))
    n = len(run.ids[0])
    assert n >= 1000
    rows, keys = np.indices((n, n))
    outside = rows - keys >= 512  # causal cells beyond the window
    local, visible = run.attention_and_visibility(0, 0)
    assert local[outside].max() == 0.0 and not visible[outside].any()
    assert np.array_equal(run.visible(0, layer=0), visible)
    global_ = run.attention(5, 0)
    assert global_[outside].sum() > 1.0 and run.visible(0, layer=5)[outside].all()
    assert run.layer_kinds[:6] == ["local 512"] * 5 + ["global"]


def test_every_layer_can_be_switched_to_global_on_the_same_weights(gemma):
    run = gemma.run(LONG, mask="causal")
    n = len(run.ids[0])
    outside = np.subtract.outer(np.arange(n), np.arange(n)) >= 512
    assert set(run.layer_kinds) == {"global"}
    assert run.attention(0, 0)[outside].sum() > 0.0 and run.visible(0, layer=0)[outside].all()


def test_a_text_longer_than_the_context_is_truncated_with_a_warning(gemma):
    batch = gemma.tokenizer.encode(["word " * 33_000])
    assert len(batch.ids[0]) == 32_768
    assert "longer than the model's context of 32768 tokens" in batch.warnings[0]
