"""`canbao report --format html` in a real browser (headless Chromium through
selenium): the 000 example (XX镇, docs/report.md) as of 2021-09-15 (mid-campaign)
and 2021-12-31. The page must show every unit of the policy, the same money as
the JSON report to the fen, one SVG chart per part with one bar per unit (or
tier), load nothing from the network, and render to a nonblank screenshot of
the window's size. Skips only when chromium, chromedriver or selenium are
missing (scripts/setup.sh installs them)."""

import json
import os
import pathlib
import subprocess

import pytest

from conftest import EXAMPLES, SOURCE_DIR
import html_browser

POLICY = EXAMPLES / "policies" / "000-xx-town-2021.json"
PROGRESS = EXAMPLES / "progress" / "000-xx-town-2021.csv"
CLI = os.environ.get("CANBAO_CLI") or str(SOURCE_DIR / os.environ.get("CANBAO_BUILD_DIR", "build") / "canbao")
WIDTH, HEIGHT = 900, 700

pytestmark = pytest.mark.skipif(html_browser.missing() is not None,
                                reason=html_browser.missing() or "")


def run_report(as_of, fmt):
    done = subprocess.run([CLI, "report", str(POLICY), "--progress", str(PROGRESS), "--as-of", as_of,
                           "--format", fmt], capture_output=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def browser():
    driver = html_browser.start(WIDTH, HEIGHT)
    yield driver
    driver.quit()


@pytest.fixture(scope="module", params=["2021-09-15", "2021-12-31"])
def page(request, browser, tmp_path_factory):
    as_of = request.param
    path = tmp_path_factory.mktemp("html") / f"report-{as_of}.html"
    path.write_bytes(run_report(as_of, "html"))
    browser.get(path.as_uri())
    return browser, json.loads(run_report(as_of, "json")), path


def by_css(driver, css):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, css)


def test_every_unit_of_the_policy_is_shown(page):
    driver, _, _ = page
    body = by_css(driver, "body")[0].text
    policy = json.loads(POLICY.read_text(encoding="utf-8"))
    assert len(policy["units"]) == 9  # XX镇 and its eight villages
    for unit in policy["units"]:
        assert f"{unit['name']} {unit['id']}" in body, unit["id"]
    # The completion table has a row per unit, in policy order.
    rows = driver.execute_script(
        "return [...document.querySelectorAll('table.completions tbody tr')].map(r => r.dataset.unit)")
    assert rows == [u["id"] for u in policy["units"]]


def test_money_equals_the_json_report(page):
    driver, report, _ = page
    fund = report["work_fund"]
    total = by_css(driver, "#work-fund-total")[0]
    assert int(total.get_attribute("data-fen")) == fund["total_fen"]
    # yuan with two decimals, the same figure
    assert total.text == f"{fund['total_fen'] // 100}.{fund['total_fen'] % 100:02d}"
    shown = dict(driver.execute_script(
        "return [...document.querySelectorAll('tr.payout')].map("
        "r => [r.dataset.unit, Number(r.querySelector('[data-fen]').dataset.fen)])"))
    assert shown == {p["unit_id"]: p["amount_fen"] for p in fund["payouts"]}
    assert len(shown) == 8  # the eight villages are paid units (000 五)


def test_money_figures_worked_by_hand(page):
    driver, report, _ = page
    chart = by_css(driver, "svg.work-fund-chart")[0].text
    total = by_css(driver, "#work-fund-total")[0].text
    # Tiers 1.00/0.80/0.60 元/人 by 09-30/10-15/11-30, basis 城乡居民参保人数 on the
    # completion day, late villages nothing (000 五(一)(二)).
    if report["as_of"] == "2021-09-15":
        # Only 东风村 is complete (08-31, 1,234 enrolled): 1,234 x 1.00 = 1,234.00.
        assert total == "1234.00"
        assert "1234.00 元 (1 个单位 [units])" in chart
        assert "7 个单位 [units]" in chart  # the seven others are not complete yet
    else:
        # 第1档: 东风 1,234 + 红旗 1,995 + 新民 905 = 4,134 x 1.00 = 4,134.00
        # 第2档: 和平 1,486 x 0.80 = 1,188.80
        # 第3档: 光明 703 + 团结 1,725 = 2,428 x 0.60 = 1,456.80
        # 逾期: 胜利 (12-31) and 向阳 (never): 0.  Total 6,779.60.
        assert total == "6779.60"
        for text in ("4134.00 元 (3 个单位 [units])", "1188.80 元 (1 个单位 [units])",
                     "1456.80 元 (2 个单位 [units])", "0.00 元 (2 个单位 [units])"):
            assert text in chart


# The charts' structure in one round trip to the browser: per chart, its
# class, its rendered size and the data-unit of each bar's row.
CHARTS = """
return [...document.querySelectorAll('svg.chart')].map(svg => ({
  cls: svg.getAttribute('class'),
  milestone: svg.closest('div.milestone')?.dataset.milestone ?? null,
  width: svg.getBoundingClientRect().width,
  height: svg.getBoundingClientRect().height,
  bars: [...svg.querySelectorAll('rect.bar')].map(b => b.closest('g.row')?.dataset.unit ?? null),
  marks: [...svg.querySelectorAll('circle.mark')].map(m => m.closest('g.row').dataset.unit),
  thresholds: svg.querySelectorAll('line.threshold').length,
  deadlines: svg.querySelectorAll('line.deadline').length,
}));
"""


