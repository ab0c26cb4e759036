"""Models loaded once per test process and shared by every test that only reads them.

Loading SmolLM2 from the weight cache costs seconds; the suite used to pay that in every window and every
command it ran. Tests that check loading itself (progress, the cache, damaged files) call `models.load` and
are untouched: only the shipped catalogue models are shared, and only on the CPU.
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

SHIPPED = ("smollm2-135m-instruct", "all-minilm-l6-v2", "gemma-3-270m")

_loaded: dict[str, object] = {}
_lock = threading.Lock()  # windows load on their job thread, tests on the main one


def real_load():
    """models.load itself, even while a test has replaced it with `sharing_load`."""
    from models.io.loader import load

    return load


def shared_model(name: str):
    """The shipped model `name` on the CPU, loaded on first use."""
    with _lock:
        if name not in _loaded:
            _loaded[name] = real_load()(name, device="cpu")
        return _loaded[name]


def is_shareable(name, device, extra_paths=()) -> bool:
    from models.runtime.devices import resolve_device

    if not isinstance(name, str) or name.strip().lower() not in SHIPPED or extra_paths:
        return False
    try:
        return isinstance(device, str) and resolve_device(device).type == "cpu"
    except ValueError:  # a bad device name is the real load's to report
        return False


def sharing_load(name_or_path, device="auto", progress=None, extra_paths=()):
    """models.load, except that a shipped model on the CPU comes from the shared ones (progress says so)."""
    if is_shareable(name_or_path, device, extra_paths):
        model = shared_model(name_or_path.strip().lower())
        if progress is not None:
            progress(1.0, "Loaded (shared by the tests)")
        return model
    return real_load()(name_or_path, device=device, progress=progress, extra_paths=extra_paths)


class SharedModels(Mapping):
    """The shipped models as the mapping `build_window(preloaded=...)` takes; each loads on first use."""

    def __getitem__(self, name: str):
        if name not in SHIPPED:
            raise KeyError(name)
        return shared_model(name)

    def __iter__(self) -> Iterator[str]:
        return iter(SHIPPED)

    def __len__(self) -> int:
        return len(SHIPPED)


@dataclass
class Completed:
    """What a command run in-process left: its exit status and everything it printed."""

    returncode: int
    stdout: str
    stderr: str


def run_main(*args: str) -> Completed:
    """`main.py ARGS` in this process, as a user runs it: exit status, stdout and stderr (logging included).

    Shipped models come from the shared ones. argparse's own exits (usage errors, --help) become the status.
    """
    import logging

    import models
    from explorer.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, models.load)
    root.handlers = []  # main() configures logging to the stderr it finds, as a fresh process would
    models.load = sharing_load
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        root.handlers, root.level, models.load = saved[0], saved[1], saved[2]
        sys.stdout.flush()
    return Completed(code, out.getvalue(), err.getvalue())
