"""Shared support of the tool tests (tests/tools/test_*.py): a fresh database, the real
server as a child process, and a small HTTP client. Standard library only.

The tests run under ctest, which sets TRAFFIC_SERVER_BINARY (the server under test) and,
through scripts/test, TRAFFIC_TEST_DATABASE_URL (a superuser URL of a throwaway cluster).
"""

import json
import os
import random
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    """Returns a loopback TCP port that was free a moment ago, below the kernel's range for
    outgoing connections, so a parallel test's client socket cannot take it first."""
    low = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except OSError:
        pass
    for _ in range(200):
        port = random.randint(20000, low - 1)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def admin_database_url():
    url = os.environ.get("TRAFFIC_TEST_DATABASE_URL")
    if not url:
        raise RuntimeError("TRAFFIC_TEST_DATABASE_URL is not set (scripts/test sets it)")
    return url


def with_database(url, name):
    """Returns `url` pointing at database `name`."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def psql(url, sql, *extra):
    """Runs `sql` with psql against `url`; returns its stdout (unaligned, tuples only)."""
    out = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql, *extra],
        check=True, capture_output=True, text=True)
    return out.stdout.strip()


class TestDatabase:
    """A fresh, empty database on the test cluster, dropped on close()."""

    def __init__(self):
        self.admin_url = admin_database_url()
        self.name = "tools_" + uuid.uuid4().hex[:12]
        psql(self.admin_url, f'CREATE DATABASE "{self.name}"')
        self.url = with_database(self.admin_url, self.name)

    def close(self):
        psql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def server_binary():
    path = os.environ.get("TRAFFIC_SERVER_BINARY")
    if not path:
        raise RuntimeError("TRAFFIC_SERVER_BINARY is not set (ctest sets it)")
    return path


# How many times slower the server under test may be (a sanitizer build; tests/CMakeLists.txt).
SANITIZER_SLOWDOWN = int(os.environ.get("TRAFFIC_SANITIZER_SLOWDOWN") or 1)

# What ASan, LeakSanitizer, TSan and UBSan print when they find something.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                     "WARNING: ThreadSanitizer", "runtime error:")


class Server:
    """The real traffic-server on a free loopback port. The log goes to a temporary file and
    is printed when the server fails to start."""

    def __init__(self, database_url, env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.update({
            "DATABASE_URL": database_url,
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": str(self.port),
            "LOG_LEVEL": "warn",
            "ENVIRONMENT": "test",
        })
        for key, value in (env or {}).items():
            if value is None:
                self.env.pop(key, None)
            else:
                self.env[key] = value
        self.log = tempfile.NamedTemporaryFile(prefix="traffic-server-", suffix=".log",
                                               delete=False)
        self.process = None

    def start(self, ready_within=15.0):
        # A temporary working directory: the server reads a .env file from its cwd.
        self.cwd = tempfile.mkdtemp(prefix="traffic-cwd-")
        self.process = subprocess.Popen([server_binary()], env=self.env, cwd=self.cwd,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n"
                                   + self.read_log())
            try:
                status, _, _ = request("GET", self.base + "/health", timeout=1)
                if status in (200, 503):
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not answer /health:\n" + self.read_log())

    def read_log(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()

    def stop(self, within=20.0):
        """SIGTERM, then SIGKILL after `within` seconds. Returns the exit code; raises
        AssertionError when a sanitizer build of the server reported a finding."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(within)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.check_no_sanitizer_report()
        return self.process.returncode

    def check_no_sanitizer_report(self):
        """Raises when a sanitizer build of the server reported an error in its output."""
        log = self.read_log()
        for marker in SANITIZER_MARKERS:
            if marker in log:
                raise AssertionError(f"sanitizer report in the server's output:\n{log[-20000:]}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            os.unlink(self.log.name)


def request(method, url, body=None, headers=None, timeout=30):
    """Sends one request; returns (status, headers as a dict with lower-case names, body
    bytes). HTTP error statuses are returned, not raised."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def get_json(url, headers=None):
    status, _, body = request("GET", url, headers=headers)
    if status != 200:
        raise AssertionError(f"GET {url}: {status} {body[:500]!r}")
    return json.loads(body)


def post_json(url, document, headers=None):
    """POSTs `document` as JSON; returns (status, parsed answer)."""
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    status, _, body = request("POST", url, json.dumps(document), all_headers)
    return status, json.loads(body) if body else None


FIXTURE_NDJSON = os.path.join(REPO_ROOT, "tests", "fixtures", "analytics.ndjson")


def load_fixture(server, headers=None):
    """Posts tests/fixtures/analytics.ndjson (five runs; see its README) as one batch."""
    with open(FIXTURE_NDJSON, "rb") as f:
        body = f.read()
    all_headers = {"Content-Type": "application/x-ndjson"}
    all_headers.update(headers or {})
    status, _, answer = request("POST", server.base + "/api/v1/ingest/batch", body, all_headers)
    if status not in (200, 201):
        raise AssertionError(f"fixture load: {status} {answer[:500]!r}")
    return json.loads(answer)