def test_charts_are_svg_with_a_bar_per_unit(page):
    driver, report, _ = page
    charts = driver.execute_script(CHARTS)
    by_kind = {}
    for c in charts:
        by_kind.setdefault(c["cls"].split()[1], []).append(c)
        # every chart is drawn: a real SVG box with a size on the page
        assert c["width"] > 100 and c["height"] > 20, c["cls"]
    # (a) one chart per milestone, a bar per unit in its scope, one threshold line
    milestones = by_kind["milestone-chart"]
    assert len(milestones) == len(report["milestones"]) == 7
    for chart, m in zip(milestones, report["milestones"]):
        assert chart["milestone"] == m["id"]
        assert chart["bars"] == [u["unit_id"] for u in m["units"]]
        assert chart["thresholds"] == 1
    # (b) the timeline: a mark per unit evaluated for completion, three tier deadlines
    [timeline] = by_kind["timeline-chart"]
    assert timeline["marks"] == [c["unit_id"] for c in report["completions"]]
    assert len(timeline["marks"]) == 9 and timeline["deadlines"] == 3
    # (c) the work fund: a bar per tier (三档 1.00/0.80/0.60 元/人) and one for the late rule
    [fund] = by_kind["work-fund-chart"]
    assert len(fund["bars"]) == 4
    # (d) the ranking: a bar per ranked village, in listing order, and the grade
    # lines at 108 (通报表扬) and 100 (考核合格) points
    [ranking] = by_kind["ranking-chart"]
    assert ranking["bars"] == [u["unit_id"] for u in report["scores"]["units"]]
    assert len(ranking["bars"]) == 8 and ranking["thresholds"] == 2
    # the summary: one part per standing that has units
    [summary] = by_kind["summary-chart"]
    counts = report["action"]["summary"]
    assert len(summary["bars"]) == sum(1 for k in ("late", "at_risk", "no_trend", "on_track", "complete")
                                       if counts[k] > 0)
    assert len(charts) == 1 + 7 + 3


def test_nothing_is_loaded_from_the_network(page):
    driver, _, path = page
    links = driver.execute_script(
        "return [...document.querySelectorAll('[src], [href]')].map("
        "e => e.getAttribute('src') || e.getAttribute('href'))")
    assert not [v for v in links if v.startswith(("http:", "https:", "//"))]
    assert b"http" not in path.read_bytes()
    assert not by_css(driver, "script, link, img, iframe, object, embed")
    # the browser fetched no resource besides the page itself
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_screenshot_is_nonblank_and_the_window_size(page):
    driver, _, _ = page
    driver.execute_script("window.scrollTo(0, 0)")
    png = driver.get_screenshot_as_png()
    assert html_browser.png_size(png) == (WIDTH, HEIGHT)
    rows, channels = html_browser.png_rows(png)
    colours = set()
    non_white = 0
    for row in rows[::4]:
        for i in range(0, len(row), channels * 4):
            pixel = row[i:i + 3]
            colours.add(pixel)
            non_white += pixel != b"\xff\xff\xff"
    assert len(colours) >= 8, "the page drew few colours"
    sampled = len(rows[::4]) * len(range(0, len(rows[0]), channels * 4))
    assert non_white > sampled // 50, "the page is (almost) all white"


SUMMARY = """
return {
  standings: Object.fromEntries([...document.querySelectorAll('#summary [data-standing]')].map(
    d => [d.dataset.standing, d.textContent])),
  paid: Number(document.querySelector('#summary-paid').dataset.fen),
  possible: Number(document.querySelector('#summary-still-possible').dataset.fen),
  provisional: document.querySelector('#provisional').textContent,
  ranking: document.querySelector('#ranking h2').textContent,
  action: [...document.querySelectorAll('table.action tbody tr[data-unit]')].map(r => r.dataset.unit),
};
"""


def test_summary_and_action_list_equal_the_json_report(page):
    driver, report, _ = page
    shown = driver.execute_script(SUMMARY)
    summary = report["action"]["summary"]
    for standing in ("late", "at_risk", "no_trend", "on_track", "complete"):
        assert shown["standings"][standing] == f"{summary[standing]} / {summary['units']}"
    assert shown["paid"] == summary["paid_fen"] == report["work_fund"]["total_fen"]
    assert shown["possible"] == summary["still_possible_fen"]
    # worst first, as the JSON lists them
    assert shown["action"] == [u["unit_id"] for u in report["action"]["units"]]
    if report["as_of"] == "2021-09-15":
        # Seven villages not done, each at 第1档 1.00 元 x enrolled on 09-15:
        # 红旗 1,960 + 新民 890 + 和平 1,455 + 光明 680 + 团结 1,660 + 胜利 1,080
        # + 向阳 1,265 = 8,990 -> 8,990.00 元 still possible. Before the last
        # deadline (12-31) grades are provisional.
        assert shown["possible"] == 899000
        assert shown["provisional"].startswith("暂定")
        assert "暂定" in shown["ranking"]
    else:
        assert shown["possible"] == 0
        assert shown["provisional"].startswith("最终")
        assert "暂定" not in shown["ranking"]


def test_fits_the_width_of_a4(page):
    driver, _, _ = page
    # A4 is 210 mm = 794 CSS px wide at 96 px per inch; the page must not need
    # a horizontal scroll there (charts scale with their viewBox, tables wrap).
    html_browser.set_viewport(driver, 794, HEIGHT)
    try:
        widths = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
            " Math.max(...[...document.querySelectorAll('svg, table')].map("
            "e => e.getBoundingClientRect().right))]")
    finally:
        html_browser.set_viewport(driver, WIDTH, HEIGHT)
    scroll, client, right = widths
    assert scroll <= client == 794
    assert right <= 794
    rule = driver.execute_script(
        "return [...document.styleSheets[0].cssRules].find(r => r.cssText.startsWith('@page')).cssText")
    assert "size: a4" in rule.lower()
