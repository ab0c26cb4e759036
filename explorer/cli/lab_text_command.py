"""`python main.py lab classifier|bpe`: the attentive BiLSTM classifier trained headless, and BPE step by step."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from explorer.cli.lab_foundations_command import as_json, checked_out, write_result
from explorer.cli.progress import TerminalProgress


def classifier(args: argparse.Namespace) -> int:
    checked_out(args.out)
    from models.lab.foundations.classifier import ClassifierSettings, ClassifierTrainer

    chosen = {"steps": args.steps, "batch_size": args.batch_size, "lr": args.lr, "hidden": args.hidden}
    settings = ClassifierSettings(seed=args.seed, **{key: value for key, value in chosen.items() if value is not None})
    trainer = ClassifierTrainer(settings)  # checks the settings
    if not 1 <= args.examples <= settings.heldout:
        raise ValueError(f"--examples: needs 1 … {settings.heldout}, got {args.examples}")
    evaluations, progress, started = [], TerminalProgress(), time.perf_counter()
    try:
        for event in trainer.train(settings.steps):
            progress(event.step / max(settings.steps, 1), f"step {event.step}, loss {event.loss:.3f}")
            if event.accuracy is not None:
                evaluations.append(
                    {"step": event.step, "accuracy": event.accuracy, "cue_attention_mass": event.cue_attention_mass}
                )
    finally:
        progress.done()
    seconds = time.perf_counter() - started
    accuracy, mass = trainer.evaluate()
    words, weights, examples = trainer.batch_attention(args.examples)
    payload = {
        "settings": trainer.settings_dict(), "steps": trainer.step, "seconds": seconds, "accuracy": accuracy,
        "cue_attention_mass": mass, "losses": trainer.losses, "evaluations": evaluations,
        "examples": [
            {"words": w, "weights": weights[i, : len(w)], "label": e.label, "cue_positions": list(e.cue_positions)}
            for i, (w, e) in enumerate(zip(words, examples))
        ],
    }  # fmt: skip
    if args.sentence is not None:
        typed, alpha = trainer.attention(args.sentence)
        label, probability = trainer.classify(args.sentence)
        payload["sentence"] = {"words": typed, "weights": alpha, "label": label, "probability": probability}
    width = weights.shape[1]
    figure = {"title": "BiLSTM attention over held-out sentences", "xlabel": "word position", "ylabel": "sentence",
              "x_labels": [str(i) for i in range(width)], "y_labels": [" ".join(w)[:40] for w in words]}  # fmt: skip
    write_result(args, payload, weights, figure)
    if not args.json:
        print(f"{trainer.step} steps in {seconds:.1f} s: held-out accuracy {accuracy:.3f}, "
              f"cue_attention_mass {mass:.3f}")  # fmt: skip
        for w, alpha in zip(words, weights):
            print("  " + " ".join(f"{word}[{a:.2f}]" for word, a in zip(w, alpha)))
        if args.sentence is not None:
            s = payload["sentence"]
            print(
                f"{s['label']} ({s['probability']:.2f}): "
                + " ".join(f"{w}[{a:.2f}]" for w, a in zip(s["words"], s["weights"]))
            )
    return 0


def bpe(args: argparse.Namespace) -> int:
    from models.lab.foundations import bpe as lab_bpe

    out = checked_out(args.out, (".json", ".csv"))
    text = args.text if args.text is not None else _corpus(args.corpus)
    tokenizer = lab_bpe.train_tokenizer(text, args.merges)
    merges = lab_bpe.merge_list(tokenizer)
    k = len(merges) if args.k is None else args.k
    segmented = lab_bpe.segment(text, merges, k)
    counts = lab_bpe.piece_counts(segmented)
    payload = {"merges": [list(pair) for pair in merges], "k": k, "words": len(segmented),
               "pieces": sum(len(w) for w in segmented), "segmented": segmented[:200],
               "top_pieces": counts.most_common(30)}  # fmt: skip
    if args.word is not None:
        explainer = tokenizer
        if args.model is not None:
            import models

            explainer = models.load(args.model)
        explanation = lab_bpe.explain_word(explainer, args.word)
        shown = explanation.readable()  # byte-level pieces as the characters they stand for: 注(1/3), not 'æ'
        payload["word"] = {"word": args.word, "tokenizer": args.model or "learned", "algorithm": explanation.algorithm,
                           "parts": explanation.parts, "tokens": explanation.tokens,
                           "steps": [_step(s) for s in explanation.steps],
                           "readable": {"parts": shown.parts, "tokens": shown.tokens,
                                        "steps": [_step(s) for s in shown.steps]}}  # fmt: skip
    _write_bpe(args, out, payload, merges)
    return 0


def _corpus(path: str | None) -> str:
    if path is None:
        raise ValueError("--corpus: give a text file, or the corpus itself with --text")
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"--corpus: cannot read {path}: {error}") from None


def _step(step) -> dict:
    return {"part": step.part, "symbols": step.symbols, "merge": list(step.merge) if step.merge else None,
            "rank": step.rank, "note": step.note}  # fmt: skip


def _write_bpe(args, out: Path | None, payload: dict, merges) -> None:
    import csv
    import io
    import json

    from explorer.export.atomic import write_atomic

    text = json.dumps(as_json(payload), ensure_ascii=False, allow_nan=False)
    if out is not None and out.suffix.lower() == ".json":
        write_atomic(out, text.encode("utf-8"))
    elif out is not None:
        table = io.StringIO()
        writer = csv.writer(table)
        writer.writerow(["rank", "left", "right", "merged"])
        writer.writerows([rank, a, b, a + b] for rank, (a, b) in enumerate(merges))
        write_atomic(out, table.getvalue().encode("utf-8"))
    if args.json:
        print(text)
        return
    print(f"{len(merges)} merges; first: " + ", ".join(f"{a}+{b}" for a, b in merges[:12]))
    print(f"with the first {payload['k']} merges: {payload['words']} words in {payload['pieces']} pieces")
    word = payload.get("word")
    if word:
        print(f"'{word['word']}' with the {word['tokenizer']} tokenizer ({word['algorithm']}):")
        for step in word["readable"]["steps"]:
            merged = f"{step['merge'][0]} + {step['merge'][1]} (rank {step['rank']})" if step["merge"] else step["note"]
            print(f"  {merged:40s} {' '.join(step['symbols'])}")
        print(f"  tokens: {' '.join(word['readable']['tokens'])}")
