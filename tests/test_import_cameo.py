"""CAMEO event data import (GDELT 1.0/2.0, ICEWS, CSV): every mapped code, deduplication, bad input by line."""

from __future__ import annotations

import pytest

from engine import History
from engine.analysis._tone import event_weight, tone
from engine.importers._common import ImportFormatError
from engine.importers.cameo import (
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    CameoOptions,
    cameo_mapping,
    codebook,
    goldstein_weights,
    import_event_lines,
    import_events,
)
from events import CodedEvent


def gdelt_row(columns, event_id, day, actor, target, code, goldstein=None, mentions=3, url="https://example.org/a"):
    values = dict.fromkeys(columns, "")
    values.update(
        GLOBALEVENTID=str(event_id), SQLDATE=day, Actor1CountryCode=actor, Actor2CountryCode=target,
        EventCode=code, GoldsteinScale="" if goldstein is None else str(goldstein), NumMentions=str(mentions),
        NumSources="1", NumArticles="2", SOURCEURL=url,
    )  # fmt: skip
    return "\t".join(values[column] for column in columns)


def run(lines, fmt="gdelt1", **options):
    return import_event_lines(enumerate(lines, start=1), fmt, "events.tsv", CameoOptions(**options))


# One row per mapped code, in an order the state allows: relations and envoys first, so 161 can reduce.
MAPPED = sorted(cameo_mapping())


def test_every_mapped_code_becomes_its_kind_or_a_kept_record():
    lines = [
        gdelt_row(
            GDELT1_COLUMNS,
            n,
            f"2010{(n % 12) + 1:02d}{(n % 27) + 1:02d}",
            "USA",
            "BOL",
            code if len(code) > 2 else code + "0",
        )
        for n, code in enumerate(MAPPED, start=1)
    ]
    result = run(lines)
    by_code = {}
    for event in result.scenario.log:
        by_code.setdefault(event.note.split()[1], event)
    for code in MAPPED:
        code = code if len(code) > 2 else code + "0"
        entry = cameo_mapping().get(code) or cameo_mapping()[code[:2]]
        event = by_code[code]
        if entry.kinds:
            assert event.KIND in entry.kinds, code
            assert (event.actor, event.target) == (("BOL", "USA") if entry.swap else ("USA", "BOL"))
        else:
            assert isinstance(event, CodedEvent) and event.code == code
            assert result.report.counts[f"CAMEO {code} kept as a coded_event (the table maps it to no kind)"] == 1


def test_161_reduces_when_there_is_an_envoy_and_breaks_when_there_is_none():
    from events import EnvoyAccredited, RelationsEstablished, scenario_of

    base = scenario_of(
        [
            RelationsEstablished(id="r", date="2009-01-01", actor="USA", target="BOL", sources=("s",)),
            EnvoyAccredited(id="a", date="2009-02-01", actor="USA", target="BOL", rank="charge", sources=("s",)),
        ]
    )
    rows = [gdelt_row(GDELT1_COLUMNS, n, day, "USA", "BOL", "161") for n, day in ((1, "20100101"), (2, "20100301"))]
    onto = import_event_lines(enumerate(rows, start=1), "gdelt1", "events.tsv", CameoOptions(), onto=base)
    # The chargé is recalled (a reduction); with no head left, the second report is the break.
    assert [event.KIND for event in onto.scenario.log] == [
        "relations_established",
        "envoy_accredited",
        "envoy_recalled",
        "relations_severed",
    ]
    assert onto.report.anomalies == []
    reduce = run([gdelt_row(GDELT1_COLUMNS, 1, "20100101", "USA", "BOL", "161")])
    assert [event.KIND for event in reduce.scenario.log] == ["envoy_recalled"]
    assert reduce.report.anomalies  # no envoy to recall and no relations to break: kept, anomaly reported
    broken = run([gdelt_row(GDELT1_COLUMNS, 1, "20100101", "USA", "BOL", "161")], prefer_break=True)
    assert [event.KIND for event in broken.scenario.log] == ["relations_severed"]
    recorded = run([gdelt_row(GDELT1_COLUMNS, 1, "20100101", "USA", "BOL", "161")], impossible="record")
    assert isinstance(recorded.scenario.log[0], CodedEvent) and "impossible" in recorded.report.problems[0]
    with pytest.raises(ImportFormatError, match=r"events\.tsv:1"):
        run([gdelt_row(GDELT1_COLUMNS, 1, "20100101", "USA", "BOL", "161")], impossible="error")


def test_reports_of_one_event_merge_by_day_and_counts_add_up():
    rows = [gdelt_row(GDELT1_COLUMNS, n, "20100105", "USA", "BOL", "043", 2.8, mentions=n) for n in (1, 2, 3)]
    merged = run(rows).scenario.log
    assert len(merged) == 1 and "3 reports, 6 mentions" in merged[0].note
    assert len(run(rows, dedup="none").scenario.log) == 3
    monthly = run([*rows, gdelt_row(GDELT1_COLUMNS, 9, "20100120", "USA", "BOL", "043")], dedup="month").scenario.log
    assert len(monthly) == 1 and str(monthly[0].date) == "2010-01"


