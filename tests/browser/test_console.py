"""The admin console in headless Chromium: signing in, filters in the URL,
paging and expanding, the chart against `auditlog stats`, a user token's
limits, hostile entries shown as text with nothing run, verify, live tail."""

import json
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import (ADMIN, ALICE, BOB, IMG, JS_URL, RTL, SCRIPT, SVG, Auditlog, Server,
                      screenshot, seed, wait)


def answered(driver) -> int:
    return int(driver.execute_script("return Number(document.documentElement.dataset.answered || 0)"))


def settle(driver, action, at_least=1):
    """Runs `action`, then waits until `at_least` more answers arrived and none is pending."""
    before = answered(driver)
    action()
    wait(driver, lambda d: answered(d) >= before + at_least
         and d.execute_script("return document.documentElement.dataset.pending") == "0",
         "the console's requests finish")


def sign_in(driver, token, answers=2):
    def submit():
        box = driver.find_element(By.ID, "token")
        box.send_keys(token)
        box.send_keys(Keys.ENTER)
    settle(driver, submit, at_least=answers)  # whoami, then the first view


def go(driver, fragment, at_least=1):
    settle(driver, lambda: driver.execute_script("location.hash = arguments[0]", fragment), at_least)


def rows(driver):
    """The Recent table's rows as [time, user, name, status, snippet]."""
    return [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in driver.find_elements(By.CSS_SELECTOR, "#recent-rows tr.entry")]


def error_text(driver):
    box = driver.find_element(By.ID, "error")
    return box.text if box.is_displayed() else ""


def fragment(driver):
    return urllib.parse.parse_qs(driver.execute_script("return location.hash.slice(1)"))


def test_admin_signs_in_and_sees_every_user_newest_first(page, log):
    page.find_element(By.ID, "token")
    screenshot(page, "sign-in")
    sign_in(page, ADMIN)
    assert "admin token" in page.find_element(By.ID, "whose").text
    shown = rows(page)
    expected = log.json("recent", "--all-users", "--limit", "50")
    assert [r[0] for r in shown] == [e["ts"] for e in expected]
    assert {r[1] for r in shown} == {"alice", "bob", "carol"}
    assert ADMIN not in page.current_url
    assert page.execute_script("return sessionStorage.getItem('auditlog.token')") == ADMIN
    screenshot(page, "recent")


def test_filters_live_in_the_url_and_page_with_the_cursor(page, log):
    sign_in(page, ADMIN)
    form = page.find_element(By.ID, "filters")
    form.find_element(By.NAME, "tool").send_keys("file_read")
    form.find_element(By.NAME, "limit").send_keys("2")
    settle(page, lambda: form.find_element(By.NAME, "limit").send_keys(Keys.ENTER))
    assert fragment(page)["tool"] == ["file_read"]
    assert ADMIN not in page.current_url
    expected = [e["ts"] for e in log.json("recent", "--all-users", "--tool", "file_read", "--limit", "50")]
    seen = [r[0] for r in rows(page)]
    assert len(seen) == 2 and all(r[2] == "file_read" for r in rows(page))
    pages = 1
    while page.find_element(By.ID, "next-page").is_enabled():
        settle(page, page.find_element(By.ID, "next-page").click)
        seen += [r[0] for r in rows(page)]
        pages += 1
    assert seen == expected and pages == 3
    assert "Page 3" in page.find_element(By.ID, "page-no").text
    settle(page, page.find_element(By.ID, "prev-page").click)
    assert [r[0] for r in rows(page)] == expected[2:4]

    # The URL alone gives the same view in a new tab (the token is the tab's own).
    url = page.current_url
    page.get("about:blank")
    page.get(url)
    wait(page, lambda d: len(rows(d)) == 2, "the shared view loads")
    assert all(r[2] == "file_read" for r in rows(page))

    # One user's log, picked in the form.
    go(page, "#view=recent&user=all")
    Select(page.find_element(By.ID, "f-log")).select_by_value("user")
    assert page.find_element(By.ID, "f-user").get_attribute("required") is not None
    page.find_element(By.ID, "f-user").send_keys("carol")
    settle(page, lambda: page.find_element(By.ID, "f-user").send_keys(Keys.ENTER))
    assert fragment(page)["user"] == ["carol"]
    assert {r[1] for r in rows(page)} == {"carol"} and len(rows(page)) == 2

    go(page, "#view=recent&user=all&status=denied")
    assert page.find_element(By.ID, "f-status").get_attribute("value") == "denied"
    assert [r[3] for r in rows(page)] == ["denied"]

    go(page, "#view=recent&user=all&tool=no_such_tool")
    assert rows(page) == []
    assert "No entries match" in page.find_element(By.ID, "recent-empty").text

    go(page, "#view=recent&user=all&since=garbage")
    assert error_text(page).startswith("The server refused the request: since:")


