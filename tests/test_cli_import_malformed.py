"""Malformed data files given to `legation import`: each is one line naming the file and line, exit 2, nothing written.

The issue's list, for every format: missing columns, a wrong column count, bad dates, unknown actors, wrong
encodings, a 0-byte file and a 2 GB line (a real one: a sparse file, of which the importer reads 1 MiB).
"""

from __future__ import annotations

import pytest

from engine.cli import main
from engine.importers.cameo import GDELT1_COLUMNS

COW_HEADER = '"ccode1","ccode2","year","DR_at_1","DR_at_2","DE","version"\n'
ICEWS_HEADER = "Event ID\tEvent Date\tSource Country\tCAMEO Code\tTarget Country\n"


def gdelt(day="20100105", actor="USA", target="BOL", code="042", width=None) -> str:
    values = dict.fromkeys(GDELT1_COLUMNS, "")
    values.update(SQLDATE=day, Actor1CountryCode=actor, Actor2CountryCode=target, EventCode=code)
    return "\t".join([values[column] for column in GDELT1_COLUMNS][: width or len(GDELT1_COLUMNS)]) + "\n"


GOOD = {
    "cow": COW_HEADER + "2,20,1920,0,0,0,2006.1\n",
    "gdelt1": gdelt(),
    "icews": ICEWS_HEADER + "1\t2010-01-05\tUnited States\t042\tBolivia\n",
    "csv": "date,actor,target,code\n2010-01-05,USA,BOL,042\n",
}
CASES = [
    # (format, content, the line named, words of the message)
    ("cow", COW_HEADER.replace(',"version"', ""), 1, "expected the header"),
    ("cow", COW_HEADER + "2,20,1920,0,0,0\n", 2, "expected 7 fields, found 6"),
    ("cow", COW_HEADER + "2,20,19x0,0,0,0,2006.1\n", 2, "field 'year'"),
    ("cow", COW_HEADER + "2,9999,1920,0,0,0,2006.1\n", 2, "field 'ccode2'"),
    ("gdelt1", gdelt() + gdelt(width=40), 2, "expected 57 or 58 tab-separated fields"),
    ("gdelt1", gdelt() + gdelt(day="20100231"), 2, "field 'SQLDATE'"),
    ("gdelt1", gdelt() + gdelt(target="ATL"), 2, "field 'Actor2CountryCode'"),
    ("icews", ICEWS_HEADER.replace("\tCAMEO Code", ""), 1, "field 'CAMEO Code'"),
    ("icews", ICEWS_HEADER + "1\t2010-01-05\tUnited States\t042\n", 2, "expected 5 fields, as in the header"),
    ("icews", ICEWS_HEADER + "1\t05/01/2010\tUnited States\t042\tBolivia\n", 2, "field 'Event Date'"),
    ("icews", ICEWS_HEADER + "1\t2010-01-05\tUnited States\t042\tAtlantis\n", 2, "field 'Target Country'"),
    ("csv", "date,actor,code\n2010-01-05,USA,042\n", 1, "field 'target'"),
    ("csv", "date,actor,target,code\n2010-01-05,USA,BOL,042,9\n", 2, "expected 4 fields, as in the header"),
    ("csv", "date,actor,target,code\n2010-1-5,USA,BOL,042\n", 2, "field 'date'"),
    ("csv", "date,actor,target,code\n2010-01-05,Atlantis,BOL,042\n", 2, "field 'actor'"),
]


def run_import(capsys, fmt, path, out):
    status = main(["import", fmt, str(path), "-o", str(out)])
    captured = capsys.readouterr()
    return status, captured.err


def check(status, err, path, line, words, out):
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("legation: error: "), err
    assert f"{path.name}:{line}: " in err and words in err, err
    assert not out.exists()


@pytest.mark.parametrize(("fmt", "content", "line", "words"), CASES)
def test_a_malformed_file_is_one_line_naming_its_line(capsys, tmp_path, fmt, content, line, words):
    path, out = tmp_path / f"bad.{fmt}", tmp_path / "out.toml"
    path.write_text(content, encoding="utf-8")
    check(*run_import(capsys, fmt, path, out), path, line, words, out)


@pytest.mark.parametrize("fmt", sorted(GOOD))
def test_encodings_and_empty_files_name_their_line_in_every_format(capsys, tmp_path, fmt):
    out = tmp_path / "out.toml"
    good = GOOD[fmt]
    path = tmp_path / f"latin1.{fmt}"
    path.write_bytes(good.encode() + good.splitlines()[-1].replace("0", "é").encode("latin-1") + b"\n")
    lines = good.count("\n") + 1
    check(*run_import(capsys, fmt, path, out), path, lines, "expected UTF-8 text", out)
    path = tmp_path / f"utf16.{fmt}"
    path.write_bytes(good.encode("utf-16"))
    check(*run_import(capsys, fmt, path, out), path, 1, "UTF-16", out)
    path = tmp_path / f"empty.{fmt}"
    path.write_bytes(b"")
    check(*run_import(capsys, fmt, path, out), path, 1, "an empty file", out)


@pytest.mark.parametrize("fmt", sorted(GOOD))
def test_a_two_gigabyte_line_is_refused_after_reading_one_mebibyte(capsys, tmp_path, fmt):
    out = tmp_path / "out.toml"
    path = tmp_path / f"huge.{fmt}"
    good = GOOD[fmt].encode()
    with path.open("wb") as stream:
        stream.write(good)
        stream.truncate(len(good) + (2 << 30))  # sparse: 2 GiB of line without a line ending, no disk used
    line = good.count(b"\n") + 1
    check(*run_import(capsys, fmt, path, out), path, line, "expected a line of at most 1048576 bytes", out)
