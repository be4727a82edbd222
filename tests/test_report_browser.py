"""The report in a real browser: headless Chromium (Debian's package) driven by Playwright.

It must open without console errors or failed requests, show every figure (decoded, non-zero
size) and every section. The full-page screenshot is kept in ``test-artifacts/`` (or
``$LABOUR_ABM_ARTIFACTS``) for a person to look at. `.ci/run` installs Chromium, so CI always
runs this; elsewhere it skips, saying why.
"""

from __future__ import annotations

import pytest

from labour_abm.ui.report import write_report

from .conftest import ARTIFACTS

pytestmark = pytest.mark.slow  # starts a browser


def test_the_report_opens_cleanly_in_chromium(browser, report_experiment):
    path = write_report(report_experiment.out)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(path.resolve().as_uri(), wait_until="load")

    assert problems == []
    for section in ("Question", "Setup", "Key numbers", "Plots", "Effects", "Provenance"):
        assert page.locator("h2", has_text=section).count() == 1, section
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth, e.naturalHeight])")
    assert len(images) >= 10
    assert all(done and w > 300 and h > 200 for done, w, h in images), images
    assert page.locator("table.effects").count() >= 3
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 100_000
    page.close()
