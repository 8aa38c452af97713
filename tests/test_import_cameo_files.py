"""The hand-written GDELT 1.0 and 2.0, ICEWS and CSV files of tests/data/cameo: every mapped CAMEO code, read alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import History
from engine.importers.cameo import CameoOptions, cameo_mapping, import_event_lines, import_events
from events import CodedEvent, SanctionEased, SanctionImposed, SanctionWidened

FILES = Path(__file__).resolve().parent / "data" / "cameo"
FORMATS = {
    "events.gdelt1.tsv": "gdelt1",
    "events.gdelt2.tsv": "gdelt2",
    "events.icews.tab": "icews",
    "events.csv": "csv",
}

# What each row of the three files becomes, written out by hand (not read from the table, so a wrong
# table entry fails here): (CAMEO code, kind, actor, target), in file order, one day apart.
EXPECTED = [
    ("010", "statement", "USA", "BOL"),
    ("016", "statement", "BOL", "USA"),
    ("042", "visit", "USA", "BOL"),
    ("043", "visit", "USA", "BOL"),  # BOL hosts: the visitor is the United States
    ("046", "negotiation", "USA", "BOL"),
    ("051", "statement", "BOL", "USA"),
    ("054", "recognition", "USA", "BOL"),
    ("070", "aid_started", "USA", "BOL"),
    ("162", "aid_suspended", "USA", "BOL"),
    ("071", "aid_resumed", "USA", "BOL"),
    ("1621", "aid_suspended", "USA", "BOL"),
    ("072", "aid_resumed", "USA", "BOL"),
    ("1622", "aid_suspended", "USA", "BOL"),
    ("073", "aid_resumed", "USA", "BOL"),
    ("1623", "aid_suspended", "USA", "BOL"),
    ("163", "sanction_imposed", "USA", "BOL"),
    ("163", "sanction_widened", "USA", "BOL"),  # a later report while the programme is in force
    ("085", "sanction_eased", "USA", "BOL"),
    ("085", "sanction_eased", "BOL", "USA"),  # nothing in force to ease: kept, the anomaly reported
    ("111", "statement", "BOL", "USA"),
    ("1121", "statement", "BOL", "USA"),
    ("138", "statement", "USA", "BOL"),
    ("141", "protest", "BOL", "USA"),
    ("1411", "protest", "BOL", "USA"),
    ("161", "envoy_recalled", "BOL", "USA"),  # no envoy, no relations: kept as a recall, the anomaly reported
    ("166", "coded_event", "BOL", "USA"),
    ("1661", "coded_event", "BOL", "USA"),
    ("1662", "coded_event", "BOL", "USA"),
    ("1663", "agency_expelled", "BOL", "USA"),  # no 'aid agencies' started: the anomaly reported
    ("172", "coded_event", "BOL", "USA"),
    ("1723", "coded_event", "BOL", "USA"),
    ("174", "coded_event", "BOL", "USA"),
]
STATEMENTS = {"010": "statement", "016": "denial", "051": "praise", "111": "criticism", "1121": "accusation"}


@pytest.fixture(scope="module", params=sorted(FORMATS))
def imported(request):
    return import_events(FILES / request.param, FORMATS[request.param])


def test_the_files_cover_every_code_of_the_mapping_table():
    codes = {code for code, *_ in EXPECTED}
    assert [entry for entry in cameo_mapping() if not any(code.startswith(entry) for code in codes)] == []


def test_each_row_becomes_the_kind_the_table_gives_between_the_right_states(imported):
    log = imported.scenario.log
    found = [(event.note.split()[1], event.KIND, event.actor, event.target) for event in log]
    assert found == EXPECTED
    for event in log:
        code = event.note.split()[1]
        if code in STATEMENTS:
            assert event.statement == STATEMENTS[code]
        if isinstance(event, CodedEvent):
            assert event.code == code and event.goldstein is not None
            assert event.source_url or imported.scenario.name == "events.icews"  # ICEWS rows carry no address


def test_an_imported_sanction_is_named_after_its_code_and_says_its_scope_is_not_known(imported):
    log = imported.scenario.log
    imposed = next(event for event in log if isinstance(event, SanctionImposed))
    assert (imposed.programme, imposed.scope, imposed.basis) == ("CAMEO 163 sanctions", ("unspecified",), None)
    widened = next(event for event in log if isinstance(event, SanctionWidened))
    assert widened.programme == "CAMEO 163 sanctions"
    eased = [event for event in log if isinstance(event, SanctionEased)]
    assert [(event.programme, event.scope) for event in eased] == [("CAMEO 163 sanctions", ())] * 2
    history = History(log, strict=False)
    # An ease removes no scope (CAMEO does not say how much): the programme is still in force at the end.
    (programme,) = history.state_at("USA", "BOL", "2010-12-31").state.ba.sanctions  # ab is BOL in USA
    assert (programme.programme, programme.scope) == ("CAMEO 163 sanctions", frozenset({"unspecified"}))
    assert history.panel([("USA", "BOL")], start="2010", end="2010")["sanctions_ba"].tolist() == [1]


def test_every_anomaly_of_the_lenient_import_is_reported(imported):
    anomalies = "\n".join(imported.report.anomalies)
    assert "has no CAMEO 163 sanctions in force on USA to ease" in anomalies
    assert len(imported.report.anomalies) == 3  # the ease of nothing, the recall of no envoy, the absent agency
    counts = imported.report.counts
    assert counts["CAMEO 174 kept as a coded_event (the table maps it to no kind)"] == 1
    assert counts["CAMEO 163 as sanction_widened"] == 1


def _onto(*events):
    from events import scenario_of

    return scenario_of(list(events))


def _sanction(event_id, programme, day="2009-01-01"):
    return SanctionImposed(
        id=event_id, date=day, actor="USA", target="BOL", programme=programme, scope=("trade",), sources=("s",)
    )


def _rows(*codes):
    header = "date,actor,target,code"
    return enumerate([header, *(f"2010-01-{n:02d},USA,BOL,{code}" for n, code in enumerate(codes, start=1))], 1)


def test_an_ease_finds_the_one_programme_in_force_of_a_history_imported_onto():
    onto = _onto(_sanction("s1", "Andean trade preferences suspended"))
    result = import_event_lines(_rows("085"), "csv", "e.csv", onto=onto)
    eased = result.scenario.log[-1]
    assert (eased.KIND, eased.programme) == ("sanction_eased", "Andean trade preferences suspended")
    assert result.report.anomalies == []


def test_an_ease_among_several_programmes_is_kept_on_the_record_and_reported():
    onto = _onto(_sanction("s1", "Programme A"), _sanction("s2", "Programme B", "2009-02-01"))
    result = import_event_lines(_rows("085"), "csv", "e.csv", onto=onto)
    assert isinstance(result.scenario.log[-1], CodedEvent)
    assert "2 programmes in force (Programme A, Programme B)" in result.report.problems[0]
    # Once CAMEO's own programme is in force, an ease is of that one.
    result = import_event_lines(_rows("163", "085"), "csv", "e.csv", onto=onto)
    assert result.scenario.log[-1].programme == "CAMEO 163 sanctions" and result.report.problems == []


def test_the_mapping_can_be_overridden_per_code():
    options = CameoOptions(overrides={"085": ("sanction_lifted",), "174": ("staff_expelled",)})
    result = import_event_lines(_rows("163", "085", "174"), "csv", "e.csv", options)
    assert [event.KIND for event in result.scenario.log] == ["sanction_imposed", "sanction_lifted", "staff_expelled"]
    assert History(result.scenario.log).state_at("USA", "BOL", "2010-01-31").state.ba.sanctions == frozenset()
