"""Measures the console's first load over a large log: how long the answers
the console asks for take, and how long the page takes to show them.

    target/runtimes/browser-venv/bin/python tests/browser/measure_first_load.py [--entries N]

Writes N tool-log entries (default 1,000,000) for 20 users over the 7 days
the console shows by default, starts `auditlog serve` ($AUDITLOG_BIN, else
target/debug/auditlog) on them, and prints, in milliseconds:
  - each API call of a first load, as the console makes it: whoami, the newest
    50 of every user's log, the stats of the window, and the split of each
    day's bar by status (one stats call per day, three at a time);
  - in headless Chromium: from signing in to the Recent table shown, and from
    opening Stats to the totals shown and to the chart's split complete.
The entries are written directly in the format of a seed-written log (no
seal), as auditlog-bench writes its large files, so that the set-up takes
seconds; recent and stats read them as they read sealed ones. Then, unless
--no-summaries, one `auditlog rotate` writes the summaries of the closed day
files (its time is printed), as it would once for a log written before
summaries existed: appends write them as they close each file. A measurement,
not a test: nothing is asserted.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from conftest import ADMIN, BIN, Auditlog, Server  # noqa: E402

SPLIT_DONE = "const t = document.getElementById('chart-data'); return !!t && !t.textContent.includes('\u2026')"
DAYS = ["2025-10-17", "2025-10-18", "2025-10-19", "2025-10-20", "2025-10-21", "2025-10-22", "2025-10-23"]
USERS = [f"user{n:02}" for n in range(20)]
TOOLS = ["file_read", "file_write", "shell", "web_fetch", "search", "git", "python"]


def write_entries(root: Path, entries: int):
    """`entries` tool calls spread evenly over DAYS and USERS, in time order per file."""
    per_file = entries // (len(DAYS) * len(USERS))
    extra = entries - per_file * len(DAYS) * len(USERS)
    n = 0
    for d, day in enumerate(DAYS):
        # The last day ends at 18:00, the server's clock.
        seconds = 18 * 3600 if d == len(DAYS) - 1 else 86400
        for u, user in enumerate(USERS):
            lines = per_file + (1 if d * len(USERS) + u < extra else 0)
            folder = root / user / "tool_audit"
            folder.mkdir(parents=True, exist_ok=True)
            with open(folder / f"{day}.jsonl", "w") as out:
                for i in range(lines):
                    t = i * seconds // max(lines, 1)
                    status = "error" if n % 17 == 0 else "denied" if n % 53 == 0 else "ok"
                    out.write(
                        f'{{"ts":"{day}T{t // 3600:02}:{t // 60 % 60:02}:{t % 60:02}Z","user":"{user}",'
                        f'"tool":"{TOOLS[n % len(TOOLS)]}","args":{{"path":"/srv/data/file-{n}.txt"}},'
                        f'"status":"{status}","result_chars":{100 + n % 900},'
                        f'"result_snippet":"line one of the result for call {n}"}}\n')
                    n += 1
    return n


def timed_get(url: str):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {ADMIN}"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as answer:
        body = json.load(answer)
    return (time.perf_counter() - start) * 1000, body


def measure_api(base: str):
    rows = []
    ms, _ = timed_get(f"{base}/api/whoami")
    rows.append(("whoami", ms))
    ms, page = timed_get(f"{base}/api/audit/recent?user=all&limit=50")
    rows.append((f"recent, newest 50 of every user ({len(page['entries'])} entries)", ms))
    ms, stats = timed_get(f"{base}/api/audit/stats?user=all")
    rows.append((f"stats of the 7-day window ({stats['total']:,} entries)", ms))
    start = time.perf_counter()
    with ThreadPoolExecutor(3) as pool:
        split = list(pool.map(
            lambda day: timed_get(f"{base}/api/audit/stats?user=all&since={day}&until={next_day(day)}"),
            sorted(stats["by_day"])))
    wall = (time.perf_counter() - start) * 1000
    rows.append((f"split by status: {len(split)} per-day stats calls, 3 at a time (each {min(s[0] for s in split):.0f}–{max(s[0] for s in split):.0f})", wall))
    return rows, stats


def next_day(day: str) -> str:
    i = DAYS.index(day)
    return DAYS[i + 1] if i + 1 < len(DAYS) else "2025-10-24"


def measure_browser(base: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from conftest import chromium

    driver = chromium()
    rows = []
    try:
        driver.get(base + "/")
        box = driver.find_element(By.ID, "token")
        box.send_keys(ADMIN)
        start = time.perf_counter()
        box.send_keys(Keys.ENTER)
        poll(driver, lambda: len(driver.find_elements(By.CSS_SELECTOR, "#recent-rows tr.entry")) == 50)
        rows.append(("browser: sign in → Recent table shown (50 rows)", (time.perf_counter() - start) * 1000))
        start = time.perf_counter()
        driver.find_element(By.ID, "tab-stats").click()
        poll(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".cards"))
        rows.append(("browser: Stats → totals and per-day chart shown", (time.perf_counter() - start) * 1000))
        poll(driver, lambda: driver.execute_script(SPLIT_DONE))
        rows.append(("browser: Stats → chart split by status complete", (time.perf_counter() - start) * 1000))
    finally:
        driver.quit()
    return rows


def poll(driver, condition, timeout=600):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the console did not finish loading")
        time.sleep(0.02)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-summaries", action="store_true", help="measure stats reading every line")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="auditlog-first-load-"))
    try:
        start = time.perf_counter()
        written = write_entries(directory / "log", args.entries)
        print(f"wrote {written:,} entries in {time.perf_counter() - start:.1f} s ({BIN})", flush=True)
        log = Auditlog(directory)
        if not args.no_summaries:
            start = time.perf_counter()
            log.run("rotate", "--all-users")
            print(f"rotate: summaries of the closed files in {time.perf_counter() - start:.1f} s", flush=True)
        server = Server(log)
        try:
            timed_get(f"{server.url}/api/whoami")  # the component compiled and cached
            rows, _ = measure_api(server.url)
            if not args.no_browser:
                rows += measure_browser(server.url)
        finally:
            server.stop()
        for what, ms in rows:
            print(f"{ms:9.0f} ms  {what}")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
