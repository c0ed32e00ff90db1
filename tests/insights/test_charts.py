"""Trend and driver charts: formats, determinism, untrusted text, degenerate input."""

from __future__ import annotations

import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from socialcem.insights.charts import DriverBar, MissingExtra, driver_chart, trend_chart
from socialcem.nps import EMPTY, Score, csat, nps

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = "Staff <script>alert(1)</script> $x$"
PERIODS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
SERIES = {
    "NPS": [nps(50, 30, 20), nps(55, 25, 20), EMPTY, nps(40, 40, 20), nps(60, 30, 10)],
    "Social NPS": [nps(5, 3, 2), EMPTY, nps(8, 1, 1), nps(2, 2, 6), EMPTY],
}
DRIVERS = [
    DriverBar("Waiting time", Score(8.2, 5.1, 11.3, 420), 420),
    DriverBar(HOSTILE, Score(3.1, 1.0, 5.2, 120), 120),
    DriverBar("Price", Score(-1.5, -4.0, 1.0, 40), 40),
    DriverBar("Unknown", EMPTY, 3),
]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return ["".join(e.itertext()) for e in root.iter() if e.tag.endswith(("text", "title"))]


def test_trend_png_is_a_png_of_plausible_size(tmp_path: Path) -> None:
    out = trend_chart(tmp_path / "trend.png", "NPS by month", PERIODS, SERIES)
    data = out.read_bytes()
    assert _png_size(data) == (990, 495)  # 9 x 4.5 inches at 110 dpi
    assert 10_000 < len(data) < 500_000
    assert b"Matplotlib" not in data and b"Software" not in data


def test_trend_svg_is_xml_with_title_series_and_periods(tmp_path: Path) -> None:
    out = trend_chart(tmp_path / "trend.SVG", "NPS by month", PERIODS, SERIES)
    texts = _svg_texts(out)
    for expected in ("NPS by month", "NPS", "Social NPS", "2024-01", "2024-05"):
        assert expected in texts
    assert b"<dc:date>" not in out.read_bytes()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_same_input_gives_byte_identical_files(tmp_path: Path, suffix: str) -> None:
    first = trend_chart(tmp_path / f"a{suffix}", "Trend", PERIODS, SERIES).read_bytes()
    second = trend_chart(tmp_path / f"b{suffix}", "Trend", PERIODS, SERIES).read_bytes()
    assert first == second
    first = driver_chart(tmp_path / f"c{suffix}", "Drivers", DRIVERS).read_bytes()
    second = driver_chart(tmp_path / f"d{suffix}", "Drivers", DRIVERS).read_bytes()
    assert first == second
    changed = dict(SERIES, NPS=[*SERIES["NPS"][:-1], nps(61, 30, 9)])
    assert trend_chart(tmp_path / f"e{suffix}", "Trend", PERIODS, changed).read_bytes() != (
        trend_chart(tmp_path / f"f{suffix}", "Trend", PERIODS, SERIES).read_bytes()
    )


def test_user_text_is_escaped_and_never_mathtext(tmp_path: Path) -> None:
    out = driver_chart(tmp_path / "drivers.svg", HOSTILE, DRIVERS)
    raw = out.read_bytes()
    assert b"<script>" not in raw and b"&lt;script&gt;" in raw
    texts = _svg_texts(out)
    # Shown literally, dollars included: mathtext would have dropped them and italicised x.
    assert texts.count(HOSTILE) >= 2  # the title, the bar label (and the SVG <title>)
    trend = trend_chart(tmp_path / "trend.svg", HOSTILE, [HOSTILE, "b"], {HOSTILE: [EMPTY] * 2})
    assert _svg_texts(trend).count(HOSTILE) >= 3


def test_driver_chart_sorts_by_impact_and_annotates_volume(tmp_path: Path) -> None:
    texts = _svg_texts(driver_chart(tmp_path / "d.svg", "Drivers", DRIVERS[::-1]))
    labels = [t for t in texts if t in {"Waiting time", HOSTILE, "Price", "Unknown"}]
    assert labels[:4] == ["Waiting time", HOSTILE, "Price", "Unknown"]
    assert {"n=420", "n=120", "n=40", "n=3, no estimate"} <= set(texts)
    data = driver_chart(tmp_path / "d.png", "Drivers", DRIVERS).read_bytes()
    assert 10_000 < len(data) < 500_000 and _png_size(data)[0] == 990


@pytest.mark.parametrize("name", ["chart.pdf", "chart", "chart.png.txt", "chart.jpeg"])
def test_other_suffixes_are_refused_naming_the_allowed_ones(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        trend_chart(tmp_path / name, "t", PERIODS, SERIES)
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        driver_chart(tmp_path / name, "t", DRIVERS)
    assert not (tmp_path / name).exists()


def test_series_length_must_match_periods(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'NPS' has 2 points for 5 periods"):
        trend_chart(tmp_path / "t.png", "t", PERIODS, {"NPS": [EMPTY, EMPTY]})


def test_missing_matplotlib_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # also when it was never imported
    with pytest.raises(MissingExtra, match=r"pip install 'socialcem\[charts\]'"):
        trend_chart(tmp_path / "t.png", "t", PERIODS, SERIES)
    with pytest.raises(MissingExtra, match=r"pip install 'socialcem\[charts\]'"):
        driver_chart(tmp_path / "d.svg", "t", DRIVERS)
    assert issubclass(MissingExtra, RuntimeError)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_degenerate_inputs_still_render(tmp_path: Path, suffix: str) -> None:
    charts = [
        trend_chart(tmp_path / f"none{suffix}", "t", PERIODS, {"NPS": [EMPTY] * 5}),
        trend_chart(tmp_path / f"one{suffix}", "t", ["2024-01"], {"NPS": [nps(5, 3, 2)]}),
        trend_chart(tmp_path / f"zero{suffix}", "t", [], {}),
        trend_chart(tmp_path / f"pct{suffix}", "CSAT", PERIODS, {"CSAT": [csat(8, 10)] * 5}, "%"),
        driver_chart(tmp_path / f"empty{suffix}", "t", []),
        driver_chart(tmp_path / f"unknown{suffix}", "t", [DriverBar("x", EMPTY, 0)]),
    ]
    for chart in charts:
        data = chart.read_bytes()
        if suffix == ".png":
            assert data.startswith(PNG_SIGNATURE)
        else:
            assert ET.fromstring(data).tag == "{http://www.w3.org/2000/svg}svg"


def test_empty_series_says_no_data(tmp_path: Path) -> None:
    assert "no data" in _svg_texts(
        trend_chart(tmp_path / "t.svg", "t", PERIODS, {"NPS": [EMPTY] * 5})
    )
    assert "no drivers" in _svg_texts(driver_chart(tmp_path / "d.svg", "t", []))


def test_many_periods_render_with_thinned_labels(tmp_path: Path) -> None:
    periods = [f"W{i:03d}" for i in range(200)]
    scores = [nps(40 + i % 7, 30, 20 + i % 5) if i % 17 else EMPTY for i in range(200)]
    texts = _svg_texts(trend_chart(tmp_path / "t.svg", "Weekly", periods, {"NPS": scores}))
    shown = [t for t in texts if t.startswith("W") and t[1:].isdigit()]
    assert shown[0] == "W000" and 6 <= len(shown) <= 12
    data = trend_chart(tmp_path / "t.png", "Weekly", periods, {"NPS": scores}).read_bytes()
    assert _png_size(data) == (990, 495)
