"""The seq2seq lab's models: task alignments checked by hand, captured attention against a recomputation,
reproducible losses, checkpoints, costs and refused settings. Short runs of tiny models with fixed seeds."""

import math

import numpy as np
import pytest
import torch

from models.lab.seq2seq import LabSettings, Trainer, alignment_accuracy, load_checkpoint, model_kv_costs
from models.lab.seq2seq.costs import grouping_costs
from models.lab.seq2seq.dates import DatesTask
from models.lab.seq2seq.tasks import SequenceTask, TaskData

TINY = {"layers": 2, "heads": 2, "d_model": 16, "batch_size": 8, "snapshot_every": 1000}


def positions(alignment):
    return [list(np.flatnonzero(row)) for row in alignment]


def test_copy_reverse_and_sort_know_their_alignment():
    copy = SequenceTask("copy", 5, 4, 1).parse("a b c")
    assert copy.target == ("a", "b", "c") and positions(copy.alignment) == [[0], [1], [2]]
    rev = SequenceTask("reverse", 5, 4, 1).parse("abc")
    assert rev.target == ("c", "b", "a") and positions(rev.alignment) == [[2], [1], [0]]
    sort = SequenceTask("sort", 5, 4, 1).parse("c a b a")
    # A repeated symbol may come from either source position that holds it.
    assert sort.target == ("a", "a", "b", "c") and positions(sort.alignment) == [[1, 3], [1, 3], [2], [0]]


@pytest.mark.parametrize(
    "text, year, month, day",
    [
        ("21 Nov 2026", [[7], [8], [9], [10]], [[3, 4, 5]] * 2, [[0], [1]]),
        ("November 21, 2026", [[13], [14], [15], [16]], [list(range(8))] * 2, [[9], [10]]),
        ("21/11/2026", [[6], [7], [8], [9]], [[3], [4]], [[0], [1]]),
        ("5/3/2026", [[4], [5], [6], [7]], [[2], [2]], [[0], [0]]),  # "5" → "05": both digits from the field
        ("Thu 5 Nov 2026", [[10], [11], [12], [13]], [[6, 7, 8]] * 2, [[4], [4]]),
    ],
)
def test_dates_map_day_month_and_year_back_to_their_source_characters(text, year, month, day):
    example = DatesTask(3).parse(text)
    assert "".join(example.target) == (
        "2026-11-21" if "21" in text else "2026-11-05" if "Nov" in text else "2026-03-05"
    )
    assert positions(example.alignment) == [*year, [], *month, [], *day]


def test_dates_refuse_what_is_not_a_date_they_know():
    for text in ("31/02/2026", "21 Nov", "Fri 5 Nov 2026", "", "21 Nov 1900"):
        with pytest.raises(ValueError, match="source"):
            DatesTask(3).parse(text)
    with pytest.raises(ValueError, match="source"):
        DatesTask(1).parse("2026/11/21")  # a difficulty-2 form


def test_sequence_input_is_checked():
    task = SequenceTask("copy", 4, 3, 1)
    for text in ("a b x", "a b c a b", "  "):
        with pytest.raises(ValueError, match="source"):
            task.parse(text)


def test_heldout_examples_never_appear_in_training():
    data = TaskData(SequenceTask("reverse", 3, 4, 3), seed=1, heldout_size=30)
    assert len(data.heldout) == 30 and len({e.key for e in data.heldout}) == 30
    assert not {e.key for e in data.batch(2000)} & data.heldout_keys
    dates = TaskData(DatesTask(2), seed=0, heldout_size=50)
    assert not {e.key for e in dates.batch(3000)} & dates.heldout_keys  # a held-out date in any form


