"""The Query–Key scatter's Export dialog offers only what its writer writes: before, it offered the shared
dialog's NPY and CSV too, and picking either ended in "Export failed: unknown format" (found by qa endurance)."""

from explorer.export.qk_files import SUFFIXES
from explorer.gui.tools.geometry.export import ScatterExportDialog


def test_every_format_offered_is_one_the_scatter_writes(qtbot, tmp_path):
    dialog = ScatterExportDialog(None, str(tmp_path / "qk.png"))
    qtbot.addWidget(dialog)
    offered = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert sorted(offered) == sorted(SUFFIXES) == [".json", ".pdf", ".png", ".svg"]
    dialog.choose_format(".json")
    assert dialog.path.text().endswith("qk.json")