def test_unmapped_codes_are_kept_with_weight_url_and_counts_and_counted():
    result = run([gdelt_row(GDELT1_COLUMNS, 1, "20100105", "USA", "BOL", "0841")])
    event = result.scenario.log[0]
    assert isinstance(event, CodedEvent)
    assert (event.code, event.goldstein, event.source_url, event.mentions) == ("0841", 7.0, "https://example.org/a", 3)
    assert result.report.counts["unmapped CAMEO 0841"] == 1


def test_gdelt2_icews_and_csv_read_the_same_event():
    gdelt2 = run([gdelt_row(GDELT2_COLUMNS, 1, "20100105", "USA", "BOL", "042")], fmt="gdelt2")
    icews_header = (
        "Event ID\tEvent Date\tSource Name\tSource Country\tEvent Text\tCAMEO Code\tIntensity\tTarget Country"
    )
    icews = run([icews_header, "7\t2010-01-05\tObama\tUnited States\tMake a visit\t042\t1.9\tBolivia"], fmt="icews")
    table = run(["date,actor,target,code,goldstein", "2010-01-05,2,BO,42,1.9"], fmt="csv")
    for result in (gdelt2, icews, table):
        (event,) = result.scenario.log
        assert (event.KIND, event.actor, event.target, str(event.date)) == ("visit", "USA", "BOL", "2010-01-05")


@pytest.mark.parametrize(
    ("fmt", "lines", "message"),
    [
        ("gdelt1", [], "expected event rows, found 'an empty file'"),
        ("gdelt1", ["1\t2\t3"], "events.tsv:1: expected 57 or 58 tab-separated fields"),
        ("gdelt1", [gdelt_row(GDELT1_COLUMNS, 1, "2010-01-05", "USA", "BOL", "042")], ":1: field 'SQLDATE'"),
        ("gdelt1", [gdelt_row(GDELT1_COLUMNS, 1, "20100105", "USA", "ZZZ", "042")], ":1: field 'Actor2CountryCode'"),
        ("gdelt1", [gdelt_row(GDELT1_COLUMNS, 1, "20100105", "USA", "BOL", "999")], ":1: field 'EventCode'"),
        ("gdelt2", [gdelt_row(GDELT1_COLUMNS, 1, "20100105", "USA", "BOL", "042")], ":1: expected 61 tab-separated"),
        ("icews", ["Event Date\tSource Country"], ":1: field 'Target Country': expected a header naming"),
        ("icews", ["Event Date\tSource Country\tTarget Country\tCAMEO Code", "2010-02-30\tBolivia\tPeru\t042"], ":2"),
        ("csv", ["date,actor,target,code", "2010-01-05,USA,BOL"], ":2: expected 4 fields, as in the header"),
        ("csv", ["date,actor,target,code,mentions", "2010-01-05,USA,BOL,042,-1"], ":2: field 'mentions'"),
    ],
)
def test_malformed_event_data_is_one_clear_error_naming_the_line(fmt, lines, message):
    with pytest.raises(ImportFormatError) as caught:
        run(lines, fmt=fmt)
    assert message in str(caught.value)


def test_unknown_countries_can_be_skipped_and_counted():
    result = run([gdelt_row(GDELT1_COLUMNS, 1, "20100105", "USA", "AFR", "042")], unknown_actors="skip")
    assert len(result.scenario.log) == 0 and result.report.counts["rows with an unknown country"] == 1


def test_wrong_encoding_and_a_very_long_line_name_the_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_bytes(gdelt_row(GDELT1_COLUMNS, 1, "20100105", "USA", "BOL", "042").encode() + b"\n\xff\xfe\n")
    with pytest.raises(ImportFormatError, match=r"bad\.tsv:2: expected UTF-8 text"):
        import_events(path, "gdelt1")
    path.write_bytes(b"x" * (2 << 20))
    with pytest.raises(ImportFormatError, match=r"bad\.tsv:1: expected a line of at most"):
        import_events(path, "gdelt1")
    path.write_bytes(b"")
    with pytest.raises(ImportFormatError, match="empty file"):
        import_events(path, "gdelt1")


def test_shipped_tables_agree_and_are_complete():
    assert set(codebook()) == set(goldstein_weights())
    assert codebook()["106"] == "Demand withdrawal"  # a garbled line of some copies, repaired
    assert all(code in codebook() for code in cameo_mapping())


def test_tone_sums_goldstein_weights_by_month_and_decays():
    rows = [
        gdelt_row(GDELT1_COLUMNS, 1, "20100105", "USA", "BOL", "042"),
        gdelt_row(GDELT1_COLUMNS, 2, "20100110", "BOL", "USA", "111"),
        gdelt_row(GDELT1_COLUMNS, 3, "20100301", "USA", "BOL", "0841"),
    ]
    history = History(run(rows).scenario.log, strict=False)
    months = tone(history, "USA", "BOL", half_life=1)
    assert [(m.month, m.events, m.weight) for m in months] == [
        ("2010-01", 2, -0.1),
        ("2010-02", 0, 0.0),
        ("2010-03", 1, 7.0),
    ]
    assert months[1].index == pytest.approx(-0.05) and months[2].index == pytest.approx(7.0 - 0.025)
    assert event_weight(history.log[0]) == 1.9
