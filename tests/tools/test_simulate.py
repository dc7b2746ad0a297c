# Tests tools/simulate against the real server (loads, re-runs, AI gains, emergencies) and a local stub (retries, auth).
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import traffic_support as ts  # noqa: E402

SIMULATE = os.path.join(ts.REPO_ROOT, "tools", "simulate")
TICKS = 120
INTERSECTIONS = 3
BATCH_RUNS = {
    "TOOLA_RUSH_BASE_001": ("baseline", "rush"),
    "TOOLA_RUSH_AI_001": ("ai", "rush"),
    "TOOLA_OFFPEAK_BASE_002": ("baseline", "offpeak"),
    "TOOLA_OFFPEAK_AI_002": ("ai", "offpeak"),
}
BATCH_ARGS = ["--prefix", "TOOLA", "--scenarios", "rush,offpeak", "--simulations", "2",
              "--mode", "both", "--intersections", str(INTERSECTIONS), "--ticks", str(TICKS),
              "--batch", "200", "--connections", "2"]


def simulate(*args, env=None, timeout=60):
    """Runs tools/simulate; without `env`, TRAFFIC_API_KEY of the caller is not passed on."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "TRAFFIC_API_KEY"}
    return subprocess.run([sys.executable, SIMULATE, *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def runs_by_id(server):
    listing = ts.get_json(server.base + "/api/v1/simulations?limit=1000")
    return {run["simulation_id"]: run for run in listing["simulations"]}


def figure(comparison, name):
    return next(m for m in comparison["metrics"] if m["figure"] == name)


class SimulatorAgainstServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.database = ts.TestDatabase()
        try:
            cls.server = ts.Server(cls.database.url).start()
        except Exception:
            cls.database.close()
            raise
        cls.first = simulate("--url", cls.server.base, *BATCH_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.database.close()

    def assert_batch_runs_complete(self):
        runs = runs_by_id(self.server)
        for run_id, (mode, scenario) in BATCH_RUNS.items():
            self.assertIn(run_id, runs)
            self.assertEqual(runs[run_id]["snapshots"], TICKS * INTERSECTIONS, run_id)
            self.assertEqual(runs[run_id]["mode"], mode)
            self.assertEqual(runs[run_id]["scenario"], scenario)
            self.assertEqual(runs[run_id]["first_timestamp"], "2025-09-10T07:00:00Z")
            self.assertEqual(runs[run_id]["last_timestamp"], "2025-09-10T07:09:55Z")

    def test_a_batch_load_stores_every_run_completely(self):
        self.assertEqual(self.first.returncode, 0, self.first.stderr)
        total = len(BATCH_RUNS) * TICKS * INTERSECTIONS
        self.assertIn(f"stored {total}, duplicates 0, errors 0", self.first.stderr)
        self.assert_batch_runs_complete()

    def test_b_rerun_reports_only_duplicates(self):
        again = simulate("--url", self.server.base, *BATCH_ARGS)
        self.assertEqual(again.returncode, 0, again.stderr)
        total = len(BATCH_RUNS) * TICKS * INTERSECTIONS
        self.assertIn(f"stored 0, duplicates {total}, errors 0", again.stderr)
        self.assert_batch_runs_complete()

    def test_c_single_snapshots_at_a_set_rate(self):
        started = time.monotonic()
        result = simulate("--url", self.server.base, "--prefix", "TOOLC", "--scenarios",
                          "freight", "--simulations", "1", "--mode", "ai", "--intersections", "2",
                          "--ticks", "10", "--batch", "1", "--rate", "40")
        elapsed = time.monotonic() - started
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("stored 20, duplicates 0, errors 0", result.stderr)
        self.assertIn("in 20 requests", result.stderr)
        # 20 snapshots at 40 per second take about half a second.
        self.assertGreaterEqual(elapsed, 0.4)
        run = runs_by_id(self.server)["TOOLC_FREIGHT_AI_001"]
        self.assertEqual((run["snapshots"], run["mode"], run["scenario"]), (20, "ai", "freight"))

    def test_d_ai_beats_baseline(self):
        self.assertEqual(self.first.returncode, 0, self.first.stderr)
        for scenario in ("rush", "offpeak"):
            with self.subTest(scenario=scenario):
                comparison = ts.get_json(self.server.base +
                                         "/api/v1/analytics/comparison/baseline-vs-ai?scenario="
                                         + scenario)
                wait = figure(comparison, "wait_time")
                self.assertTrue(wait["ai_better"], wait)
                self.assertLessEqual(wait["ai_mean"], 0.85 * wait["baseline_mean"], wait)
                for name in ("speed", "throughput"):
                    self.assertGreater(figure(comparison, name)["ai_mean"],
                                       figure(comparison, name)["baseline_mean"], name)
        for run_id, (mode, _) in BATCH_RUNS.items():
            impact = ts.get_json(self.server.base +
                                 "/api/v1/analytics/environmental-impact?simulation_id=" + run_id)
            if mode == "ai":
                self.assertGreater(impact["overall"]["fuel_saved"], 0, run_id)
                self.assertGreater(impact["overall"]["co2_saved"], 0, run_id)
            else:
                self.assertEqual(impact["overall"]["fuel_saved"], 0, run_id)

    def test_e_ai_gives_emergency_vehicles_green_sooner(self):
        self.assertEqual(self.first.returncode, 0, self.first.stderr)
        # Per mode over both scenarios: episodes, those that turned green, the sum of their
        # times to green, overrides.
        totals = {"baseline": [0, 0, 0.0, 0], "ai": [0, 0, 0.0, 0]}
        for run_id, (mode, _) in BATCH_RUNS.items():
            query = urllib.parse.urlencode({"simulation_id": run_id})
            report = ts.get_json(self.server.base + "/api/v1/analytics/emergency-report?" + query)
            run = report["totals"]
            self.assertGreater(run["episodes"], 0, run_id)
            self.assertGreater(run["episodes_with_green"], 0, run_id)
            mode_totals = totals[mode]
            mode_totals[0] += run["episodes"]
            mode_totals[1] += run["episodes_with_green"]
            mode_totals[2] += run["mean_time_to_green_seconds"] * run["episodes_with_green"]
            mode_totals[3] += run["overrides"]
        mean_to_green = {mode: t[2] / t[1] for mode, t in totals.items()}
        self.assertLess(mean_to_green["ai"], mean_to_green["baseline"], totals)
        self.assertGreater(totals["ai"][3], 0)
        self.assertEqual(totals["baseline"][3], 0)


class StubServer:
    """A loopback HTTP server answering POSTs from a list of (status, headers, body), the last
    one repeating, and recording when each request came and with which headers."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                stub.requests.append((time.monotonic(), self.path, dict(self.headers), body))
                status, headers, answer = stub.answers[min(len(stub.requests),
                                                           len(stub.answers)) - 1]
                data = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


