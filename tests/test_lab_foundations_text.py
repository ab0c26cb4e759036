"""The foundations lab's text pages: BPE merge by merge against `tokenizers`, the attentive classifier, the CLI."""

import json
from pathlib import Path

import numpy as np
import pytest

from explorer.cli.main import main
from models.lab.foundations import bpe
from models.lab.foundations.classifier import ClassifierSettings, ClassifierTrainer
from models.lab.foundations.cue_task import NEGATION, POSITIVE, CueTask

CORPORA = Path(__file__).resolve().parent.parent / "resources" / "corpora"
WORDS = ["lowest", "unbelievable", "Attention", " explorer", "tokenization123", "注意力机制", "naïve", "🙂ok"]


def encoded(tokenizer, word):
    return tokenizer.encode(word, add_special_tokens=False).tokens


@pytest.mark.parametrize("word", WORDS)
def test_smollm_words_are_built_merge_by_merge_to_what_tokenizers_encodes(smollm, word):
    explanation = bpe.explain_word(smollm, word)
    assert explanation.algorithm == "BPE"
    assert explanation.tokens == encoded(smollm.tokenizer.backend, word)
    ranks = [step.rank for step in explanation.steps if step.merge is not None]
    for step in explanation.steps:
        if step.merge is not None:
            assert "".join(step.merge) in step.symbols
    assert all(r >= 0 for r in ranks)


@pytest.mark.parametrize("word", WORDS)
def test_byte_level_pieces_are_shown_as_the_characters_they_stand_for(smollm, word):
    """Issue 21 item 13: 注意力 was shown as 'æ³¨æĦıåĬĽ'. The readable form labels each piece as the maps do:
    the engine's own token labels (read in context) for the same ids, and the whole text for each part."""
    explanation = bpe.explain_word(smollm, word)
    shown = explanation.readable()
    ids = smollm.tokenizer.backend.encode(word, add_special_tokens=False).ids
    assert shown.tokens == smollm.tokenizer.labels(ids)
    assert "".join(shown.parts) == word
    merges = [step for step in shown.steps if step.merge is not None]
    assert len(merges) == len([step for step in explanation.steps if step.merge is not None])
    for step in shown.steps:
        assert not any(char in piece for piece in step.symbols for char in "ĠæĦĬĽ")


def test_the_cli_explains_a_chinese_word_in_characters(capsys, share_loaded_models):
    corpus = str(CORPORA / "bpe_zh.txt")
    assert main(["lab", "bpe", "--corpus", corpus, "--word", "注意力", "--model", "smollm2-135m-instruct"]) == 0
    out = capsys.readouterr().out
    assert "注(1/3) 注(2/3) 注(3/3) 意(1/3)" in out and "力(1/3) + 力(2/3)" in out and "æ" not in out


@pytest.mark.parametrize("word", ["lowest", "Unbelievable", "tokenization", "naïve", "注意力", "hello, world"])
def test_minilm_wordpiece_is_explained_by_longest_match(minilm, word):
    explanation = bpe.explain_word(minilm, word)
    assert explanation.algorithm == "WordPiece"
    assert explanation.tokens == encoded(minilm.tokenizer.backend, word)


