"""Remake the explorer screenshots in docs/images/ (needs the test extra and Debian's chromium).

Run from the repository root: `python docs/images/explorer_screenshots.py`.
"""

import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from engine.cli import main

IMAGES = Path(__file__).resolve().parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def _open(browser, path: Path, width: int, height: int, date: str):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(path.as_uri())
    page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=120_000)
    page.fill("#date-input", date)
    page.press("#date-input", "Enter")
    return page


def _section(page, selector: str, out: str) -> None:
    # The date control stays at the top of the window as one scrolls; here it would cover the section.
    page.add_style_tag(content="#controls { position: static; }")
    page.locator(selector).screenshot(path=IMAGES / out)


def make() -> None:
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # the pages print the command that made them: keep its file names short
        plain, whatif = Path(folder) / "bolivia-usa.html", Path(folder) / "bolivia-usa-whatif.html"
        main(["report", "--pair", "BOL", "USA", "--out", plain.name])
        whatif_file = "bolivia_usa/no_goldberg_expulsion"
        main(["report", "--pair", "BOL", "USA", "--whatif", whatif_file, "--out", whatif.name])
        os.chdir(here)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = _open(browser, plain, 1200, 900, "2008-10-01")
            page.screenshot(path=IMAGES / "explorer-overview.png")
            _section(page, "#state", "explorer-state.png")
            _section(page, "#alignment", "explorer-alignment.png")
            page.click('#state-base td[data-field="persona_non_grata USA->BOL"] a.event-link')
            page.screenshot(path=IMAGES / "explorer-citation.png")
            page.close()
            page = _open(browser, whatif, 1200, 900, "2008-09-10")
            _section(page, "#whatif", "explorer-whatif-question.png")
            _section(page, "#state", "explorer-whatif-state.png")
            page.close()
            page = _open(browser, plain, 390, 844, "2008-09")
            page.screenshot(path=IMAGES / "explorer-phone.png")
            page.add_style_tag(content="#controls { position: static; }")
            page.locator("#state-title").scroll_into_view_if_needed()
            page.screenshot(path=IMAGES / "explorer-phone-state.png")
            browser.close()


if __name__ == "__main__":
    make()
