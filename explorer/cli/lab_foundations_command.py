"""`python main.py lab pooling|scores|positions`: the foundations lab's textbook constructions, headless.

Each writes its matrix with --out (.json: every number; .npy: the matrix; .csv; .png/.svg/.pdf: a labelled
heatmap or curves) and prints a summary, or with --json the whole result, on stdout.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from explorer.export.atomic import write_atomic
from explorer.export.data import write_csv, write_npy
from explorer.export.figure import FIGURE_SUFFIXES
from explorer.export.lab_figure import write_curves, write_matrix

SUFFIXES = (".json", ".npy", ".csv", *FIGURE_SUFFIXES)


def checked_out(path: str | None, suffixes: tuple[str, ...] = SUFFIXES) -> Path | None:
    if path is None:
        return None
    out = Path(path)
    if out.suffix.lower() not in suffixes:
        raise ValueError(f"--out: unknown extension '{out.suffix or 'none'}'; use {', '.join(suffixes)}")
    if out.is_dir():
        raise ValueError(f"--out: {out} is a folder; give a file name")
    return out


def as_json(value):
    """numpy arrays and scalars to lists and floats, recursively; NaN or infinity refused."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_result(args, payload: dict, matrix: np.ndarray, figure: dict, curves: dict | None = None) -> None:
    """--out by its suffix, --json on stdout. figure: write_matrix's style (title, xlabel, ylabel, …);
    curves: {"x": x, "curves": {...}} to draw curves instead of a heatmap; csv needs 2-D (labels from figure)."""
    out = checked_out(args.out)
    text = None
    if args.json or (out is not None and out.suffix.lower() == ".json"):
        check_json_memory(payload)
        text = json.dumps(as_json(payload), ensure_ascii=False, allow_nan=False)
    if out is not None:
        suffix = out.suffix.lower()
        if suffix == ".json":
            write_atomic(out, text.encode("utf-8"))
        elif suffix == ".npy":
            write_npy(out, matrix)
        elif suffix == ".csv":
            if np.ndim(matrix) != 2:
                raise ValueError(
                    f"--out: a .csv holds one 2-D table; this result is {list(np.shape(matrix))}: use .npy"
                )
            rows = figure.get("y_labels") or [str(i) for i in range(matrix.shape[0])]
            columns = figure.get("x_labels") or [str(j) for j in range(matrix.shape[1])]
            write_csv(out, np.asarray(matrix, dtype=np.float64), list(rows), list(columns))
        elif curves is not None:
            style = {k: v for k, v in figure.items() if k in ("title", "xlabel", "ylabel", "log_x")}
            write_curves(out, curves["x"], curves["curves"], **style)
        else:
            write_matrix(
                out, matrix if np.ndim(matrix) == 2 else matrix[0], **{k: v for k, v in figure.items() if k != "log_x"}
            )
    if args.json:
        print(text)
    elif out is not None:
        print(f"wrote {out} ({'×'.join(str(s) for s in np.shape(matrix))})")


def count_values(value) -> int:
    """How many numbers a payload holds (arrays and lists, recursively)."""
    if isinstance(value, dict):
        return sum(count_values(item) for item in value.values())
    if isinstance(value, list | tuple):
        return sum(count_values(item) for item in value)
    return int(np.size(value)) if isinstance(value, np.ndarray) else 1


def check_json_memory(payload: dict) -> None:
    """Refuse, before the text is built, a result whose JSON would not fit the memory budget (~96 bytes a value)."""
    from models.lab.memory import check_memory
    from models.runtime.budget import EXPORT_BYTES_PER_VALUE

    values = count_values(payload)
    need = values * EXPORT_BYTES_PER_VALUE[".json"]
    check_memory(need, f"the result as JSON ({values:,} values)", "the sizes, or write --out .npy without --json")


def _values(values) -> list[str]:
    return [f"{v:.3g}" for v in values]