ONE_SNAPSHOT = ["--simulations", "1", "--mode", "baseline", "--intersections", "1", "--ticks",
                "1", "--batch", "1", "--connections", "1"]
STORED = (201, {}, {"stored": 1, "duplicates": 0})
BUSY = (503, {"Retry-After": "1"},
        {"error": {"code": "overloaded", "message": "write queue full", "details": []}})


class SimulatorAgainstStub(unittest.TestCase):
    def test_f_honours_retry_after(self):
        with StubServer([BUSY, BUSY, STORED]) as stub:
            result = simulate("--url", stub.url, *ONE_SNAPSHOT)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(stub.requests), 3)
        times = [request[0] for request in stub.requests]
        for earlier, later in zip(times, times[1:]):
            self.assertGreaterEqual(later - earlier, 1.0)
        bodies = {request[3] for request in stub.requests}
        self.assertEqual(len(bodies), 1, "every retry resends the same snapshot")
        self.assertEqual(stub.requests[0][1], "/api/v1/ingest/simulation")
        self.assertIn("stored 1, duplicates 0, errors 0, retries 2", result.stderr)

    def test_g_sends_the_api_key_as_bearer_token(self):
        with StubServer([STORED]) as stub:
            with_flag = simulate("--url", stub.url, "--api-key", "flag-key-0123456789",
                                 *ONE_SNAPSHOT)
            from_env = simulate("--url", stub.url, *ONE_SNAPSHOT,
                                env=dict(os.environ, TRAFFIC_API_KEY="env-key-0123456789"))
            without = simulate("--url", stub.url, *ONE_SNAPSHOT)
        for result in (with_flag, from_env, without):
            self.assertEqual(result.returncode, 0, result.stderr)
        authorization = [request[2].get("Authorization") for request in stub.requests]
        self.assertEqual(authorization,
                         ["Bearer flag-key-0123456789", "Bearer env-key-0123456789", None])

    def test_client_errors_fail_the_run_and_print_once(self):
        invalid = (422, {}, {"error": {"code": "validation_failed", "message": "bad snapshot",
                                       "details": [{"path": "signals[0].avg_wait_time",
                                                    "message": "must be a non-negative number"}]},
                             "request_id": "x"})
        with StubServer([invalid]) as stub:
            result = simulate("--url", stub.url, "--simulations", "1", "--mode", "baseline",
                              "--intersections", "1", "--ticks", "3", "--batch", "1")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(len(stub.requests), 3, "a 422 is not retried")
        self.assertEqual(result.stderr.count("signals[0].avg_wait_time"), 1, result.stderr)
        self.assertIn("errors 3", result.stderr)

    def test_batches_are_json_arrays_or_ndjson(self):
        stored_two = (201, {}, {"stored": 2, "duplicates": 0})
        common = ["--simulations", "1", "--mode", "both", "--intersections", "1", "--ticks", "1",
                  "--batch", "2", "--connections", "1"]
        with StubServer([stored_two]) as stub:
            as_array = simulate("--url", stub.url, *common)
            as_ndjson = simulate("--url", stub.url, *common, "--ndjson")
        self.assertEqual(as_array.returncode, 0, as_array.stderr)
        self.assertEqual(as_ndjson.returncode, 0, as_ndjson.stderr)
        (_, path, headers, body), (_, _, ndjson_headers, ndjson_body) = stub.requests
        self.assertEqual(path, "/api/v1/ingest/batch")
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual([s["mode"] for s in json.loads(body)], ["baseline", "ai"])
        self.assertEqual(ndjson_headers["Content-Type"], "application/x-ndjson")
        self.assertEqual([json.loads(line) for line in ndjson_body.splitlines()],
                         json.loads(body))


class SimulatorOutput(unittest.TestCase):
    def test_same_seed_same_data(self):
        args = ["--dry-run", "--quiet", "--ticks", "30", "--intersections", "2"]
        first, second = simulate(*args), simulate(*args)
        other_seed = simulate(*args, "--seed", "2")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertEqual(first.stdout, second.stdout)
        self.assertNotEqual(first.stdout, other_seed.stdout)
        self.assertEqual(len(first.stdout.splitlines()), 2 * 2 * 2 * 30)


if __name__ == "__main__":
    unittest.main(verbosity=2)
