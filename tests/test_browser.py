"""The built documentation in a real browser: layout at 1280 px and the "Try it" panel.

The project docs are built with Sphinx (as CI builds them, warnings as errors) and the walk
example's site with ``gistpath docs``; headless Chromium, driven through its chromedriver by
Selenium, then opens them. At a window 1280 px wide the decision diagram and every decision
table on the GIST page fit in the page, no code block on any page is wider than its box,
and every in-page link (every pathway anchor among them) lands on an element. The panel's
``window.gistpath.decide`` must give exactly the decision of :meth:`gistpath.RuleSet.evaluate`
on 1,000 random valid states of GIST and of the walk example, and refuse 100 invalid states
of each with the very words of :class:`gistpath.StateError`. Screenshots of the GIST page go
to ``docs/_build/screenshots`` (or ``$GISTPATH_SCREENSHOTS``) for people to look at.

Chromium and chromedriver come from the system's packages (``.ci/run`` installs them); where
they are missing the tests are skipped, unless ``GISTPATH_REQUIRE_BROWSER=1`` (set in CI)
makes that a failure. States cross into the browser as JSON, where a number with no fraction
is an integer; each state is read the same way on the Python side (``_as_js``) so that both
sides decide the very same state.
"""

from __future__ import annotations

import base64
import json
import math
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gistpath
from gistpath.model import BooleanDomain, ChoiceDomain, NumericDomain
from gistpath.ruleset import anchor

from samples import ROOT, WALK_FILE
from strategies import numeric_candidates, thresholds_used

webdriver = pytest.importorskip("selenium.webdriver")

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WIDTH = 1280
SCREENSHOTS = Path(os.environ.get("GISTPATH_SCREENSHOTS", ROOT / "docs" / "_build" / "screenshots"))
GIST = gistpath.load_builtin("gist")
WALK = gistpath.load(WALK_FILE)

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("GISTPATH_REQUIRE_BROWSER") == "1":
        raise RuntimeError(
            "the browser tests need chromium and chromedriver "
            "(Debian: apt-get install -y chromium chromium-driver)"
        )
    pytest.skip("chromium and chromedriver are not installed", allow_module_level=True)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project documentation, built as CI builds it."""
    out = tmp_path_factory.mktemp("site") / "html"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-n", "-b", "html", "docs", str(out)],
        cwd=ROOT,
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def walk_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The walk example's site, built by ``gistpath docs``."""
    out = tmp_path_factory.mktemp("walk-site")
    subprocess.run(
        [sys.executable, "-m", "gistpath", "docs", str(WALK_FILE), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},900",
    ):
        options.add_argument(argument)
    # Every request the pages make is logged (test_the_pages_fetch_nothing_from_a_network).
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_window_size(WIDTH, 900)
        yield driver
    finally:
        driver.quit()


def _open(browser: Any, page: Path) -> None:
    browser.get(page.as_uri())
    browser.execute_script("return document.readyState")
    assert browser.execute_script("return !!(window.gistpath && window.gistpath.decide)"), page


# --------------------------------------------------------------------------- layout


def test_window_is_1280_px_wide(browser: Any, site: Path) -> None:
    _open(browser, site / "gist.html")
    assert browser.execute_script("return window.innerWidth") == WIDTH


def test_diagram_fits_the_page_and_zooms(browser: Any, site: Path) -> None:
    _open(browser, site / "gist.html")
    page_width = browser.execute_script("return document.documentElement.clientWidth")
    box = browser.execute_script(
        "var s = document.querySelector('div.gistpath-diagram svg');"
        "var r = s.getBoundingClientRect(), p = s.parentNode.getBoundingClientRect();"
        "return {left: r.left, right: r.right, width: r.width, parent: p.width,"
        "        natural: s.viewBox.baseVal.width};"
    )
    assert box["natural"] > box["parent"], "the diagram is wider than the column: a real test"
    assert box["left"] >= 0
    assert box["right"] <= page_width
    assert box["width"] <= box["parent"] + 0.5
    # The button shows it at full size (scrolling inside its own box), and fits it again.
    browser.execute_script("document.querySelector('button.gistpath-diagram-zoom').click()")
    zoomed = browser.execute_script(
        "var d = document.querySelector('div.gistpath-diagram');"
        "return [d.querySelector('svg').getBoundingClientRect().width, d.clientWidth,"
        "        d.scrollWidth, document.documentElement.scrollWidth];"
    )
    assert zoomed[0] == pytest.approx(box["natural"], abs=1)
    assert zoomed[2] > zoomed[1]  # the diagram scrolls inside its box ...
    assert zoomed[3] <= page_width  # ... and the page does not widen
    browser.execute_script("document.querySelector('button.gistpath-diagram-zoom').click()")


