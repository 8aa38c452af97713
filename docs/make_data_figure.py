"""Draws docs/images/data_tone_levels.png: the worked analysis of docs/data.md (tone and levels of a pair)."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import scenarios
from engine import History
from engine.analysis._tone import tone_frame


def draw(out: Path) -> None:
    history = History(scenarios.load(scenarios.DEFAULT).log, strict=False)
    panel = history.panel([("USA", "BOL")], freq="month", start="2000-01", end="2020-12")
    months = tone_frame(history, "USA", "BOL", start="2000-01", end="2020-12")
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    when = months["month"].dt.to_timestamp()
    top.bar(when, months["weight"], width=25, color="#999999", label="Goldstein sum of the month")
    top.plot(when, months["index"], color="#b2182b", label="decaying index (half-life 6 months)")
    top.axhline(0, color="black", linewidth=0.5)
    top.set_ylabel("tone")
    top.legend(loc="lower left", fontsize=8)
    days = panel["period"].dt.to_timestamp()
    bottom.step(days, panel["level_ab"].where(panel["level_ab"] != 9, 0.5), where="post", label="BOL in USA")
    bottom.step(days, panel["level_ba"].where(panel["level_ba"] != 9, 0.5), where="post", label="USA in BOL")
    bottom.set_yticks([0, 1, 2, 3], ["none", "chargé", "minister", "ambassador"])
    bottom.set_ylabel("head of mission")
    bottom.legend(loc="lower left", fontsize=8)
    figure.suptitle("Bolivia–United States, 2000–2020: tone of events and representation levels")
    figure.tight_layout()
    figure.savefig(out, dpi=100)


if __name__ == "__main__":
    draw(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "images" / "data_tone_levels.png")
