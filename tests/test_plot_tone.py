"""`legation plot timeline --tone`: the drawn SVG holds the pair's tone, each month's bar and the index, to scale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

import scenarios
from engine import History
from engine.analysis._tone import tone
from engine.cli import main

pytest.importorskip("matplotlib")
SVG = "{http://www.w3.org/2000/svg}"


def _points(group) -> list[tuple[float, float]]:
    path = group.find(f"{SVG}path")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _draw(tmp_path, capsys, *extra: str):
    out = tmp_path / "t.svg"
    status = main(
        ["plot", "timeline", "--pair", "USA", "BOL", "--from", "2006", "--to", "2010", "--out", str(out), *extra]
    )
    capsys.readouterr()
    assert status == 0
    return ElementTree.parse(out).getroot()


def test_the_svg_draws_every_month_of_the_tone_and_its_index_to_one_scale(tmp_path, capsys):
    root = _draw(tmp_path, capsys, "--tone", "--half-life", "3")
    history = History(scenarios.load(scenarios.DEFAULT).log, strict=False)
    months = tone(history, "USA", "BOL", half_life=3, start="2006-01", end="2010-12")
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("tone-")}
    assert sorted(groups) == sorted([f"tone-{m.month}" for m in months] + ["tone-index"])
    # Bars: each month's height is its Goldstein sum times one scale, drawn up or down from one zero line.
    scale, zero = None, None
    for month in months:
        ys = [y for _, y in _points(groups[f"tone-{month.month}"])]
        height = max(ys) - min(ys)
        if month.weight == 0:
            assert height == pytest.approx(0, abs=1e-3)
            continue
        scale = scale or height / abs(month.weight)
        assert height == pytest.approx(scale * abs(month.weight), rel=1e-3)
        base = max(ys) if month.weight > 0 else min(ys)  # SVG's y grows downwards
        zero = zero if zero is not None else base
        assert base == pytest.approx(zero, abs=1e-3)
    assert scale is not None and any(m.weight < 0 for m in months) and any(m.weight > 0 for m in months)
    # The index: one point per month, at the height of its value on the bars' scale.
    line = _points(groups["tone-index"])
    assert len(line) == len(months)
    for (_, y), month in zip(line, months, strict=True):
        assert zero - y == pytest.approx(scale * month.index, abs=1e-2)
    assert "tone (Goldstein)" in "".join(root.itertext())


def test_without_tone_the_picture_has_no_tone_panel(tmp_path, capsys):
    root = _draw(tmp_path, capsys)
    assert not [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("tone-")]
    assert "tone (Goldstein)" not in "".join(root.itertext())


def test_a_half_life_not_above_zero_is_one_line_and_exit_2(tmp_path, capsys):
    status = main(
        ["plot", "timeline", "--pair", "USA", "BOL", "--tone", "--half-life", "0", "--out", str(tmp_path / "x.png")]
    )
    assert status == 2 and "--half-life" in capsys.readouterr().err and not (tmp_path / "x.png").exists()
