"""scripts/backup and scripts/restore end to end: a backup of a live server's database,
restored into an empty database, answers every query exactly as the original; restore refuses
to overwrite data without --force, and --force brings a deleted run back."""

import os
import shutil
import subprocess
import tempfile
import unittest

import traffic_support as ts

BACKUP = os.path.join(ts.REPO_ROOT, "scripts", "backup")
RESTORE = os.path.join(ts.REPO_ROOT, "scripts", "restore")
ADMIN = "backup-test-admin-0123456789"

QUERIES = [
    "/api/v1/simulations",
    "/api/v1/analytics/simulation/RUSH_AI/summary",
    "/api/v1/analytics/wait-times?group_by=simulation",
    "/api/v1/analytics/emergency-report",
    "/api/v1/analytics/comparison/baseline-vs-ai?scenario=rush",
    "/api/v1/analytics/time-series/NIGHT_AI?bucket=2m",
    "/api/v1/charts/wait-time-trend?bucket=5m",
]


def run_script(script, *args, database_url):
    env = dict(os.environ, DATABASE_URL=database_url, TRAFFIC_SKIP_APT="1")
    return subprocess.run([script, *args], env=env, capture_output=True, text=True,
                          cwd=tempfile.gettempdir())


def answers(server):
    return {q: ts.get_json(server.base + q) for q in QUERIES}


class BackupRestoreTest(unittest.TestCase):
    def test_a_restored_backup_answers_like_the_original(self):
        workdir = tempfile.mkdtemp(prefix="backup-test-")
        self.addCleanup(shutil.rmtree, workdir, True)
        dump = os.path.join(workdir, "nested", "traffic.dump")
        with ts.TestDatabase() as source, ts.TestDatabase() as target:
            with ts.Server(source.url, {"ADMIN_TOKEN": ADMIN}) as server:
                ts.load_fixture(server)
                before = answers(server)
                made = run_script(BACKUP, dump, database_url=source.url)
                self.assertEqual(made.returncode, 0, made.stderr)
                self.assertIn("backup written: " + dump, made.stdout)
                self.assertFalse(os.path.exists(dump + ".partial"))

                restored = run_script(RESTORE, dump, database_url=target.url)
                self.assertEqual(restored.returncode, 0, restored.stderr)
                self.assertIn("restored 5 runs, 97 snapshots", restored.stdout)

                # The source now holds data: no silent overwrite.
                refused = run_script(RESTORE, dump, database_url=source.url)
                self.assertEqual(refused.returncode, 1)
                self.assertIn("pass --force", refused.stderr)

                status, _, _ = ts.request("DELETE", server.base + "/api/v1/simulations/RUSH_AI",
                                          headers={"Authorization": "Bearer " + ADMIN})
                self.assertEqual(status, 200)

            forced = run_script(RESTORE, "--force", dump, database_url=source.url)
            self.assertEqual(forced.returncode, 0, forced.stderr)
            for url in (target.url, source.url):
                with ts.Server(url) as server:
                    self.assertEqual(answers(server), before, url)

    def test_restore_refuses_a_file_that_is_not_a_backup(self):
        with tempfile.NamedTemporaryFile(suffix=".dump") as junk, ts.TestDatabase() as db:
            junk.write(b"not a dump")
            junk.flush()
            result = run_script(RESTORE, junk.name, database_url=db.url)
            self.assertEqual(result.returncode, 2)
            self.assertIn("not a pg_dump custom-format backup", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
