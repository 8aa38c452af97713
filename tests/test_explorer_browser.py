"""The explorer page in a real browser: Debian's Chromium, driven by Playwright (never a downloaded browser).

Each page is written by the real `legation report` command and opened from disk. Playwright gives each
browser a fresh temporary profile (its own --user-data-dir); the flags are those that work headless here.
"""

import io
import json
import os
from contextlib import redirect_stdout
from pathlib import Path

import pytest

import scenarios
from engine import Counterfactual, History, timeline
from engine.cli import main
from engine.cli._render import as_of_json
from engine.explorer import report_html, write_report
from engine.synthetic import synthetic_log
from events import Scenario

CHROMIUM = os.environ.get("LEGATION_CHROMIUM", "/usr/bin/chromium")
if not os.path.exists(CHROMIUM):
    pytest.skip(
        f"no Chromium at {CHROMIUM}: install Debian's (apt-get install -y chromium; .ci/run does) to run the "
        "explorer's browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests drive Chromium with Playwright")
pytest.importorskip("bokeh", reason="the explorer needs the report extra (jinja2, bokeh)")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NOT_ROWS = {"date", "asked", "pair", "uncertain", "basis"}


def _cli(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return out.getvalue()


def _at(date: str, pair=("BOL", "USA")) -> dict:
    return json.loads(_cli("at", date, "--pair", *pair, "--format", "json"))


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorer")
    plain, whatif = folder / "bolivia-usa.html", folder / "bolivia-usa-whatif.html"
    _cli("report", "--pair", "BOL", "USA", "--out", str(plain))
    _cli("report", "--pair", "BOL", "USA", "--whatif", "bolivia_usa/no_goldberg_expulsion", "--out", str(whatif))
    return {"plain": plain, "whatif": whatif}


class Opened:
    """A page opened from disk, with what it logged and any request it tried beyond the file."""

    def __init__(self, browser, path: Path, width: int = 1280, height: int = 900, fragment: str = "") -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

        def refuse(route):
            if not route.request.url.startswith("file://"):
                self.requests.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        self.page.route("**/*", refuse)
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=120_000)

    def show(self, text: str) -> None:
        """Type a date and press Enter, as a reader would."""
        self.page.fill("#date-input", text)
        self.page.press("#date-input", "Enter")

    def cells(self, history: str = "base") -> dict[str, dict]:
        """Each state cell: its field, JSON value, uncertain events and linked event."""
        return self.page.eval_on_selector_all(
            f"#state-{history} td[data-field]",
            """cells => Object.fromEntries(cells.map(cell => [cell.dataset.field, {
                json: JSON.parse(cell.dataset.json),
                uncertain: cell.dataset.uncertain ? cell.dataset.uncertain.split(' ') : null,
                link: cell.querySelector('a.event-link')?.dataset.event ?? null,
                differs: cell.classList.contains('differs'),
            }]))""",
        )

    def close(self) -> None:
        self.context.close()


def _assert_same_state(opened: Opened, expected: dict, history: str = "base") -> None:
    """The table shows, field by field, what `legation at` printed; uncertain marks and links agree too."""
    cells = opened.cells(history)
    fields = set()
    for key, value in expected.items():
        if key in NOT_ROWS:
            continue
        if isinstance(value, dict) and key != "relations":
            for side, side_value in value.items():
                field = f"{key} {side}"
                assert cells[field]["json"] == side_value, field
                fields.add(field)
        else:
            assert cells[key]["json"] == value, key
            fields.add(key)
    assert set(cells) == fields
    assert {field for field, cell in cells.items() if cell["uncertain"]} == set(expected["uncertain"])
    for field, ids in expected["uncertain"].items():
        assert cells[field]["uncertain"] == ids
    for field, event_id in expected["basis"].items():
        assert cells[field]["link"] == event_id, field
    shown = json.loads(opened.page.text_content(f"#json-{history}"))
    assert shown == expected


def test_the_page_opens_with_no_console_error_and_no_network(browser, pages):
    for path in pages.values():
        opened = Opened(browser, path)
        assert opened.errors == []
        assert opened.requests == []
        assert opened.page.title().startswith("Bolivia and United States")
        # Every control has a name a screen reader reads out (a label, an aria-label or its text).
        unnamed = opened.page.eval_on_selector_all(
            "input, button, select, textarea",
            """controls => controls.filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')
                && !c.textContent.trim()).map(c => c.outerHTML)""",
        )
        assert unnamed == []
        opened.close()