def test_decision_tables_and_the_afip_grid_fit(browser: Any, site: Path) -> None:
    _open(browser, site / "gist.html")
    page_width = browser.execute_script("return document.documentElement.clientWidth")
    tables = browser.execute_script(
        "return Array.from(document.querySelectorAll('article table')).map(function (t) {"
        "  var r = t.getBoundingClientRect();"
        "  return {id: t.closest('section') ? t.closest('section').id : '', right: r.right,"
        "          width: t.scrollWidth, box: t.parentNode.clientWidth};"
        "});"
    )
    assert tables
    for table in tables:
        assert table["right"] <= page_width + 0.5, table
        assert table["width"] <= table["box"] + 1, table
    afip = browser.execute_script(
        "var s = document.getElementById(arguments[0]);"
        "var t = s && s.closest('section').querySelector('table');"
        "return t ? t.getBoundingClientRect().right : null;",
        anchor("value", "afip_risk"),
    )
    assert afip is not None
    assert afip <= page_width


def _html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if p.name not in {"genindex.html", "search.html"})


def test_no_code_block_overflows_on_any_page(browser: Any, site: Path) -> None:
    checked = 0
    for page in _html_pages(site):
        browser.get(page.as_uri())
        wide = browser.execute_script(
            "return Array.from(document.querySelectorAll('pre')).filter(function (p) {"
            "  return p.scrollWidth > p.clientWidth + 1;"
            "}).map(function (p) { return p.textContent.slice(0, 80); });"
        )
        assert wide == [], f"{page.name}: code blocks cut off on the right: {wide}"
        checked += browser.execute_script("return document.querySelectorAll('pre').length")
    assert checked > 50


def test_every_pathway_anchor_and_in_page_link_resolves(browser: Any, site: Path) -> None:
    _open(browser, site / "gist.html")
    for pid in GIST.pathways:
        assert browser.execute_script(
            "return !!document.getElementById(arguments[0])", anchor("pathway", pid)
        ), pid
    broken = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href^=\"#\"]')).map(function (a) {"
        "  return decodeURIComponent(a.getAttribute('href').slice(1));"
        "}).filter(function (id) { return id && !document.getElementById(id); });"
    )
    assert broken == []


def test_screenshots_of_the_gist_page(browser: Any, site: Path) -> None:
    """Pictures of the GIST page for people to look at (not compared with anything)."""
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _open(browser, site / "gist.html")
    browser.save_screenshot(str(SCREENSHOTS / "gist-top.png"))
    shots = {
        "gist-diagram.png": "div.gistpath-diagram",
        "gist-pathway.png": f"#{anchor('pathway', 'resection_adjuvant_imatinib_3y')}",
        "gist-try-it.png": "div.gistpath-tryit",
        "gist-afip.png": f"#{anchor('value', 'afip_risk')}",
    }
    for name, selector in shots.items():
        element = browser.find_element(By.CSS_SELECTOR, selector)
        if selector.startswith("#"):
            element = element.find_element(By.XPATH, "./ancestor::section[1]")
        _screenshot(browser, element, SCREENSHOTS / name)
        assert (SCREENSHOTS / name).stat().st_size > 1000


def _screenshot(browser: Any, element: Any, path: Path) -> None:
    """The whole element, however tall, through the DevTools protocol (no scrolling)."""
    rect = browser.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return {x: r.left + window.scrollX, y: r.top + window.scrollY,"
        "        width: r.width, height: r.height};",
        element,
    )
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": {**rect, "scale": 1}},
    )
    path.write_bytes(base64.b64decode(shot["data"]))


# --------------------------------------------------------------------------- the panel


