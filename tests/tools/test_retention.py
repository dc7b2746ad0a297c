"""RETENTION_DAYS on the real server: runs without new data for longer are deleted with every
row of theirs and drop out of cached answers; newer runs, and every run when retention is
off, stay whole."""

import time
import unittest

import traffic_support as ts

TABLES = ["performance_metrics", "signal_states", "snapshot_minutes", "direction_totals",
          "vehicle_class_totals"]
EXPIRED = ["NIGHT_AI", "RUSH_BASE"]


def rows_of(db_url, simulation_id):
    """Returns table -> rows of the run, plus 'simulations' (0 or 1)."""
    counts = {t: int(ts.psql(db_url, f"SELECT count(*) FROM {t} WHERE simulation_id = "
                                     f"'{simulation_id}'")) for t in TABLES}
    counts["simulations"] = int(ts.psql(db_url, "SELECT count(*) FROM simulations WHERE id = "
                                                f"'{simulation_id}'"))
    return counts


def backdate(db_url, simulation_ids, days):
    ids = ",".join(f"'{i}'" for i in simulation_ids)
    ts.psql(db_url, f"UPDATE simulations SET last_seen = now() - interval '{days} days' "
                    f"WHERE id IN ({ids})")


def listed_runs(server):
    return sorted(s["simulation_id"]
                  for s in ts.get_json(server.base + "/api/v1/simulations")["simulations"])


class RetentionTest(unittest.TestCase):
    def test_deletes_runs_idle_longer_than_the_retention_only(self):
        env = {"RETENTION_DAYS": "1", "RETENTION_CHECK_SECONDS": "1", "LOG_LEVEL": "info"}
        with ts.TestDatabase() as db, ts.Server(db.url, env) as server:
            ts.load_fixture(server)
            runs = listed_runs(server)  # also caches the list
            self.assertEqual(len(runs), 5)
            kept = [r for r in runs if r not in EXPIRED]
            kept_rows = {r: rows_of(db.url, r) for r in kept}
            self.assertTrue(all(c > 0 for r in kept for c in kept_rows[r].values()))
            # A day and a bit is not enough; two days is.
            backdate(db.url, [EXPIRED[0]], 0.5)
            backdate(db.url, EXPIRED, 2)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and listed_runs(server) != kept:
                time.sleep(0.2)
            self.assertEqual(listed_runs(server), kept)
            for run in EXPIRED:
                self.assertEqual(rows_of(db.url, run), {t: 0 for t in TABLES + ["simulations"]})
                status, _, _ = ts.request(
                    "GET", server.base + f"/api/v1/analytics/simulation/{run}/summary")
                self.assertEqual(status, 404)
            for run in kept:
                self.assertEqual(rows_of(db.url, run), kept_rows[run])
            log = server.read_log()
            for run in EXPIRED:
                self.assertIn(f"retention: run deleted: sim={run}", log)

    def test_keeps_everything_without_a_retention_setting(self):
        with ts.TestDatabase() as db, ts.Server(db.url, {"RETENTION_CHECK_SECONDS": "1"}) as server:
            ts.load_fixture(server)
            backdate(db.url, EXPIRED, 3650)
            time.sleep(2.5)
            self.assertEqual(len(listed_runs(server)), 5)


if __name__ == "__main__":
    unittest.main(verbosity=2)