def test_a_row_expands_to_the_whole_entry(page, log):
    sign_in(page, ADMIN)
    newest = log.json("recent", "--all-users", "--limit", "1")[0]
    toggle = page.find_element(By.CSS_SELECTOR, "#recent-rows tr.entry button.expand")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.send_keys(Keys.ENTER)  # keyboard, not only the mouse
    detail = page.find_element(By.ID, toggle.get_attribute("aria-controls"))
    assert toggle.get_attribute("aria-expanded") == "true" and detail.is_displayed()
    facts = detail.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert str(newest["seq"]) in facts and newest["hash"] in facts
    shown = detail.find_element(By.CSS_SELECTOR, "pre.json").text
    assert json.loads(shown) == newest  # hidden characters as JSON escapes
    assert "\\u202e" in shown and "\u202e" not in shown
    screenshot(page, "recent-expanded")
    toggle.click()
    assert not detail.is_displayed()


SPLIT_DONE = "const t = document.getElementById('chart-data'); return !!t && !t.textContent.includes('\u2026')"


def chart_numbers(driver):
    """The chart's data table: {bucket: (total, {status: n})}."""
    wait(driver, lambda d: d.execute_script(SPLIT_DONE)
         and d.execute_script("return document.documentElement.dataset.pending") == "0",
         "every bucket's split by status arrives", timeout=60)
    table = driver.find_element(By.ID, "chart-data")
    statuses = [th.get_attribute("textContent") for th in table.find_elements(By.CSS_SELECTOR, "thead th")][2:]
    numbers = {}
    for row in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
        cells = [td.get_attribute("textContent").replace(",", "") for td in row.find_elements(By.TAG_NAME, "td")]
        numbers[row.get_attribute("data-bucket")] = (int(cells[0]), {s: int(n) for s, n in zip(statuses, cells[1:]) if int(n)})
    return numbers


def bars(driver):
    return {g.get_attribute("data-bucket"): int(g.get_attribute("data-total"))
            for g in driver.find_elements(By.CSS_SELECTOR, "svg.chart g.bar")}