def test_alignment_accuracy_counts_argmax_hits_per_head_and_for_the_head_mean():
    correct = np.eye(3, dtype=bool)
    right = np.eye(3) * 0.8 + 0.1  # argmax on the diagonal
    wrong = np.roll(np.eye(3), 1, axis=1) * 0.9 + 0.05  # argmax one column off
    maps = np.stack([right, wrong])[None]  # (L=1, H=2, 3, 3)
    score = alignment_accuracy([maps], [correct])
    assert score["best_head"] == 1.0
    assert score["mean"] == 0.0  # the averaged map peaks where the confident wrong head points
    unaligned = np.zeros((3, 3), dtype=bool)
    unaligned[0, 0] = True  # rows without a correct position are not counted
    assert alignment_accuracy([maps], [unaligned])["best_head"] == 1.0


def mha_reference(module, query, key, key_padding_mask=None, attn_mask=None):
    """Per-head weights (B, H, Nq, Nk) recomputed from the module's own in_proj weights."""
    d = module.embed_dim
    h = module.num_heads
    w, b = module.in_proj_weight.detach().double(), module.in_proj_bias.detach().double()
    q = query.double() @ w[:d].T + b[:d]
    k = key.double() @ w[d : 2 * d].T + b[d : 2 * d]
    split = lambda x: x.view(x.shape[0], x.shape[1], h, d // h).transpose(1, 2)  # noqa: E731
    scores = split(q) @ split(k).transpose(-1, -2) / math.sqrt(d // h)
    for mask, where in ((attn_mask, (None, None)), (key_padding_mask, (slice(None), None, None))):
        if mask is None:
            continue
        if mask.dtype == torch.bool:  # True: hidden
            mask = torch.zeros(mask.shape, dtype=torch.float64).masked_fill(mask, float("-inf"))
        scores = scores + (mask.double()[None, None] if where[0] is None else mask.double()[:, None, None, :])
    return torch.softmax(scores, dim=-1)


def test_captured_transformer_attention_equals_a_recomputation_from_in_proj_weights():
    trainer = Trainer(LabSettings(system="transformer", task="reverse", difficulty=3, length=6, **TINY))
    for _ in trainer.train(3):
        pass
    model = trainer.model.eval()
    inputs = {}

    def remember(module, args, kwargs):
        inputs.setdefault(id(module), []).append((args, kwargs))

    handles = [m.register_forward_pre_hook(remember, with_kwargs=True) for _, m in model.attention_modules()]
    batch = trainer.data.heldout[:6]  # lengths differ: padding masks matter
    sources, targets = trainer._ids(batch)
    from models.lab.seq2seq.systems import pad

    maps = model.attention(pad(sources), pad([[1, *t] for t in targets]))
    for handle in handles:
        handle.remove()
    layer_of = {"encoder": 0, "decoder": 0, "cross": 0}
    for kind, module in model.attention_modules():
        (query, key, _value), kwargs = inputs[id(module)][0]
        expected = mha_reference(module, query, key, kwargs.get("key_padding_mask"), kwargs.get("attn_mask"))
        got = maps[kind][:, layer_of[kind]].double()
        layer_of[kind] += 1
        assert got.shape == expected.shape
        assert torch.allclose(got, expected, atol=1e-6), kind
    assert maps["encoder"].shape[1:3] == (2, 2)  # (B, L, H, S, S)


def test_every_system_and_score_gives_the_same_losses_for_the_same_seed():
    for system, score in (("transformer", "additive"), ("gru", "additive"), ("gru", "concat"), ("gpt", "dot")):
        settings = LabSettings(system=system, task="copy", score=score, length=4, kv_heads=1, **TINY)
        first, second = Trainer(settings), Trainer(settings)
        a = [e.loss for e in first.train(4)]
        torch.manual_seed(123)  # the global random state does not matter
        b = [e.loss for e in second.train(4)]
        assert a == b, system
        other = [e.loss for e in Trainer(settings.replace(seed=1)).train(4)]
        assert other != a, system


def test_training_resumes_where_it_paused_with_the_same_losses():
    settings = LabSettings(system="gpt", task="copy", length=4, **TINY)
    whole = [e.loss for e in Trainer(settings).train(6)]
    paused = Trainer(settings)
    part = [e.loss for e in paused.train(2)] + [e.loss for e in paused.train(4)]
    assert part == whole and paused.step == 6


def test_save_and_load_give_the_same_outputs_and_maps(tmp_path):
    for system in ("transformer", "gru", "gpt"):
        trainer = Trainer(LabSettings(system=system, task="dates", **TINY))
        for _ in trainer.train(3):
            pass
        path = tmp_path / f"{system}.safetensors"
        trainer.save(path)
        assert (tmp_path / f"{system}.json").is_file()
        loaded = load_checkpoint(path)
        assert loaded.step == 3 and loaded.losses == trainer.losses and loaded.settings == trainer.settings
        text = trainer.heldout_examples(2)[1]
        before, after = trainer.translate(text), loaded.translate(text)
        assert before.output == after.output
        for kind in before.attention:
            np.testing.assert_array_equal(before.attention[kind], after.attention[kind])


def test_a_damaged_or_foreign_checkpoint_is_refused(tmp_path):
    with pytest.raises(ValueError, match="load"):
        load_checkpoint(tmp_path / "missing.safetensors")
    (tmp_path / "x.safetensors").write_bytes(b"not weights")
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(ValueError, match="load"):
        load_checkpoint(tmp_path / "x.safetensors")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"heads": 3, "d_model": 16}, "heads"),
        ({"heads": 4, "kv_heads": 3}, "kv_heads"),
        ({"length": 0}, "length"),
        ({"task": "translate"}, "task"),
        ({"system": "lstm"}, "system"),
        ({"score": "cosine"}, "score"),
        ({"lr": float("nan")}, "lr"),
        ({"positions": "rope"}, "positions"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(changes, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        LabSettings(**changes).check()
    with pytest.raises(ValueError, match=f"^{field}:"):
        Trainer(LabSettings(**changes))


def test_settings_survive_json_and_unknown_fields_are_refused():
    settings = LabSettings(system="gpt", kv_heads=2)
    assert LabSettings.from_json(settings.to_json()) == settings
    with pytest.raises(ValueError, match="unknown"):
        LabSettings.from_json({**settings.to_json(), "colour": 1})


def test_snapshots_have_the_documented_shapes_and_rows():
    for system in ("transformer", "gru", "gpt"):
        trainer = Trainer(LabSettings(system=system, task="reverse", length=5, **TINY))
        snap = trainer.translate("a b c d")
        s, t = len(snap.source), len(snap.output)
        expected = {
            "transformer": {"encoder": (2, 2, s, s), "decoder": (2, 2, t, t), "cross": (2, 2, t, s)},
            "gru": {"cross": (1, 1, t, s)},
            "gpt": {"self": (2, 2, s + 1 + t, s + 1 + t), "cross": (2, 2, t, s)},
        }[system]
        assert {k: v.shape for k, v in snap.attention.items()} == expected
        for kind, maps in snap.attention.items():
            assert maps.dtype == np.float32 and np.isfinite(maps).all()
            if system == "gpt" and kind == "cross":
                np.testing.assert_array_equal(maps, snap.attention["self"][:, :, s : s + t, :s])
            else:
                np.testing.assert_allclose(maps.sum(-1), 1.0, atol=1e-5)
        assert snap.target == ["d", "c", "b", "a"]


def test_kv_costs_follow_the_cache_formula_and_parameter_counts():
    rows = model_kv_costs(30, 9, 3, 64, 2, 2048, d_model=576)  # SmolLM2-135M's shape in bfloat16
    assert [(r["grouping"], r["kv_heads"], r["model"]) for r in rows] == [
        ("MHA", 9, False), ("GQA", 3, True), ("MQA", 1, False),
    ]  # fmt: skip
    assert rows[1]["kv_cache_bytes_per_token"] == 2 * 30 * 3 * 64 * 2
    assert rows[1]["kv_cache_bytes"] == 2 * 30 * 3 * 64 * 2 * 2048
    assert rows[0]["kv_parameters"] == 2 * 30 * 576 * 9 * 64
    with pytest.raises(ValueError, match="kv_heads"):
        model_kv_costs(2, 4, 3, 8, 4, 16)
    lab = grouping_costs(LabSettings(system="gpt", task="copy", **{**TINY, "heads": 4}))
    d_head, layers = 4, 2
    # K and V projections (weights and biases) of 4 heads against 1: what MQA saves.
    assert lab[0]["parameters"] - lab[-1]["parameters"] == layers * 2 * (4 - 1) * d_head * (16 + 1)
    assert [r["kv_cache_bytes_per_token"] for r in lab] == [2 * layers * g * d_head * 4 for g in (4, 2, 1)]


def test_gru_alignment_rows_equal_the_textbook_scores_recomputed_step_by_step():
    from torch.nn import functional as F

    from models.lab.seq2seq.systems import pad

    for score in ("additive", "dot", "general", "concat"):
        trainer = Trainer(LabSettings(system="gru", task="reverse", score=score, length=5, difficulty=3, **TINY))
        model = trainer.model.eval()
        sources, targets = trainer._ids(trainer.data.heldout[:4])
        source, decoder_in = pad(sources), pad([[1, *t] for t in targets])
        got = model.attention(source, decoder_in)["cross"][:, 0, 0]  # (B, T, S)
        with torch.no_grad():
            memory, state = model.encode(source)
            inputs = model.embed(decoder_in)
            hidden = None if score == "additive" else model.decoder(inputs, state[None])[0]
            for t in range(decoder_in.shape[1]):
                if score == "additive":  # Bahdanau: vᵀ tanh(W s_{t-1} + U h_j), then the GRU step
                    w, u, v = model.score.w_query.weight, model.score.w_key.weight, model.score.v.weight
                    e = (torch.tanh((state @ w.T)[:, None] + memory @ u.T) @ v.T)[..., 0]
                else:
                    h = hidden[:, t]
                    if score == "dot":
                        e = torch.einsum("bd,bsd->bs", h, memory)
                    elif score == "general":
                        e = torch.einsum("bd,bsd->bs", h, memory @ model.score.w.weight.T)
                    else:  # Luong's concat: vᵀ tanh(W_a [h_t; h_s]), W_a as its query and key halves (+ bias)
                        w_q, w_k = model.score.w_query.weight, model.score.w_key.weight
                        mixed = torch.tanh((h @ w_q.T)[:, None] + memory @ w_k.T + model.score.w_key.bias)
                        e = (mixed @ model.score.v.weight.T)[..., 0]
                expected = F.softmax(e.masked_fill(source == 0, float("-inf")), dim=-1)
                assert torch.allclose(got[:, t], expected, atol=1e-6), (score, t)
                if score == "additive":
                    context = torch.einsum("bs,bsd->bd", expected, memory)
                    state = model.cell(torch.cat([inputs[:, t], context], dim=-1), state)


def test_gpt_self_attention_equals_softmax_of_its_own_projections():
    trainer = Trainer(LabSettings(system="gpt", task="copy", length=4, kv_heads=1, **TINY))
    for _ in trainer.train(2):
        pass
    model = trainer.model.eval()
    seen = []
    handles = [b.attn.register_forward_pre_hook(lambda m, a: seen.append(a[0].detach())) for b in model.blocks]
    ids = torch.tensor([[4, 5, 6, 4, 3, 4, 5, 6]])
    maps = model.maps(ids)[0].double()  # (L, H, N, N)
    for handle in handles:
        handle.remove()
    for layer, (block, x) in enumerate(zip(model.blocks, seen)):
        qkv = (x.double() @ block.attn.qkv.weight.double().T + block.attn.qkv.bias.double())[0]  # (N, (H+2)·d)
        d = 8  # d_model 16 / 2 heads; one KV head shared by both query heads (MQA)
        k = qkv[:, 2 * d : 3 * d]
        for head in range(2):
            q = qkv[:, head * d : (head + 1) * d]
            scores = (q @ k.T) / math.sqrt(d)
            scores = scores.masked_fill(torch.ones(8, 8).triu(1).bool(), float("-inf"))
            assert torch.allclose(maps[layer, head], torch.softmax(scores, dim=-1), atol=1e-5), (layer, head)