def test_typed_dates_show_the_state_legation_at_prints_field_by_field(browser, pages):
    opened = Opened(browser, pages["plain"])
    for text in ("1800", "1848-06-01", "1900", "2008-09", "2008-09-10", "2008-09-14", "2008", "2010-06-01", "2025"):
        opened.show(text)
        assert opened.page.input_value("#date-input") == text
        _assert_same_state(opened, _at(text))
    opened.show("2008-02-30")
    assert "not a date this page reads" in opened.page.text_content("#date-status")
    assert opened.errors == []
    opened.close()


def test_an_address_with_a_date_opens_the_page_on_that_date(browser, pages):
    opened = Opened(browser, pages["plain"], fragment="#date=2008-09")
    assert opened.page.input_value("#date-input") == "2008-09"
    _assert_same_state(opened, _at("2008-09"))
    opened.show("2010")
    assert opened.page.evaluate("window.location.hash") == "#date=2010"
    opened.close()


def test_the_slider_moves_by_keyboard_through_the_changes_and_shows_legation_at(browser, pages):
    opened = Opened(browser, pages["plain"])
    slider = opened.page.locator("#date-slider")
    slider.focus()
    seen = []
    for key in ("Home", "ArrowRight", "ArrowRight", "End", "ArrowLeft", "PageDown"):
        opened.page.keyboard.press(key)
        day = opened.page.input_value("#date-input")
        assert slider.get_attribute("aria-valuetext") == day
        _assert_same_state(opened, _at(day))
        seen.append(day)
    assert len(set(seen)) >= 4
    # A position in the middle, set as a pointer would.
    slider.fill(str(int(slider.get_attribute("max")) // 2))
    _assert_same_state(opened, _at(opened.page.input_value("#date-input")))
    opened.close()


def test_a_values_link_opens_the_event_and_its_citations(browser, pages):
    opened = Opened(browser, pages["plain"])
    opened.show("2008-10-01")
    link = opened.page.locator('#state-base td[data-field="persona_non_grata USA->BOL"] a.event-link')
    assert link.get_attribute("data-event") == "goldberg-expelled"
    link.focus()
    opened.page.keyboard.press("Enter")
    dialog = opened.page.locator("#citation")
    assert dialog.is_visible()
    event = scenarios.load("bolivia_usa").log.get("goldberg-expelled")
    assert opened.page.locator("#citation-sources li").all_text_contents() == list(event.sources)
    assert event.note == opened.page.text_content("#citation-note")
    assert "goldberg-expelled" in opened.page.text_content("#citation-facts")
    opened.page.keyboard.press("Escape")
    assert not dialog.is_visible()
    opened.close()


def test_the_events_list_filters_by_kind_with_notes_and_sources(browser, pages):
    opened = Opened(browser, pages["plain"])
    history = History(scenarios.load("bolivia_usa").log)
    expelled = [entry.event for entry in timeline(history, "BOL", "USA") if entry.event.KIND == "envoy_expelled"]
    opened.page.click("#kinds-none")
    assert opened.page.locator("#events-base > li").count() == 0
    opened.page.check('#kind-boxes input[value="envoy_expelled"]')
    items = opened.page.locator("#events-base > li")
    assert items.count() == len(expelled)
    assert {items.nth(i).get_attribute("data-kind") for i in range(items.count())} == {"envoy_expelled"}
    first = opened.page.locator(f"#ev-base-{expelled[0].id}")
    assert first.locator(".sources li").all_text_contents() == list(expelled[0].sources)
    if expelled[0].note:
        assert first.locator(".note").text_content() == expelled[0].note
    opened.close()


def test_the_counterfactual_view_marks_the_first_divergence(browser, pages):
    comparison = json.loads(
        _cli("whatif", "bolivia_usa/no_goldberg_expulsion", "--pair", "BOL", "USA", "--format", "json")
    )
    diverges = comparison["diverges"]["date"]
    opened = Opened(browser, pages["whatif"])
    assert opened.errors == []
    marker = opened.page.locator("#divergence")
    assert marker.get_attribute("data-date") == diverges
    for event_id in comparison["diverges"]["events"]:
        assert event_id in marker.text_content()
    # The timeline chart draws the divergence where the engine puts it.
    location = opened.page.evaluate("Bokeh.documents.map(d => d.get_model_by_name('divergence')).find(m => m).location")
    assert location == opened.page.evaluate(f"Date.parse('{diverges}T00:00:00Z')")
    opened.page.click("#go-divergence")
    assert opened.page.input_value("#date-input") == diverges
    in_force = {
        d["field"] if "-" in d["subject"] else f"{d['field']}s {d['subject']}"
        for d in comparison["timeline"]
        if d["appears"] <= diverges and (d["disappears"] is None or diverges < d["disappears"])
    }
    assert in_force
    for history in ("base", "whatif"):
        cells = opened.cells(history)
        assert {field for field, cell in cells.items() if cell["differs"]} == in_force
    _assert_same_state(opened, _at(diverges), "base")
    # The counterfactual's column is its own history's answer, as the engine folds the edited log.
    spec, base = scenarios.load_counterfactual("bolivia_usa/no_goldberg_expulsion")
    edited = History(Counterfactual.from_spec(spec, base.log).log)
    _assert_same_state(
        opened, json.loads(json.dumps(as_of_json(edited.state_at("BOL", "USA", diverges), edited))), "whatif"
    )
    # The day before, the two histories agree: nothing is marked.
    opened.page.click("#previous-change")
    day = opened.page.input_value("#date-input")
    assert day < diverges
    assert not any(cell["differs"] for cell in opened.cells("whatif").values())
    opened.close()


def _assert_not_blank(path: Path, width: int, min_height: int) -> None:
    from PIL import Image, ImageStat

    with Image.open(path) as image:
        assert image.width == width
        assert image.height >= min_height
        rgb = image.convert("RGB")
        assert len(rgb.getcolors(maxcolors=1 << 20) or ()) > 50
        assert max(ImageStat.Stat(rgb).stddev) > 20


def test_screenshots_on_a_desktop_and_a_phone_are_not_blank(browser, pages, tmp_path):
    desktop = Opened(browser, pages["whatif"])
    desktop.show("2009-01-01")
    desktop.page.screenshot(path=tmp_path / "desktop.png", full_page=True)
    _assert_not_blank(tmp_path / "desktop.png", 1280, 2000)
    desktop.close()
    phone = Opened(browser, pages["plain"], width=390, height=844)
    # Nothing wider than the phone: the page reads without scrolling sideways.
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.page.screenshot(path=tmp_path / "phone.png")
    _assert_not_blank(tmp_path / "phone.png", 390, 844)
    phone.close()


def test_a_ten_thousand_event_history_opens_in_under_two_seconds_and_under_ten_megabytes(browser, tmp_path):
    # One pair carries all 10,000 events (two actors): the largest page a 10,000-event history can make.
    log = synthetic_log(10_000, actors=2)
    scenario = Scenario(name="synthetic", log=log, pair=("S000", "S001"), title="Synthetic history")
    path = tmp_path / "synthetic.html"
    html = report_html(scenario, ("S000", "S001"))
    write_report(path, html)
    assert path.stat().st_size < 10_000_000
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    session = context.new_cdp_session(page)
    # The renderer's main thread: its busy time (thread ticks, not the wall clock, which other work on a
    # shared machine stretches) from opening the file until every chart is drawn.
    session.send("Performance.enable", {"timeDomain": "threadTicks"})
    page.goto("about:blank")
    before = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    page.goto(path.as_uri())
    page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=120_000)
    after = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
    busy = after["TaskDuration"] - before["TaskDuration"]
    assert 0 < busy < 2.0, f"the page kept the browser's main thread busy {busy:.2f} s"
    assert errors == []
    history = History(log)
    expected = json.loads(json.dumps(_engine_answer(history, "1990-06-01")))
    page.fill("#date-input", "1990-06-01")
    page.press("#date-input", "Enter")
    assert json.loads(page.text_content("#json-base")) == expected
    context.close()


def _engine_answer(history: History, text: str) -> dict:
    return as_of_json(history.state_at("S000", "S001", text), history)
