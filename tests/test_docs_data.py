"""The worked analysis of docs/data.md runs and draws its picture; the docs list the whole mapping table."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_the_worked_analysis_draws_its_figure(tmp_path):
    spec = importlib.util.spec_from_file_location("make_data_figure", DOCS / "make_data_figure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "figure.png"
    module.draw(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 10_000


def test_the_docs_list_every_mapped_code_and_every_panel_column():
    from engine.analysis._panel import PANEL_DICTIONARY
    from engine.importers.cameo import cameo_mapping

    text = (DOCS / "data.md").read_text(encoding="utf-8")
    assert [code for code in cameo_mapping() if f"| {code} |" not in text] == []
    rows = {line.split(" | ")[0][2:]: line for line in text.splitlines() if line.startswith("| ")}
    # Each row gives the table's kinds and its judgement call word for word (the docs print the table).
    for code, entry in cameo_mapping().items():
        assert entry.why in rows[code], code
        assert all(f"`{kind}`" in rows[code] for kind in entry.kinds), code
    assert [column for column in PANEL_DICTIONARY if f"| `{column}` |" not in text] == []
