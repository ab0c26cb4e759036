"""The checking script of issue 11: an exported figure shows every cell in its own colour, in every renderer.

The CLI exports one head of SmolLM2 as .json, .png, .svg and .pdf. The SVG is rendered by librsvg
(`rsvg-convert`), headless Chromium and ImageMagick; the PDF by poppler (`pdftoppm`). In each raster, at every
cell centre the colour must be the colormap's colour for that cell's value in the .json (masked cells: the grey),
and points a quarter-cell away from the centre must have the same colour: nothing is blurred or smoothed over.
A renderer that is not installed is skipped, with its name.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

import models
from explorer.cli.main import main
from explorer.core.display import MASKED_RGB

SENTENCE = "The animal didn't cross the street because it was too tired."
CHINESE = "猫坐在垫子上，因为它累了。"
RASTER_WIDTH = 1200  # pixels: cells of about 60 px for SmolLM2's 13 tokens
TOLERANCE = 6  # per channel, out of 255: the window's 255-step lookup table, and renderers' rounding


@pytest.fixture(scope="module")
def exported(tmp_path_factory, smollm) -> Path:
    """One head (layer 3, head 2) exported by the CLI as .json, .png, .svg and .pdf into one folder."""
    from shared_models import sharing_load

    folder = tmp_path_factory.mktemp("figures")
    with pytest.MonkeyPatch.context() as patch:  # the command reads the SmolLM2 the tests already hold
        patch.setattr(models, "load", sharing_load)
        for suffix in (".json", ".png", ".svg", ".pdf"):
            args = ["export", "--model", "smollm2-135m-instruct", "--text", SENTENCE, "--layer", "3", "--head", "2"]
            assert main([*args, "--device", "cpu", "--out", str(folder / f"map{suffix}")]) == 0
    return folder


def heatmap_box(svg: Path) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the cells, as fractions of the page: read from the SVG's id'd image."""
    root = ET.parse(svg).getroot()
    _, _, page_w, page_h = (float(v) for v in root.get("viewBox").split())
    image = next(e for e in root.iter("{http://www.w3.org/2000/svg}image") if e.get("id") == "heatmap")
    a, b, c, d, e, f = (float(v) for v in re.findall(r"[-\d.e]+", image.get("transform")))
    assert b == 0 and c == 0, "the cells are drawn upright, without rotation or shear"
    width, height = float(image.get("width")), float(image.get("height"))
    return e / page_w, f / page_h, (e + a * width) / page_w, (f + d * height) / page_h


def expected_colours(json_file: Path) -> np.ndarray:
    """(N, N, 3) in 0..255: viridis at each value on the linear scale, the grey where the causal mask hides it."""
    attention = np.array(json.loads(json_file.read_text())["attention"])
    n = len(attention)
    visible = np.tril(np.ones((n, n), dtype=bool))  # SmolLM2 is a causal decoder
    assert np.all(attention[~visible] == 0) and np.allclose(attention.sum(-1), 1, atol=1e-5)
    colours = matplotlib.colormaps["viridis"](np.clip(attention, 0, 1))[..., :3] * 255
    colours[~visible] = MASKED_RGB
    return colours


def check_raster(raster: Path, box, expected: np.ndarray, name: str) -> None:
    """Every cell's centre has its colour, and so do the four points a quarter-cell from it."""
    pixels = np.asarray(Image.open(raster).convert("RGB"), dtype=float)
    height, width = pixels.shape[:2]
    n = len(expected)
    left, top, right, bottom = box[0] * width, box[1] * height, box[2] * width, box[3] * height
    cell_w, cell_h = (right - left) / n, (bottom - top) / n
    assert min(cell_w, cell_h) > 16, f"{name}: cells of {cell_w:.1f} px are too small to test"
    worst = (0.0, None)
    for q in range(n):
        for k in range(n):
            x, y = left + (k + 0.5) * cell_w, top + (q + 0.5) * cell_h
            points = [(x, y), (x - cell_w / 4, y), (x + cell_w / 4, y), (x, y - cell_h / 4), (x, y + cell_h / 4)]
            for px, py in points:
                error = np.abs(pixels[int(py), int(px)] - expected[q, k]).max()
                if error > worst[0]:
                    worst = (error, (q, k, px - x, py - y, pixels[int(py), int(px)], expected[q, k]))
    assert worst[0] <= TOLERANCE, f"{name}: cell (query, key, dx, dy, drawn, expected) = {worst[1]}"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed: cannot check how it renders the figure")
    return path