@pytest.mark.parametrize("corpus", ["bpe_en.txt", "bpe_zh.txt"])
def test_a_trained_tokenizer_is_replayed_exactly_and_segment_matches_it(corpus):
    text = (CORPORA / corpus).read_text(encoding="utf-8")
    tokenizer = bpe.train_tokenizer(text, 120)
    merges = bpe.merge_list(tokenizer)
    assert 0 < len(merges) <= 120 and merges == bpe.learn_merges(text, 120)
    words = bpe._words(text)
    full = bpe.segment(text, merges, len(merges))
    for word, pieces in list(zip(words, full))[::7]:
        assert bpe.explain_word(tokenizer, word).tokens == encoded(tokenizer, word) == pieces
    assert bpe.segment(text, merges, 0) == [list(w) for w in words]
    n = len(merges)
    counts = [sum(map(len, bpe.segment(text, merges, k))) for k in (0, n // 3, 2 * n // 3, n)]
    assert counts == sorted(counts, reverse=True) and counts[-1] < counts[0]
    with pytest.raises(ValueError, match="k"):
        bpe.segment(text, merges, len(merges) + 1)


def test_explain_word_from_a_tokenizer_json_and_bad_input():
    tokenizer = bpe.train_tokenizer("low lower lowest newer newest widest", 10)
    steps = bpe.explain_word(tokenizer.to_str(), "lowest").steps
    assert steps[0].symbols == list("lowest") and steps[0].merge is None
    assert "".join(steps[-1].symbols) == "lowest"
    with pytest.raises(ValueError, match="word"):
        bpe.explain_word(tokenizer, "  ")
    with pytest.raises(ValueError, match="corpus"):
        bpe.learn_merges("   ", 10)


def test_the_cue_task_knows_its_cues_and_labels():
    task = CueTask(seed=5)
    for example in task.heldout(200):
        cue = example.words[example.cue_positions[-1]]
        negated = len(example.cue_positions) == 2
        assert negated == (example.words[example.cue_positions[0]] == NEGATION)
        assert example.label == int((cue in POSITIVE) != negated)
    heldout = {e.words for e in task.heldout(200)}
    assert not heldout & {e.words for e in task.batch(500, frozenset(heldout))}


def test_a_short_classifier_run_learns_above_chance_and_attends_to_the_cues():
    trainer = ClassifierTrainer(ClassifierSettings(seed=1, heldout=200, eval_every=60))
    events = list(trainer.train(120))
    assert [e.step for e in events] == list(range(1, 121)) and events[-1].accuracy is not None
    accuracy, mass = trainer.evaluate()
    assert accuracy > 0.9 and mass > 0.5  # chance: 0.5, and a uniform α puts ~0.15 on the cues
    words, alpha = trainer.attention("the plot was NOT good")
    assert words[3] == "not" and alpha.shape == (5,) and alpha.sum() == pytest.approx(1.0, abs=1e-5)
    words, weights, examples = trainer.batch_attention(4)
    assert weights.shape == (4, max(map(len, words)))
    for row, w in zip(weights, words):
        assert row[: len(w)].sum() == pytest.approx(1.0, abs=1e-5) and not row[len(w) :].any()
    with pytest.raises(ValueError, match="lr"):
        ClassifierTrainer(ClassifierSettings(lr=-1.0))


def test_cli_pooling_positions_scores(tmp_path, capsys):
    assert (
        main(["lab", "pooling", "--kernel", "gaussian", "--bandwidth", "0.5", "--out", str(tmp_path / "nw.json")]) == 0
    )
    data = json.loads((tmp_path / "nw.json").read_text())
    for key in ("kernel", "bandwidth", "x_train", "y_train", "x_test", "y_pred", "attention"):
        assert key in data
    np.testing.assert_allclose(np.sum(data["attention"], axis=1), 1.0)
    assert (
        main(
            [
                "lab",
                "positions",
                "--kind",
                "sinusoidal",
                "--length",
                "128",
                "--dim",
                "64",
                "--out",
                str(tmp_path / "pe.npy"),
            ]
        )
        == 0
    )
    assert np.load(tmp_path / "pe.npy").shape == (128, 64)
    assert (
        main(
            [
                "lab",
                "positions",
                "--kind",
                "2d-sincos",
                "--grid",
                "14x14",
                "--dim",
                "64",
                "--out",
                str(tmp_path / "pe2d.npy"),
            ]
        )
        == 0
    )
    assert np.load(tmp_path / "pe2d.npy").shape == (196, 64)
    assert (
        main(
            ["lab", "positions", "--kind", "alibi", "--heads", "12", "--length", "8", "--out", str(tmp_path / "a.png")]
        )
        == 0
    )
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["lab", "positions", "--kind", "rope", "--out", str(tmp_path / "rope.svg")]) == 0
    assert main(["lab", "scores", "--view", "entropy", "--dims", "2,64", "--json"]) == 0
    capsys.readouterr()
    assert main(["lab", "scores", "--kind", "cosine", "--out", str(tmp_path / "c.csv")]) == 0
    assert len((tmp_path / "c.csv").read_text().splitlines()) == 17
    assert main(["lab", "positions", "--kind", "2d-sincos", "--grid", "3y3"]) == 2
    assert "--grid" in capsys.readouterr().err
    assert main(["lab", "scores", "--out", str(tmp_path / "all.png")]) == 2


def test_cli_classifier_and_bpe(tmp_path, capsys):
    assert main(["lab", "classifier", "--steps", "30", "--seed", "0", "--examples", "3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["steps"] == 30 and 0 <= result["accuracy"] <= 1 and len(result["examples"]) == 3
    corpus = str(CORPORA / "bpe_en.txt")
    assert main(["lab", "bpe", "--corpus", corpus, "--merges", "200", "--word", "lowest", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["merges"]) == 200 and result["word"]["tokens"] == ["lowest"]
    assert main(["lab", "bpe", "--corpus", corpus, "--merges", "50", "--out", str(tmp_path / "m.csv")]) == 0
    assert (tmp_path / "m.csv").read_text().splitlines()[0] == "rank,left,right,merged"
    assert main(["lab", "bpe", "--corpus", str(tmp_path / "missing.txt")]) == 2