def _as_js(value: object) -> object:
    """A value as the browser sees it after JSON: a float with no fraction is an integer."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _as_js(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_js(v) for v in value]
    return value


def _field_values(rs: gistpath.RuleSet, rng: random.Random) -> dict[str, list[object]]:
    points = thresholds_used(rs)
    out: dict[str, list[object]] = {}
    for name, item in rs.inputs.items():
        domain = item.domain
        if isinstance(domain, ChoiceDomain):
            out[name] = [*domain.values, *(["unknown"] if domain.allows_unknown else [])]
        elif isinstance(domain, BooleanDomain):
            out[name] = [False, True, *(["unknown"] if domain.allows_unknown else [])]
        else:
            assert isinstance(domain, NumericDomain)
            values: list[object] = list(numeric_candidates(domain, points.get(name, set())))
            low = domain.low.value if domain.low is not None else -1000
            high = domain.high.value if domain.high is not None else 1000
            for _ in range(len(values)):
                if domain.integer:
                    values.append(rng.randint(math.ceil(low), math.floor(high)))
                else:
                    values.append(round(rng.uniform(low, high), rng.choice([0, 1, 2, 6])))
            if domain.allows_unknown:
                values += ["unknown"] * 3
            out[name] = values
    return out


def _valid_states(rs: gistpath.RuleSet, count: int, rng: random.Random) -> list[dict[str, object]]:
    """``count`` random valid states (as the browser reads them), boundaries included."""
    fields = _field_values(rs, rng)
    found: list[dict[str, object]] = []
    while len(found) < count:
        state = _as_js({name: rng.choice(values) for name, values in fields.items()})
        assert isinstance(state, dict)
        try:
            rs.validate(state)
        except gistpath.StateError:
            continue
        found.append(state)
    return found


def _invalid_states(rs: gistpath.RuleSet, count: int, rng: random.Random) -> list[object]:
    """``count`` states that :meth:`RuleSet.evaluate` refuses, of every kind of mistake."""
    valid = _valid_states(rs, count, rng)
    fields = _field_values(rs, rng)
    names = list(rs.inputs)
    out: list[object] = []

    def broken_constraint() -> dict[str, object] | None:
        for _ in range(200):
            state = _as_js({n: rng.choice(v) for n, v in fields.items()})
            assert isinstance(state, dict)
            try:
                rs.validate(state)
            except gistpath.StateError as error:
                if error.field not in rs.inputs:
                    return state
        return None

    for number in range(count):
        state = dict(valid[number])
        name = rng.choice(names)
        domain = rs.inputs[name].domain
        kind = number % 10
        if kind == 0:
            del state[name]
        elif kind == 1:  # a field name mistyped: an unknown field, with a suggestion
            state[name.upper() if number % 20 == 1 else name[:-1]] = state.pop(name)
        elif kind == 2:
            state[name] = None
        elif kind == 3:  # the wrong type
            if isinstance(domain, BooleanDomain):
                state[name] = "yes"
            else:
                state[name] = 1 if isinstance(domain, ChoiceDomain) else True
        elif kind == 4 and isinstance(domain, ChoiceDomain):  # a misspelt or capitalised value
            word = rng.choice(domain.values)
            state[name] = word.capitalize() if number % 20 == 4 else word[:-1] + "x"
        elif kind == 5:  # out of range, or not an integer
            numeric = [n for n, i in rs.inputs.items() if isinstance(i.domain, NumericDomain)]
            name = rng.choice(numeric)
            numeric_domain = rs.inputs[name].domain
            assert isinstance(numeric_domain, NumericDomain)
            if numeric_domain.integer and number % 20 == 5:
                state[name] = 2.5
            elif numeric_domain.high is not None:
                state[name] = numeric_domain.high.value + rng.choice([1, 0.25])
            else:
                state[name] = "12"
        elif kind == 6:
            state[name] = "unknown" if not domain.allows_unknown else [1, 2]
        elif kind == 7:
            constraint = broken_constraint()
            if constraint is not None:
                state = constraint
            else:
                state[name] = {"nested": True}
        elif kind == 8:
            out.append(rng.choice([[], "state", 3, None, [state]]))
            continue
        else:
            state[name] = rng.choice(["", "  ", "unknown value", "n/a"])
        out.append(_as_js(state))
    return out


def _python_decision(rs: gistpath.RuleSet, state: dict[str, object]) -> dict[str, object]:
    decision = rs.evaluate(state)
    return {
        "pathway": decision.pathway,
        "considerations": list(decision.considerations),
        "values": dict(decision.values),
    }


def _decide_in_browser(browser: Any, states: list[Any], name: str) -> list[dict[str, Any]]:
    """``decide`` on each state in the page. The states go in as JSON text, parsed there:
    chromedriver's own transport would sort the keys of every object, and a refusal shows
    a value as Python prints it, keys in the order they were given."""
    results = browser.execute_script(
        "var name = arguments[1];"
        "return JSON.stringify(JSON.parse(arguments[0]).map(function (s) {"
        "  return window.gistpath.decide(s, name); }));",
        json.dumps(states),
        name,
    )
    return json.loads(results)  # type: ignore[no-any-return]


@pytest.mark.parametrize("which", ["gist", "walk"])
def test_decide_agrees_with_evaluate_and_refuses_invalid_states(
    browser: Any, site: Path, walk_site: Path, which: str
) -> None:
    rs = GIST if which == "gist" else WALK
    page = site / "gist.html" if which == "gist" else walk_site / "index.html"
    _open(browser, page)
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    valid = _valid_states(rs, 1000, rng)
    results = _decide_in_browser(browser, valid, rs.name)
    pathways = set()
    for state, got in zip(valid, results, strict=True):
        expected = _python_decision(rs, state)
        assert got == expected, f"seed {seed}: {json.dumps(state)}"
        pathways.add(got["pathway"])
    assert len(pathways) > len(rs.pathways) // 2, f"seed {seed}: too few pathways reached"

    invalid = _invalid_states(rs, 100, rng)
    results = _decide_in_browser(browser, invalid, rs.name)
    for state, got in zip(invalid, results, strict=True):
        with pytest.raises(gistpath.StateError) as refused:
            rs.evaluate(state)  # type: ignore[arg-type]
        assert got == {"error": str(refused.value)}, f"seed {seed}: {state!r}"


def test_the_form_decides_and_explains(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser, site / "gist.html")
    panel = browser.find_element(By.CSS_SELECTOR, "div.gistpath-tryit")
    controls = panel.find_elements(By.CSS_SELECTOR, "select, input[type=number]")
    assert {c.get_attribute("name") for c in controls} == set(GIST.inputs)
    first = dict(GIST.model.examples[0].state)
    pathway = panel.find_element(By.CSS_SELECTOR, ".gistpath-tryit-pathway a")
    assert pathway.text == GIST.pathways[GIST.evaluate(first).pathway].title
    expected = "#" + anchor("pathway", GIST.evaluate(first).pathway)
    assert pathway.get_attribute("href").endswith(expected)
    # One change in the form: the pathway follows.
    Select(panel.find_element(By.NAME, "presentation")).select_by_value("metastatic")
    error = panel.find_element(By.CSS_SELECTOR, ".gistpath-tryit-error").text
    with pytest.raises(gistpath.StateError) as refused:
        GIST.evaluate({**first, "presentation": "metastatic"})
    assert error == str(refused.value)
    size = panel.find_element(By.NAME, "distant_sites")
    size.clear()
    size.send_keys("1")
    state = {**first, "presentation": "metastatic", "distant_sites": 1}
    decision = GIST.evaluate(state)
    shown = panel.find_element(By.CSS_SELECTOR, ".gistpath-tryit-pathway a").text
    assert shown == GIST.pathways[decision.pathway].title
    why = [li.text for li in panel.find_elements(By.CSS_SELECTOR, ".gistpath-tryit-why li")]
    assert why
    assert all("_" not in line for line in why)
    # The mitotic count may be unknown: a box beside the number says so.
    unknown = panel.find_element(By.NAME, "mitotic_rate-unknown")
    # The theme scrolls smoothly: WebDriver's own scroll before a click is still moving when
    # it clicks, so the box is brought into view at once first.
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", unknown
    )
    unknown.click()
    assert panel.find_element(By.CSS_SELECTOR, ".gistpath-tryit-pathway a").text == (
        GIST.pathways[GIST.evaluate({**state, "mitotic_rate": "unknown"}).pathway].title
    )


def test_the_pages_fetch_nothing_from_a_network(browser: Any, site: Path) -> None:
    """Every request the GIST page makes, the panel used, is for a local file."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get_log("performance")  # drop what earlier tests logged
    _open(browser, site / "gist.html")
    panel = browser.find_element(By.CSS_SELECTOR, "div.gistpath-tryit")
    Select(panel.find_element(By.NAME, "site")).select_by_value("rectum")
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    assert any("/_static/gistpath-tryit.js" in url for url in urls), urls
    assert all(url.startswith(("file://", "data:")) for url in urls), urls


def test_gistpath_docs_output_has_a_navigation_sidebar(browser: Any, walk_site: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, walk_site / "index.html")
    links = [
        a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, ".toc-tree a, .sphinxsidebar a")
    ]
    fragments = {link.rsplit("#", 1)[-1] for link in links if link and "#" in link}
    assert {anchor("try-it", WALK.name), "inputs", "pathways", "examples"} <= fragments, links
    for fragment in fragments - {""}:
        assert browser.execute_script("return !!document.getElementById(arguments[0])", fragment)
