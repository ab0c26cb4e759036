"""`python main.py lab train|attention`: the seq2seq lab headless, with progress on stderr and clean Ctrl+C."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from explorer.cli.progress import TerminalProgress

SETTING_FLAGS = (
    "score", "layers", "heads", "kv_heads", "d_model", "dropout", "positions", "length", "vocab", "difficulty",
    "steps", "batch_size", "lr", "snapshot_every",
)  # fmt: skip
LOSS_WINDOW = 20  # the reported loss is the mean of the last steps' losses, not one noisy batch


def settings_from(args: argparse.Namespace):
    """The system's tuned defaults with every flag given on the command line; ValueError names the flag."""
    from models.lab.seq2seq import defaults

    given = {name: getattr(args, name) for name in SETTING_FLAGS if getattr(args, name, None) is not None}
    try:
        return defaults(args.system, args.task, seed=args.seed, **given)
    except ValueError as error:
        field, _, reason = str(error).partition(":")  # "kv_heads: ..." is the flag --kv-heads
        raise ValueError(f"--{field.replace('_', '-')}:{reason}") from None


def train(args: argparse.Namespace) -> int:
    from models.lab.seq2seq import Trainer
    from models.lab.seq2seq.checkpoint import check_save_path
    from models.lab.threads import training_threads

    settings = settings_from(args)
    if args.save is not None:
        check_save_path(args.save, "--save")  # before training: a run is never lost to a bad destination
    trainer = Trainer(settings)
    with training_threads(trainer.parameters) as threads:  # a small model on one thread: models/lab/threads.py
        stopped, last = _train_and_evaluate(trainer)
    if stopped:
        print(f"stopped at step {trainer.step} of {settings.steps}", file=sys.stderr, flush=True)
    if args.save is not None:
        trainer.save(args.save)
    window = trainer.losses[-LOSS_WINDOW:]
    result = {
        "system": settings.system,
        "task": settings.task,
        "steps": trainer.step,
        "seconds": round(trainer.seconds, 3),
        "loss": sum(window) / len(window) if window else None,
        "accuracy": last.accuracy,
        "alignment_accuracy": {k: None if math.isnan(v) else v for k, v in last.alignment_accuracy.items()},
        "settings": settings.to_json(),
    }
    if args.json:
        print(json.dumps(result, allow_nan=False))
    else:
        loss = "n/a" if result["loss"] is None else f"{result['loss']:.4f}"
        align = result["alignment_accuracy"]
        on = "1 torch thread" if threads == 1 else f"{threads} torch threads"
        print(f"{settings.system} on {settings.task}: {trainer.step} steps in {trainer.seconds:.1f} s on {on}, "
              f"loss {loss}")  # fmt: skip
        print(f"held-out accuracy {last.accuracy:.1%}; alignment accuracy best head {_share(align['best_head'])}, "
              f"head mean {_share(align['mean'])}")  # fmt: skip
        if args.save is not None:
            print(f"saved {args.save}")
    return 130 if stopped else 0


def _train_and_evaluate(trainer):
    """Train to the end of the settings' steps (Ctrl+C stops early); (stopped, the Evaluation at the last step)."""
    from models.lab.seq2seq import Evaluation

    steps = trainer.settings.steps
    progress, stopped, last = TerminalProgress(), False, None
    try:
        for event in trainer.train():
            if isinstance(event, Evaluation):
                last = event
            elif hasattr(event, "loss"):
                held_out = "" if last is None else f", held-out accuracy {last.accuracy:.1%} at step {last.step}"
                progress(event.step / max(1, steps), f"step {event.step}/{steps} loss {event.loss:.4f}{held_out}")
    except KeyboardInterrupt:
        stopped = True
    progress.done()
    if last is None or last.step != trainer.step:
        last = trainer.evaluate()
    return stopped, last


def _share(value) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def attention(args: argparse.Namespace) -> int:
    from explorer.core.plots import MatrixView
    from explorer.export.plot_figure import suffixes_for, write_plot
    from models.lab.seq2seq import KINDS_BY_SYSTEM, load_checkpoint

    trainer = load_checkpoint(args.load)
    system = trainer.settings.system
    if args.kind not in KINDS_BY_SYSTEM[system]:
        raise ValueError(f"--kind: a {system} has {', '.join(KINDS_BY_SYSTEM[system])}, not {args.kind}")
    text = args.input if args.input is not None else trainer.heldout_examples(1)[0]
    snapshot = trainer.translate(text)
    maps = snapshot.attention[args.kind]  # (L, H, rows, cols)
    for name, value, count in (("--layer", args.layer, maps.shape[0]), ("--head", args.head, maps.shape[1])):
        if not 0 <= value < count:
            raise ValueError(f"{name}: {value} is out of range; this run has 0..{count - 1}")
    if 0 in maps.shape[2:]:
        raise ValueError(f"--input: the model's output for {text!r} is empty, so there is no map to show")
    rows, columns = axis_tokens(args.kind, snapshot)
    view = MatrixView(
        name=f"lab-{args.kind}-L{args.layer}H{args.head}",
        title=f"{system} · {trainer.settings.task} · {args.kind} · layer {args.layer} head {args.head}",
        matrix=maps[args.layer, args.head],
        row_label={"encoder": "source", "self": "token"}.get(args.kind, "output"),
        column_label={"decoder": "earlier output", "self": "token"}.get(args.kind, "source"),
        value_label="attention",
        levels=(0.0, 1.0),
        row_ticks=tuple(rows),
        column_ticks=tuple(columns),
    )
    if args.out is not None:
        if Path(args.out).suffix.lower() not in suffixes_for(view):
            raise ValueError(f"--out: {args.out!r} must end in one of {', '.join(suffixes_for(view))}")
        write_plot(args.out, view)
    if args.json:
        payload = {"source": snapshot.source, "target": snapshot.target, "output": snapshot.output, "kind": args.kind,
                   "layer": args.layer, "head": args.head, "matrix": view.matrix.tolist()}  # fmt: skip
        print(json.dumps(payload, ensure_ascii=False, allow_nan=False))
    else:
        print(f"{trainer.task.join(snapshot.source)} -> {trainer.task.join(snapshot.output)}")
        if args.out is not None:
            print(f"wrote {args.out} ({view.matrix.shape[0]}×{view.matrix.shape[1]})")
    return 0


def axis_tokens(kind: str, snapshot) -> tuple[list[str], list[str]]:
    """Row and column labels of a Snapshot map (see Snapshot's docstring for each kind's axes)."""
    source, output = snapshot.source, snapshot.output
    if kind == "encoder":
        return source, source
    if kind == "decoder":
        return output, ["<bos>", *output[:-1]]
    if kind == "self":
        tokens = [*source, "<sep>", *output]
        return tokens, tokens
    return output, source