def test_the_charts_numbers_equal_auditlog_stats(page, log):
    sign_in(page, ADMIN)
    go(page, "#view=stats&user=all")
    stats = log.json("stats", "--all-users")
    numbers = chart_numbers(page)
    days = {day: total for day, (total, _) in numbers.items() if total}
    assert days == stats["by_day"]
    assert {b: t for b, t in bars(page).items() if t} == stats["by_day"]
    by_status = {}
    for _, split in numbers.values():
        for status, n in split.items():
            by_status[status] = by_status.get(status, 0) + n
    assert by_status == stats["by_status"]
    cards = page.find_element(By.CSS_SELECTOR, ".cards").text
    assert f"Entries\n{stats['total']}" in cards and f"Errors\n{stats['errors']}" in cards
    assert f"{stats['error_rate'] * 100:.1f} %" in cards
    per_user = {r.get_attribute("data-name"): int(r.find_element(By.CSS_SELECTOR, "td.num").text)
                for r in page.find_elements(By.CSS_SELECTOR, "#per-user tbody tr")}
    assert per_user == stats["by_user"]
    top = [r.get_attribute("data-name") for r in page.find_elements(By.CSS_SELECTOR, "#top-count tbody tr")]
    assert top[0] == max(stats["by_name"], key=lambda n: (stats["by_name"][n]["count"], -ord(n[0])))
    screenshot(page, "stats", full=True)

    # A window of one day: per hour, still equal to the CLI's.
    go(page, "#view=stats&user=all&since=2025-10-23")
    stats = log.json("stats", "--all-users", "--since", "2025-10-23")
    numbers = chart_numbers(page)
    assert len(numbers) == 24
    assert sum(total for total, _ in numbers.values()) == stats["total"]
    assert numbers["2025-10-23T11:00:00Z"][0] == 2

    # The skill log: durations per skill.
    go(page, "#view=stats&skills=true")
    stats = log.json("stats", "--skills")
    chart_numbers(page)
    durations = {r.get_attribute("data-name"): r.text for r in page.find_elements(By.CSS_SELECTOR, "#durations tbody tr")}
    assert set(durations) == set(stats["by_name"])
    assert f"{stats['by_name']['workflow.compose']['p95_ms']:,} ms" in durations["workflow.compose"]
    screenshot(page, "stats-skills")


def test_a_user_token_sees_only_its_own_rows(page, log):
    sign_in(page, ALICE)
    assert "alice" in page.find_element(By.ID, "whose").text
    shown = rows(page)
    assert shown and {r[1] for r in shown} == {"alice"}
    assert len(shown) == len(log.json("recent", "--user", "alice"))
    assert not page.find_element(By.ID, "log-field").is_displayed()
    assert not page.find_element(By.ID, "tab-integrity").is_displayed()
    screenshot(page, "user-view")
    for edited in ("#view=recent&user=bob", "#view=recent&user=all", "#view=recent&skills=true",
                   "#view=stats&user=bob", "#view=stats&user=all"):
        go(page, edited)
        assert "may not read" in error_text(page), edited
        assert "(user=alice)" in error_text(page)
        assert rows(page) == [], edited
        assert "bob" not in page.find_element(By.ID, "main").text.replace("user=bob", "")
    go(page, "#view=integrity")  # admin only: the page shows Recent instead
    assert page.find_element(By.ID, "recent").is_displayed()


def test_hostile_entries_render_as_text_and_run_nothing(page, log):
    sign_in(page, ADMIN)
    go(page, "#view=recent&user=all&tool=web_fetch")
    for toggle in page.find_elements(By.CSS_SELECTOR, "#recent-rows button.expand"):
        toggle.click()
    # The payloads are on screen verbatim, as text...
    text = page.find_element(By.ID, "recent-table").text
    assert IMG in text and SCRIPT.replace('"', '\\"') in text
    assert JS_URL in text
    go(page, "#view=recent&user=bob&tool=file_read")
    for toggle in page.find_elements(By.CSS_SELECTOR, "#recent-rows button.expand"):
        toggle.click()
    text = page.find_element(By.ID, "recent-table").text
    assert SCRIPT in text
    assert SVG.replace('"', '\\"') in text  # inside the pretty JSON, quotes escaped
    assert "invoice\\u{202e}gnp.exe" in text  # the override shown, not applied
    # ...and none of them ran: no global set, no title changed, no request made,
    # no element made from them, no script blocked by the policy (nothing tried).
    assert page.execute_script("return window.__pwned === undefined")
    assert page.title == "auditlog console"
    requested = page.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert not [u for u in requested if "pwned" in u or u.endswith("/x")], requested
    assert page.execute_script(
        "return document.querySelectorAll('img[src=x], #main script, #main svg[onload], a[href^=javascript]').length") == 0
    violations = [e for e in page.get_log("browser") if "Content Security Policy" in e["message"]]
    assert violations == []
    screenshot(page, "hostile-entries")


