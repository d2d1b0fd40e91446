"""`arw report`: the HTML review page of the sample's inconsistencies, checked as a person sees
it — in headless Chromium: it renders, every image loads, no console errors."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.dbt_build import build
from schemas.validate import validate_report
from warehouse.store import load_report

pytestmark = pytest.mark.slow

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def review_page(sample_report, tmp_path_factory):
    directory = tmp_path_factory.mktemp("review")
    warehouse = directory / "arw.duckdb"
    load_report(warehouse, validate_report(sample_report))
    build(warehouse)
    run = subprocess.run([sys.executable, "-m", "flows.cli", "report", "--warehouse", str(warehouse),
                          "--out", str(directory / "out")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return directory / "out" / "inconsistencies.html"


def test_page_shows_each_finding_with_both_sides_and_page_crops(review_page):
    page = review_page.read_text(encoding="utf-8")
    assert page.count('<article class="finding') == 3
    for rule in ("sick_leave_kf_equals_staff_table", "prose_development_costs", "prose_development_cost_split"):
        assert rule in page
    assert page.count("<img src='data:image/png;base64,") >= 6  # both sides of every finding
    assert "page 19: 7,7" in page and "page 28: 7,8" in page
    assert "row_deviation" in page  # the summary lists the rules that passed too


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")
def test_page_renders_in_headless_chromium_with_images_and_no_console_errors(review_page):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(Path(review_page).as_uri())
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        title = driver.execute_script("return document.querySelector('h1').textContent")
        findings = driver.execute_script("return document.querySelectorAll('article.finding').length")
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    finally:
        driver.quit()
    assert "3 finding(s)" in title and findings == 3
    assert len(images) >= 6 and all(done and width > 50 and height > 10 for done, width, height in images)
    assert errors == []