def pooling(args: argparse.Namespace) -> int:
    from models.lab.foundations import pooling as nw

    checked_out(args.out)
    x_train, y_train, x_test, y_true = nw.make_data(args.n, args.noise, args.seed, args.test_points)
    payload = {"kernel": "parametric" if args.parametric else args.kernel, "bandwidth": args.bandwidth}
    if args.parametric:
        model = nw.ParametricPooling(x_train, y_train, seed=args.seed)
        for _ in model.train(args.steps):
            pass
        y_pred, attention = model.predict(x_test)
        payload.update(bandwidth=None, w=model.w, losses=model.losses)
    else:
        y_pred, attention = nw.nadaraya_watson(x_train, y_train, x_test, args.kernel, args.bandwidth)
    payload.update(
        x_train=x_train, y_train=y_train, x_test=x_test, y_true=y_true, y_pred=y_pred, attention=attention,
        mse=float(np.mean((y_pred - y_true) ** 2)),
    )  # fmt: skip
    what = f"w = {model.w:.4g}" if args.parametric else f"{args.kernel}, bandwidth {args.bandwidth:g}"
    figure = {
        "title": f"Nadaraya–Watson attention ({what})", "xlabel": "training x_i (key)", "ylabel": "test x (query)",
        "x_labels": _values(x_train), "y_labels": _values(x_test),
    }  # fmt: skip
    write_result(args, payload, attention, figure)
    if not args.json and args.out is None:
        print(f"{what}: mean squared error against the truth {payload['mse']:.4f} over {len(x_test)} test points")
    return 0


def scores(args: argparse.Namespace) -> int:
    from models.lab.foundations import scores as sc

    checked_out(args.out)
    if args.view == "entropy":
        dims = _dims(args.dims)
        scaled = sc.entropy_against_dimension(dims, True, args.seed, args.n, args.m)
        unscaled = sc.entropy_against_dimension(dims, False, args.seed, args.n, args.m)
        payload = {"dims": dims, "scaled": scaled, "unscaled": unscaled, "max_entropy": float(np.log(args.m))}
        curves = {"x": dims, "curves": {"softmax(q·k / √d)": scaled, "softmax(q·k)": unscaled}}
        figure = {
            "title": "Mean row entropy of the attention",
            "xlabel": "d",
            "ylabel": "entropy (nats)",
            "log_x": True,
        }
        write_result(args, payload, np.stack([dims, scaled, unscaled], axis=1), figure, curves)
        if not args.json and args.out is None:
            for d, s, u in zip(dims, scaled, unscaled):
                print(f"d = {d:5d}   scaled {s:.3f}   unscaled {u:.3f}   (max {np.log(args.m):.3f} nats)")
        return 0
    q, k, labels = _queries_keys(args, sc)
    kinds = list(sc.KINDS) if args.kind == "all" else [args.kind]
    weights = {kind: sc.score_weights(q, k, kind, args.seed) for kind in kinds}
    payload = {"kinds": kinds, "d": q.shape[1], "tokens": labels, "weights": weights,
               "row_entropy": {kind: float(sc.row_entropy(w).mean()) for kind, w in weights.items()}}  # fmt: skip
    if len(kinds) > 1 and args.out and Path(args.out).suffix.lower() not in (".json", ".npy"):
        raise ValueError("--kind: a .csv or a figure shows one score function; choose one with --kind")
    figure = {"title": f"{kinds[0]} attention (d = {q.shape[1]})", "xlabel": "key", "ylabel": "query",
              "x_labels": labels, "y_labels": labels}  # fmt: skip
    matrix = np.stack([weights[kind] for kind in kinds]) if len(kinds) > 1 else weights[kinds[0]]
    write_result(args, payload, matrix, figure)
    if not args.json and args.out is None:
        for kind in kinds:
            print(f"{kind:11s} mean row entropy {payload['row_entropy'][kind]:.3f} nats")
    return 0


def _dims(text: str) -> list[int]:
    try:
        dims = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"--dims: needs whole numbers separated by commas, got {text!r}") from None
    if not dims or min(dims) < 1:
        raise ValueError(f"--dims: needs dimensions ≥ 1, got {text!r}")
    return dims


def _queries_keys(args, sc):
    if args.model is None:
        q, k = sc.random_qk(args.n, args.m, args.d, args.seed)
        return q, k, None
    import models

    run = models.load(args.model).run(args.text)
    return sc.captured_qk(run, args.layer, args.head)


def positions(args: argparse.Namespace) -> int:
    from explorer.cli.lab_positions_command import positions_result

    checked_out(args.out)
    payload, matrix, figure, curves = positions_result(args)
    write_result(args, payload, matrix, figure, curves)
    if not args.json and args.out is None:
        print(f"{args.kind}: {'×'.join(str(s) for s in np.shape(matrix))} values; use --out or --json to keep them")
    return 0