def test_verify_result_is_shown_good_and_tampered(browser, tmp_path):
    log = Auditlog(tmp_path)
    seed(log)
    server = Server(log)
    try:
        browser.set_window_size(1280, 800)
        browser.get(server.url + "/")
        browser.execute_script("sessionStorage.clear()")
        browser.get(server.url + "/")
        sign_in(browser, ADMIN)
        go(browser, "#view=integrity", at_least=0)
        settle(browser, browser.find_element(By.ID, "run-verify").click)
        verdict = browser.find_element(By.ID, "verdict")
        assert verdict.get_attribute("data-ok") == "true"
        count = log.run("verify").stdout.splitlines()[0]
        assert count in verdict.text and "The logs verify" in verdict.text
        screenshot(browser, "verify-good")

        day = tmp_path / "log" / "bob" / "tool_audit" / "2025-10-22.jsonl"
        day.write_text(day.read_text().replace('"status":"ok"', '"status":"error"'))
        settle(browser, browser.find_element(By.ID, "run-verify").click)
        verdict = browser.find_element(By.ID, "verdict")
        assert verdict.get_attribute("data-ok") == "false"
        cli = log.run("verify", check=False)
        assert cli.returncode == 1
        assert "bob/tool_audit/2025-10-22.jsonl, line 1" in verdict.text
        assert cli.stderr.strip().removeprefix("auditlog: ") in verdict.text
        screenshot(browser, "verify-tampered")
    finally:
        server.stop()


def test_live_tail_highlights_a_new_row(browser, tmp_path):
    log = Auditlog(tmp_path)
    seed(log)
    server = Server(log)
    try:
        browser.get(server.url + "/")
        browser.execute_script("sessionStorage.clear()")
        browser.get(server.url + "/")
        sign_in(browser, ADMIN)
        browser.find_element(By.ID, "live").click()
        assert not browser.find_elements(By.CSS_SELECTOR, "#recent-rows tr.new")
        log.tool("2025-10-23T17:00:00Z", "carol", "file_write", "ok", {"path": "fresh.txt"})
        wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#recent-rows tr.new"), "a new row appears")
        new = browser.find_elements(By.CSS_SELECTOR, "#recent-rows tr.new")
        assert len(new) == 1 and "fresh.txt" in new[0].text and "file_write" in new[0].text
        screenshot(browser, "live-tail")
        browser.find_element(By.ID, "live").click()
    finally:
        server.stop()


def test_usable_narrow_and_dark_and_signs_out(page):
    sign_in(page, ADMIN)
    page.set_window_size(420, 900)
    assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "narrow")
    page.set_window_size(1280, 800)
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    go(page, "#view=stats&user=all", at_least=2)
    background = page.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 20, 24)"
    screenshot(page, "stats-dark", full=True)
    page.find_element(By.ID, "sign-out").click()
    assert page.find_element(By.ID, "signin").is_displayed()
    assert page.execute_script("return sessionStorage.getItem('auditlog.token')") is None


def test_a_wrong_token_is_refused_in_a_sentence(page):
    sign_in(page, "not-a-token", answers=1)
    assert error_text(page) == "The token was not accepted: invalid token. Sign in again."
    assert page.find_element(By.ID, "signin").is_displayed()


def test_keyboard_reaches_the_controls(page):
    sign_in(page, BOB)
    reached = set()
    body = page.find_element(By.TAG_NAME, "body")
    for _ in range(40):
        body.send_keys(Keys.TAB) if not reached else page.switch_to.active_element.send_keys(Keys.TAB)
        active = page.switch_to.active_element
        reached.add(active.get_attribute("id") or active.get_attribute("name") or active.text)
    for control in ("sign-out", "tab-recent", "tab-stats", "f-tool", "f-status", "f-since", "live"):
        assert control in reached, (control, reached)
