"""The live dashboard at / in real headless Chromium: the real server on a fresh database with
the fixture loaded, driven by tests/browser/dashboard.mjs (playwright-core from
web/node_modules): cards equal to the live view, every chart drawn, a new run shown within 3 s,
the pickers redrawing the trend, no console error or failed request, screenshots
dashboard.png and dashboard-wall.png in TRAFFIC_ARTIFACT_DIR. Then the same page against a
server that requires an API key: it asks for one and streams with it.

Needs Debian's chromium package (/usr/bin/chromium; TRAFFIC_PACKAGES installs it), node, and
the web packages (npm ci --prefix web). A missing one fails the test with how to install it.
"""

import os
import shutil
import subprocess
import time
import unittest

import traffic_support as ts

CHROMIUM = "/usr/bin/chromium"
SCRIPT = os.path.join(ts.REPO_ROOT, "tests", "browser", "dashboard.mjs")
WEB_DIR = os.path.join(ts.REPO_ROOT, "web")
# A key with the read and ingest scopes for the server that requires one.
API_KEY = "dashboard-browser-test-0123456789abcdef"
# The brief: the whole browser test within a minute; each browser run gets most of it.
BROWSER_RUN_TIMEOUT_S = 45


def artifact_dir():
    return os.environ.get("TRAFFIC_ARTIFACT_DIR") or os.path.join(ts.REPO_ROOT, "build",
                                                                  "test-artifacts")


class DashboardBrowserTest(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(CHROMIUM):
            self.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                      "(apt-get install --no-install-recommends chromium; scripts/test installs "
                      "it with the other TRAFFIC_PACKAGES)")
        self.node = shutil.which("node")
        if not self.node:
            self.fail("node is not on PATH: install Debian's nodejs package")
        for package in ("playwright-core", "chart.js"):
            if not os.path.isdir(os.path.join(WEB_DIR, "node_modules", package)):
                self.fail(f"web/node_modules/{package} is missing: run npm ci --prefix web "
                          "(scripts/test does)")

    def run_browser(self, server, *extra):
        started = time.monotonic()
        try:
            run = subprocess.run([self.node, SCRIPT, server.base, artifact_dir(), *extra],
                                 cwd=ts.REPO_ROOT, capture_output=True, text=True,
                                 timeout=BROWSER_RUN_TIMEOUT_S)
        except subprocess.TimeoutExpired as err:
            self.fail(f"the browser run took over {BROWSER_RUN_TIMEOUT_S} s:\n"
                      f"{err.stdout or ''}{err.stderr or ''}")
        print(run.stdout, end="")
        print(run.stderr, end="")
        print(f"(browser run: {time.monotonic() - started:.1f} s)")
        if run.returncode != 0:
            self.fail(f"dashboard checks failed (exit {run.returncode}):\n{run.stderr}\n"
                      f"server log:\n{server.read_log()[-3000:]}")

    def test_dashboard_shows_the_fixture_and_follows_new_data(self):
        with ts.TestDatabase() as db, ts.Server(db.url, {"WEB_DIR": WEB_DIR}) as server:
            ts.load_fixture(server)
            self.run_browser(server)
        for name in ("dashboard.png", "dashboard-wall.png"):
            path = os.path.join(artifact_dir(), name)
            self.assertTrue(os.path.getsize(path) > 10000, f"{path} is missing or empty")

    def test_dashboard_asks_for_a_key_when_the_server_requires_one(self):
        env = {"WEB_DIR": WEB_DIR, "AUTH_REQUIRED": "true",
               "API_KEYS": f"dashboard:read+ingest:{API_KEY}", "API_KEYS_FILE": None,
               "ADMIN_TOKEN": None}
        with ts.TestDatabase() as db, ts.Server(db.url, env) as server:
            ts.load_fixture(server, {"Authorization": f"Bearer {API_KEY}"})
            self.run_browser(server, "--api-key", API_KEY)


if __name__ == "__main__":
    unittest.main(verbosity=2)
