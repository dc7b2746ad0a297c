"""GET /metrics checked by the real Prometheus tools: promtool accepts the exposition, and a
Prometheus server scraping the real traffic-server returns the stored-snapshots counter with
the value the server acknowledged."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

import traffic_support as ts

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def metric_value(exposition, line_prefix):
    """Returns the value of the one sample line starting with `line_prefix` + ' '."""
    for line in exposition.splitlines():
        if line.startswith(line_prefix + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {line_prefix} in /metrics")


class MetricsEndpointTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = ts.TestDatabase()
        cls.server = ts.Server(cls.db.url).start()
        cls.ack = ts.load_fixture(cls.server)
        # The same batch again: every snapshot a duplicate.
        cls.resend = ts.load_fixture(cls.server)
        ts.get_json(cls.server.base + "/api/v1/analytics/wait-times")
        ts.get_json(cls.server.base + "/api/v1/analytics/wait-times")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.db.close()

    def scrape(self):
        status, headers, body = ts.request("GET", self.server.base + "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain; version=0.0.4"))
        return body.decode()

    def test_promtool_accepts_the_exposition(self):
        result = subprocess.run([PROMTOOL, "check", "metrics"], input=self.scrape(),
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_counts_what_was_stored_and_resent(self):
        text = self.scrape()
        self.assertEqual(metric_value(text, "traffic_snapshots_stored_total"), self.ack["stored"])
        self.assertEqual(metric_value(text, "traffic_snapshot_duplicates_total"),
                         self.resend["duplicates"])
        self.assertEqual(metric_value(text, "traffic_database_up"), 1)
        self.assertEqual(metric_value(text, 'traffic_writer_batches_total{outcome="committed"}'), 2)
        self.assertEqual(metric_value(text, "traffic_writer_batch_rows_count"), 2)
        self.assertEqual(metric_value(text, 'traffic_writer_batch_rows_bucket{le="50"}'), 0)
        self.assertEqual(metric_value(text, 'traffic_writer_batch_rows_bucket{le="100"}'), 2)
        self.assertEqual(metric_value(text, "traffic_writer_batch_rows_sum"), 2 * self.ack["stored"])
        self.assertEqual(metric_value(text, "traffic_cache_hits_total"), 1)
        self.assertEqual(metric_value(text, "traffic_cache_misses_total"), 1)
        self.assertEqual(metric_value(text, "traffic_active_simulations"), 5)

    def test_counts_requests_by_route_method_and_status(self):
        ts.request("GET", self.server.base + "/no/such/route")
        text = self.scrape()
        self.assertEqual(metric_value(
            text, 'traffic_http_requests_total{route="/api/v1/ingest/batch",method="POST",'
                  'status="201"}'), 1)
        self.assertEqual(metric_value(
            text, 'traffic_http_requests_total{route="/api/v1/ingest/batch",method="POST",'
                  'status="200"}'), 1)
        self.assertEqual(metric_value(
            text, 'traffic_http_requests_total{route="/api/v1/analytics/wait-times",'
                  'method="GET",status="200"}'), 2)
        self.assertGreaterEqual(metric_value(
            text, 'traffic_http_requests_total{route="unmatched",method="GET",status="404"}'), 1)
        self.assertEqual(metric_value(
            text, 'traffic_http_request_duration_seconds_count{route="/api/v1/ingest/batch",'
                  'method="POST"}'), 2)


class PrometheusScrapeTest(unittest.TestCase):
    def test_prometheus_scrapes_the_stored_snapshot_counter(self):
        with ts.TestDatabase() as db, ts.Server(db.url) as server:
            ack = ts.load_fixture(server)
            workdir = tempfile.mkdtemp(prefix="prometheus-test-")
            config = os.path.join(workdir, "prometheus.yml")
            with open(config, "w") as f:
                f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                        "scrape_configs:\n  - job_name: traffic\n    static_configs:\n"
                        f"      - targets: ['127.0.0.1:{server.port}']\n")
            check = subprocess.run([PROMTOOL, "check", "config", config], capture_output=True,
                                   text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            port = ts.free_port()
            log = open(os.path.join(workdir, "prometheus.log"), "w")
            prometheus = subprocess.Popen(
                [PROMETHEUS, f"--config.file={config}",
                 f"--storage.tsdb.path={os.path.join(workdir, 'data')}",
                 f"--web.listen-address=127.0.0.1:{port}"],
                stdout=log, stderr=subprocess.STDOUT)
            try:
                value = self.wait_for_sample(port, "traffic_snapshots_stored_total", deadline=45)
                self.assertEqual(value, ack["stored"])
                up = self.wait_for_sample(port, 'up{job="traffic"}', deadline=5)
                self.assertEqual(up, 1)
            except AssertionError:
                log.flush()
                with open(log.name) as f:
                    print(f.read()[-4000:])
                raise
            finally:
                prometheus.terminate()
                try:
                    prometheus.wait(10)
                except subprocess.TimeoutExpired:
                    prometheus.kill()
                log.close()
                shutil.rmtree(workdir, ignore_errors=True)

    def wait_for_sample(self, port, query, deadline):
        """Polls the query API until `query` has a sample; returns its value."""
        url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": query})
        end = time.monotonic() + deadline
        last = None
        while time.monotonic() < end:
            try:
                status, _, body = ts.request("GET", url, timeout=2)
                if status == 200:
                    last = json.loads(body)
                    result = last["data"]["result"]
                    if result:
                        return float(result[0]["value"][1])
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"Prometheus never returned {query}: {last}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
