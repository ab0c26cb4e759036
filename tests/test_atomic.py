"""The one atomic writer every export goes through: the whole file or none, and no temporary file left over."""

import errno
import os
import re
import shutil
import stat
import subprocess

import numpy as np
import pytest

from explorer.export.atomic import write_atomic
from explorer.export.data import write_csv, write_json, write_npy


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def leftovers(folder) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".part"))


def test_a_new_file_has_the_bytes_and_the_usual_mode(tmp_path, umask_022):
    target = tmp_path / "map.bin"
    write_atomic(target, b"\x00attention\xff")
    assert target.read_bytes() == b"\x00attention\xff"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_the_mode_follows_the_umask(tmp_path):
    previous = os.umask(0o077)
    try:
        write_atomic(tmp_path / "private.bin", b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "private.bin").stat().st_mode) == 0o600


def test_an_existing_file_is_replaced_whole(tmp_path):
    target = tmp_path / "map.json"
    target.write_bytes(b"old contents that are longer than the new ones")
    write_atomic(str(target), b"new")
    assert target.read_bytes() == b"new"


def test_missing_parent_folders_are_created(tmp_path):
    target = tmp_path / "figures" / "layer3" / "head2.npy"
    write_atomic(target, b"abc")
    assert target.read_bytes() == b"abc"


def test_a_folder_as_target_names_the_path_and_leaves_nothing(tmp_path):
    target = tmp_path / "out.npy"
    target.mkdir()
    with pytest.raises(IsADirectoryError, match=re.escape(f"cannot write {target}: it is a folder")):
        write_atomic(target, b"abc")
    assert target.is_dir() and leftovers(tmp_path) == []


def test_a_parent_that_is_a_file_names_the_path(tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    target = tmp_path / "notes.txt" / "map.csv"
    with pytest.raises(OSError, match=re.escape(f"cannot write {target}: ")):
        write_atomic(target, b"abc")
    assert leftovers(tmp_path) == []


@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder nobody may create files in. Root ignores permission bits, so for root it is made immutable."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        immutable = chattr is not None and subprocess.run([chattr, "+i", str(folder)]).returncode == 0
        if not immutable:
            folder.chmod(0o755)
            pytest.skip("running as root, and chattr cannot make the folder immutable")
    yield folder
    if immutable:
        subprocess.run([shutil.which("chattr"), "-i", str(folder)], check=True)
    folder.chmod(0o755)


def test_an_unwritable_folder_names_the_path_and_leaves_nothing(unwritable_folder):
    target = unwritable_folder / "map.png"
    with pytest.raises(OSError, match=re.escape(f"cannot write {target}: ")) as caught:
        write_atomic(target, b"\x89PNG")
    assert caught.value.errno in (errno.EACCES, errno.EPERM)
    assert os.listdir(unwritable_folder) == []


def test_a_failure_while_writing_removes_the_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "big.npy"
    target.write_bytes(b"previous export")

    def disk_full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match=re.escape(f"cannot write {target}: No space left on device")) as caught:
        write_atomic(target, b"x" * 1000)
    assert caught.value.errno == errno.ENOSPC
    assert leftovers(tmp_path) == []
    assert target.read_bytes() == b"previous export", "a failed write keeps the old file"


def test_text_instead_of_bytes_is_a_value_error_naming_the_argument(tmp_path):
    with pytest.raises(ValueError, match="data: writing .*out.json needs bytes, got str"):
        write_atomic(tmp_path / "out.json", "not bytes")
    assert os.listdir(tmp_path) == []


def test_the_data_exporters_write_through_it(tmp_path, umask_022):
    matrix = np.array([[1.0, 0.0], [0.25, 0.75]], dtype=np.float32)
    write_npy(tmp_path / "m.npy", matrix)
    write_csv(tmp_path / "m.csv", matrix, ["a", "b"], ["a", "b"])
    write_json(tmp_path / "m.json", {"attention": matrix.tolist()})
    assert np.array_equal(np.load(tmp_path / "m.npy"), matrix)
    assert (tmp_path / "m.csv").read_text().splitlines() == ["query \\ key,0:a,1:b", "0:a,1,0", "1:b,0.25,0.75"]
    assert (tmp_path / "m.json").read_text() == '{"attention": [[1.0, 0.0], [0.25, 0.75]]}'
    for name in ("m.npy", "m.csv", "m.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_the_old_import_path_is_the_same_function():
    from explorer.export import data

    assert data.write_atomic is write_atomic
