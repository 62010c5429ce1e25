"""Fixtures for the console's browser tests: a seeded log directory, a real
`auditlog serve` on a free loopback port (stopped by its pid), and headless
Chromium driven by Selenium through Debian's chromedriver.

The binary is $AUDITLOG_BIN, else target/debug/auditlog. Screenshots go to
target/screenshots/ (copied by hand to docs/screenshots/ when the console's
look changes).
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("AUDITLOG_BIN", str(ROOT / "target" / "debug" / "auditlog"))
SCREENSHOTS = ROOT / "target" / "screenshots"
NOW = "2025-10-23T18:00:00Z"
ADMIN = "admin-console-0123"
ALICE = "tok-alice-console"
BOB = "tok-bob-console-01"
WAIT = 15

# Stored values that would run script if the console rendered them as HTML:
# each would set a global, change the title or call an endpoint.
SCRIPT = "<script>window.__pwned='script';document.title='pwned'</script>"
IMG = "\"><img src=x onerror=\"window.__pwned='img';fetch('/pwned-img')\">"
JS_URL = "javascript:window.__pwned='url';fetch('/pwned-url')"
RTL = "invoice\u202egnp.exe"
SVG = "<svg onload=\"window.__pwned='svg'\"></svg>"


class Auditlog:
    """The CLI on one log directory, at a fixed time."""

    def __init__(self, directory: Path):
        self.dir = directory

    def run(self, *args: str, now: str = NOW, check: bool = True) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITLOG_")}
        env["AUDITLOG_NOW"] = now
        return subprocess.run(
            [BIN, "--dir", str(self.dir / "log"), *args],
            env=env, capture_output=True, text=True, timeout=120, check=check,
        )

    def tool(self, now: str, user: str, tool: str, status: str, args: dict, result: str = "done"):
        self.run("tool", "--user", user, "--tool", tool, "--status", status,
                 "--args", json.dumps(args), "--result", result, now=now)

    def json(self, *args: str):
        return json.loads(self.run(*args, "--format", "json").stdout)


def seed(log: Auditlog):
    """Tool calls by alice, bob and carol over five days; skill runs; hostile payloads."""
    calls = [
        ("2025-10-19T09:00:00Z", "alice", "file_read", "ok"),
        ("2025-10-20T10:00:00Z", "bob", "shell", "error"),
        ("2025-10-20T11:00:00Z", "alice", "shell", "ok"),
        ("2025-10-21T08:00:00Z", "carol", "file_read", "ok"),
        ("2025-10-22T09:00:00Z", "bob", "file_read", "ok"),
        ("2025-10-22T10:00:00Z", "alice", "file_read", "denied"),
        ("2025-10-23T08:00:00Z", "alice", "web_fetch", "error"),
        ("2025-10-23T09:00:00Z", "bob", "shell", "ok"),
        ("2025-10-23T10:00:00Z", "carol", "shell", "ok"),
    ]
    for i, (now, user, tool, status) in enumerate(calls):
        log.tool(now, user, tool, status, {"path": f"notes-{i}.txt"})
    # bob's hostile entries: alice must never see them.
    log.tool("2025-10-23T11:00:00Z", "bob", "web_fetch", "ok", {"url": JS_URL, "html": SCRIPT}, IMG)
    log.tool("2025-10-23T11:30:00Z", "bob", "file_read", "ok", {"path": RTL, "svg": SVG}, SCRIPT)
    log.tool("2025-10-23T12:00:00Z", "alice", "web_fetch", "ok", {"url": JS_URL}, IMG + RTL)
    for now, skill, status, ms in [
        ("2025-10-21T12:00:00Z", "workflow.validate", "success", "150"),
        ("2025-10-22T12:00:00Z", "workflow.compose", "failed", "5000"),
        ("2025-10-23T13:00:00Z", "workflow.validate", "success", "90"),
    ]:
        log.run("record", skill, status, ms, now=now)


class Server:
    """`auditlog serve` on 127.0.0.1 with a free port, stopped by its pid."""

    def __init__(self, log: Auditlog):
        (log.dir / "admin.token").write_text(ADMIN + "\n")
        (log.dir / "users.json").write_text(json.dumps({"alice": ALICE, "bob": BOB}))
        for secret in ("admin.token", "users.json"):
            (log.dir / secret).chmod(0o600)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITLOG_")}
        env["AUDITLOG_NOW"] = NOW
        self.process = subprocess.Popen(
            [BIN, "--dir", str(log.dir / "log"), "serve", "--listen", "127.0.0.1:0",
             "--admin-token-file", str(log.dir / "admin.token"),
             "--user-tokens-file", str(log.dir / "users.json")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on http://"):
            self.stop()
            raise RuntimeError(f"serve did not start: {line!r} {self.process.stderr.read()}")
        self.url = line.removeprefix("listening on ")

    def stop(self):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def log():
    directory = Path(tempfile.mkdtemp(prefix="auditlog-console-"))
    log = Auditlog(directory)
    seed(log)
    yield log
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def server(log):
    server = Server(log)
    yield server
    server.stop()


def chromium():
    """Headless Chromium at 1280x800, driven through Debian's chromedriver."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 "--window-size=1280,800", "--force-device-scale-factor=1", "--lang=en-US"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


@pytest.fixture(scope="session")
def browser():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver = chromium()
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, server):
    """The browser on a fresh console tab, signed out, at 1280x800, light mode."""
    browser.set_window_size(1280, 800)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "light"}]})
    browser.get(server.url + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(server.url + "/")
    browser.get_log("browser")
    return browser


def wait(driver, condition, message="", timeout=WAIT):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition, message)


def screenshot(driver, name: str, full: bool = False):
    """Saves target/screenshots/NAME.png: the window, or with `full` the whole page."""
    time.sleep(0.3)  # let animations settle
    if not full:
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        return
    size = driver.get_window_size()
    height = driver.execute_script("return document.documentElement.scrollHeight")
    chrome = size["height"] - driver.execute_script("return window.innerHeight")
    driver.set_window_size(size["width"], height + chrome)
    try:
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    finally:
        driver.set_window_size(size["width"], size["height"])