def test_the_png_has_every_cell_in_its_colour(exported):
    check_raster(
        exported / "map.png", heatmap_box(exported / "map.svg"), expected_colours(exported / "map.json"), "PNG"
    )


def test_librsvg_renders_the_svg_crisply(exported, tmp_path):
    raster = tmp_path / "rsvg.png"
    subprocess.run(
        [tool("rsvg-convert"), "-w", str(RASTER_WIDTH), "-o", str(raster), str(exported / "map.svg")],
        check=True,
        timeout=120,
    )
    check_raster(raster, heatmap_box(exported / "map.svg"), expected_colours(exported / "map.json"), "rsvg-convert")


def test_chromium_renders_the_svg_crisply(exported, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or tool("google-chrome")
    svg = exported / "map.svg"
    root = ET.parse(svg).getroot()
    _, _, page_w, page_h = (float(v) for v in root.get("viewBox").split())
    height = round(RASTER_WIDTH * page_h / page_w)
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><body style="margin:0;background:#fff"><img src="{svg.as_uri()}" '
        f'style="display:block;width:{RASTER_WIDTH}px;height:{height}px"></body></html>'
    )
    raster = tmp_path / "chromium.png"
    command = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--allow-file-access-from-files",
        f"--window-size={RASTER_WIDTH},{height}",
        f"--screenshot={raster}",
        page.as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    check_raster(raster, heatmap_box(svg), expected_colours(exported / "map.json"), "chromium")


def test_poppler_renders_the_pdf_crisply(exported, tmp_path):
    stem = tmp_path / "pdf"
    subprocess.run(
        [tool("pdftoppm"), "-png", "-singlefile", "-scale-to", str(RASTER_WIDTH), str(exported / "map.pdf"), str(stem)],
        check=True,
        timeout=120,
    )
    check_raster(
        Path(f"{stem}.png"), heatmap_box(exported / "map.svg"), expected_colours(exported / "map.json"), "pdftoppm"
    )


def test_imagemagick_draws_the_map(exported, tmp_path):
    convert = shutil.which("magick") or tool("convert")
    raster = tmp_path / "imagemagick.png"
    density = str(round(72 * RASTER_WIDTH / float(ET.parse(exported / "map.svg").getroot().get("viewBox").split()[2])))
    subprocess.run([convert, "-density", density, str(exported / "map.svg"), str(raster)], check=True, timeout=120)
    check_raster(raster, heatmap_box(exported / "map.svg"), expected_colours(exported / "map.json"), "ImageMagick")


def test_text_stays_text(exported):
    svg = (exported / "map.svg").read_text()
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"query", "key", "animal", "street", "tired"} <= {label.strip("␣ ") for label in labels}
    assert "attention (0 to 1)" in labels, "the colour bar is titled with the scale"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(exported / "map.pdf"), "-"], capture_output=True, text=True).stdout
        assert all(word in text for word in ("query", "key", "animal", "street", "smollm2-135m-instruct"))


def test_chinese_labels_are_text_in_a_cjk_font(smollm, tmp_path):
    svg, pdf = tmp_path / "zh.svg", tmp_path / "zh.pdf"
    for out in (svg, pdf):
        assert (
            main(
                ["export", "--model", "smollm2-135m-instruct", "--text", CHINESE, "--device", "cpu", "--out", str(out)]
            )
            == 0
        )
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg.read_text())
    assert any("猫" in label for label in labels) and not any("<0x" in label for label in labels)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "猫" in text and "累" in text, "the PDF's CJK labels are text that can be searched and copied"
