# Tests that tools/example-usage walks every route of README's API table against the real server.
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import traffic_support as ts  # noqa: E402

EXAMPLE_USAGE = os.path.join(ts.REPO_ROOT, "tools", "example-usage")
ADMIN_TOKEN = "example-admin-token-0123456789"


def readme_routes():
    """Returns the (method, path) rows of README.md's API table, e.g. ("GET", "/health")."""
    with open(os.path.join(ts.REPO_ROOT, "README.md")) as f:
        routes = re.findall(r"^\| `(GET|POST|PUT|DELETE|PATCH) (/[^`]*)` \|", f.read(), re.M)
    if len(routes) < 10:
        raise AssertionError(f"README's API table not found (got {routes})")
    return routes


def example_usage(*args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TRAFFIC_API_KEY", "TRAFFIC_ADMIN_KEY", "NO_COLOR")}
    return subprocess.run([sys.executable, EXAMPLE_USAGE, *args], capture_output=True,
                          text=True, timeout=60, env=env)


class ExampleUsage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.database = ts.TestDatabase()
        try:
            cls.server = ts.Server(cls.database.url, env={"ADMIN_TOKEN": ADMIN_TOKEN}).start()
        except Exception:
            cls.database.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.database.close()

    def test_walks_every_readme_route(self):
        result = example_usage("--url", self.server.base, "--admin-key", ADMIN_TOKEN)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr)
        for method, path in readme_routes():
            with self.subTest(route=f"{method} {path}"):
                pattern = re.escape(path).replace(r"\{id\}", r"[^/?\s]+")
                self.assertRegex(result.stdout,
                                 re.compile(rf"^{method} {re.escape(self.server.base)}"
                                            rf"{pattern}(\?\S*)?$", re.M))
        self.assertIn("422 Unprocessable Entity", result.stdout)
        self.assertIn('"duplicates": 1', result.stdout)
        self.assertIn("X-Cache: HIT", result.stdout)
        self.assertIn("answered as expected", result.stdout)

    def test_without_admin_key_shows_401_and_how_to_enable(self):
        result = example_usage("--url", self.server.base)
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr)
        admin = result.stdout[result.stdout.index("== Admin"):]
        self.assertEqual(admin.count("401 Unauthorized"), 2, admin)
        self.assertIn("--admin-key", admin)
        self.assertIn("ADMIN_TOKEN", admin)

    def test_cleanup_deletes_its_runs(self):
        result = example_usage("--url", self.server.base, "--admin-key", ADMIN_TOKEN, "--cleanup")
        self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr)
        tag = re.search(r"^runs (EXAMPLE_\w+)_BASE", result.stdout, re.M).group(1)
        runs = ts.get_json(self.server.base + "/api/v1/simulations?limit=1000")["simulations"]
        self.assertFalse([r for r in runs if r["simulation_id"].startswith(tag)])

    def test_unreachable_server_fails(self):
        port = ts.free_port()
        result = example_usage("--url", f"http://127.0.0.1:{port}")
        self.assertEqual(result.returncode, 1)
        self.assertIn("cannot reach", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
