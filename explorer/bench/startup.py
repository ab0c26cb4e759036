"""`python main.py bench --startup`: how long a user waits for `--help` and for the explorer's window.

Every measurement is a fresh process, since a warm interpreter would hide the imports a user pays for. The
window is timed through a contract with the app: when ATTENTION_EXPLORER_STARTUP_PROBE names a file, the app
writes {"shown_at": time.time(), "torch_imported": bool} there as soon as its main window has been shown, and
quits with status 0. The launch is stamped with time.time() just before the process starts, so the figure
includes the interpreter's own start, as the user's wait does.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from explorer.bench.machine import host

PROBE_VARIABLE = "ATTENTION_EXPLORER_STARTUP_PROBE"
# The explorer as a user starts it: `python -m explorer` is main.py in a checkout and the installed command in a
# pip install, where no main.py exists.
EXPLORER_COMMAND = (sys.executable, "-m", "explorer")
HELP_TIMEOUT_S = 60.0
WINDOW_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Spread:
    """Seconds over repeated fresh runs; the median is the figure to quote, min and max show the noise."""

    median: float
    min: float
    max: float
    runs: list[float]

    @classmethod
    def of(cls, runs: list[float]) -> Spread:
        return cls(statistics.median(runs), min(runs), max(runs), list(runs))


@dataclass(frozen=True)
class WindowLaunch:
    seconds: float  # from just before the process started until its main window was shown
    torch_imported: bool  # whether torch was in sys.modules at that moment


@dataclass(frozen=True)
class StartupReport:
    repeat: int
    help_s: Spread
    window_s: Spread
    torch_imported_at_window: list[bool]  # one per run


def run_startup(repeat: int, as_json: bool) -> int:
    if repeat < 1:
        raise ValueError(f"--repeat: {repeat} is too small; it must be at least 1")
    help_runs, launches = [], []
    for index in range(repeat):
        print(f"startup: run {index + 1}/{repeat}", file=sys.stderr, flush=True)
        help_runs.append(time_help())
        launches.append(time_window())
    report = StartupReport(
        repeat=repeat,
        help_s=Spread.of(help_runs),
        window_s=Spread.of([launch.seconds for launch in launches]),
        torch_imported_at_window=[launch.torch_imported for launch in launches],
    )
    print(render_startup(report, as_json))
    return 0


def time_help(timeout: float = HELP_TIMEOUT_S) -> float:
    """Wall seconds of `python -m explorer --help` (what main.py runs) in a fresh process."""
    command = [*EXPLORER_COMMAND, "--help"]
    start = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"`python -m explorer --help` did not finish within {timeout:g} s") from None
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise OSError(f"`python -m explorer --help` failed with status {result.returncode}: {last_line(result.stderr)}")
    return elapsed


def time_window(command: list[str] | None = None, timeout: float = WINDOW_TIMEOUT_S) -> WindowLaunch:
    """Start the explorer (or `command`) with the startup probe set, and read when its window was shown."""
    command = command or list(EXPLORER_COMMAND)
    with tempfile.TemporaryDirectory(prefix="attention-explorer-startup-") as folder:
        probe = Path(folder) / "probe.json"
        environment = window_environment(Path(folder), probe)
        started = time.time()
        process = subprocess.Popen(
            command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise TimeoutError(
                f"the explorer's window was not reported within {timeout:g} s: the app must write the file that "
                f"{PROBE_VARIABLE} names once its main window is shown, then quit"
            ) from None
        return read_probe(probe, started, process.returncode, errors)


def window_environment(folder: Path, probe: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment[PROBE_VARIABLE] = str(probe)
    # A fresh settings folder: the user's settings are neither read (which would change what opens) nor written.
    environment["XDG_CONFIG_HOME"] = str(folder / "config")
    if not (environment.get("DISPLAY") or environment.get("WAYLAND_DISPLAY")):
        environment["QT_QPA_PLATFORM"] = "offscreen"  # the window is still built and shown, just not on a screen
    return environment


def read_probe(probe: Path, started: float, status: int, errors: str) -> WindowLaunch:
    """The launch figures from the probe file the app wrote; a clear error when it wrote none or nonsense."""
    if status != 0:
        raise OSError(f"the explorer exited with status {status} before reporting its window: {last_line(errors)}")
    try:
        report = json.loads(probe.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OSError(
            f"the explorer quit without writing {probe.name}; it must write the file {PROBE_VARIABLE} names "
            "once its main window is shown"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"startup probe: {probe.name} is not readable JSON ({error})") from None
    shown_at = report.get("shown_at") if isinstance(report, dict) else None
    torch_imported = report.get("torch_imported") if isinstance(report, dict) else None
    if isinstance(shown_at, bool) or not isinstance(shown_at, (int, float)) or not isinstance(torch_imported, bool):
        raise ValueError(f'startup probe: expected {{"shown_at": <time>, "torch_imported": <bool>}}, got {report!r}')
    return WindowLaunch(seconds=shown_at - started, torch_imported=torch_imported)


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "(no message)"


def render_startup(report: StartupReport, as_json: bool) -> str:
    """JSON with the machine, or a line about the machine, a small table and the torch finding."""
    machine = host()
    if as_json:
        return json.dumps({"machine": machine, **asdict(report)}, indent=2)
    rows = [("`main.py --help`", report.help_s), ("launch to main window shown", report.window_s)]
    lines = [
        f"explorer startup on {machine['cpu']} ({machine['cores']} cores, Python {machine['python']}), "
        f"{report.repeat} fresh process(es) per measure",
        "| measure | median s | min s | max s |",
        "|---|---|---|---|",
        *(f"| {name} | {s.median:.3f} | {s.min:.3f} | {s.max:.3f} |" for name, s in rows),
    ]
    imported = sum(report.torch_imported_at_window)
    answer = "yes" if imported == report.repeat else "no" if imported == 0 else "sometimes"
    lines.append(f"torch imported when the window appeared: {answer} (in {imported} of {report.repeat} runs)")
    return "\n".join(lines)
