#!/usr/bin/env python3
"""Checks the Docker deployment and monitoring set-up in docker/ with the real tools: nginx -t,
promtool, Debian's docker-compose 1.29, and the real server (its /metrics names and its database
for the Grafana panels). No Docker daemon is needed: nothing here builds or starts a container.

Run: TRAFFIC_TEST_DATABASE_URL=postgresql://... TRAFFIC_SERVER_BINARY=build/traffic-server \
     python3 tests/tools/test_docker_config.py

nginx -t must run as root, as in CI and in the nginx image: it opens /dev/stdout (the access
log) and creates nginx's compiled-in temporary directories. Other users skip that one test.
"""

import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import traffic_support as ts  # noqa: E402

REPO = ts.REPO_ROOT
DOCKER = os.path.join(REPO, "docker")
DOCKERFILE = os.path.join(DOCKER, "Dockerfile")
COMPOSE_FILE = os.path.join(DOCKER, "docker-compose.yml")
NGINX_CONF = os.path.join(DOCKER, "nginx", "nginx.conf")
PROMETHEUS_CONF = os.path.join(DOCKER, "prometheus", "prometheus.yml")
DATASOURCES = os.path.join(DOCKER, "grafana", "provisioning", "datasources", "datasources.yml")
DASHBOARD_PROVIDERS = os.path.join(DOCKER, "grafana", "provisioning", "dashboards",
                                   "dashboards.yml")
DASHBOARD_DIR = os.path.join(DOCKER, "grafana", "dashboards")

# Variables docker-compose.yml reads; removed from the environment of every compose run so a
# developer's shell cannot change what the tests see.
COMPOSE_VARIABLES = ["API_KEYS", "API_PUBLISH", "PUBLIC_PORT", "POSTGRES_PASSWORD", "ADMIN_TOKEN",
                     "LOG_LEVEL", "GRAFANA_ADMIN_PASSWORD", "GRAFANA_PORT"]

# The time range the Grafana macros stand for in the SQL panel checks: the fixture's day.
PANEL_FROM = "2025-09-10T00:00:00Z"
PANEL_TO = "2025-09-11T00:00:00Z"
PANEL_INTERVAL = "1m"

# API_KEYS for the compose runs, in the server's name:scopes:token form.
TEST_API_KEYS = "tests:ingest+read:0123456789abcdef"

# The metric families the server exports (the /metrics contract), written out by hand: the
# parser is checked on it, and the dashboard against it, without a server.
AGREED_EXPOSITION = """\
# HELP traffic_http_requests_total HTTP requests answered.
# TYPE traffic_http_requests_total counter
traffic_http_requests_total{route="/health",method="GET",status="200"} 3
# HELP traffic_http_request_duration_seconds Time to answer a request.
# TYPE traffic_http_request_duration_seconds histogram
traffic_http_request_duration_seconds_bucket{route="/health",method="GET",le="0.005"} 3
traffic_http_request_duration_seconds_bucket{route="/health",method="GET",le="+Inf"} 3
traffic_http_request_duration_seconds_sum{route="/health",method="GET"} 0.0021
traffic_http_request_duration_seconds_count{route="/health",method="GET"} 3
# TYPE traffic_snapshots_stored_total counter
traffic_snapshots_stored_total 97
# TYPE traffic_snapshot_duplicates_total counter
traffic_snapshot_duplicates_total 0
# TYPE traffic_ingest_rejected_total counter
# TYPE traffic_writer_queue_snapshots gauge
traffic_writer_queue_snapshots 0
# TYPE traffic_writer_queue_capacity_snapshots gauge
traffic_writer_queue_capacity_snapshots 20000
# TYPE traffic_writer_batch_rows histogram
traffic_writer_batch_rows_bucket{le="+Inf"} 1
traffic_writer_batch_rows_sum 97
traffic_writer_batch_rows_count 1
# TYPE traffic_writer_commit_duration_seconds histogram
traffic_writer_commit_duration_seconds_bucket{le="+Inf"} 1
traffic_writer_commit_duration_seconds_sum 0.004
traffic_writer_commit_duration_seconds_count 1
# TYPE traffic_writer_batches_total counter
traffic_writer_batches_total{outcome="committed"} 1
# TYPE traffic_database_up gauge
traffic_database_up 1
# TYPE traffic_cache_entries gauge
traffic_cache_entries 0
# TYPE traffic_cache_hits_total counter
traffic_cache_hits_total 0
# TYPE traffic_cache_misses_total counter
traffic_cache_misses_total 0
# TYPE traffic_simulation_actors gauge
traffic_simulation_actors 5
# TYPE traffic_active_simulations gauge
traffic_active_simulations 5
# TYPE traffic_build_info gauge
traffic_build_info{version="0.1.0"} 1
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 1.2e+07
"""


def run(args, env=None, timeout=120):
    """Runs a tool; returns the CompletedProcess (text), never raising on a non-zero exit."""
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=timeout,
                          cwd=REPO)


def require_tool(name, *fallbacks):
    """Returns the path of a tool scripts/lib/common.sh installs, or fails the test."""
    for candidate in (shutil.which(name), *fallbacks):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise AssertionError(f"{name} is not installed (scripts/lib/common.sh installs it)")


def read(path):
    with open(path) as f:
        return f.read()


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


# --- Prometheus text format and PromQL ---------------------------------------------------

def metric_families(exposition):
    """Returns {family name: type} from the `# TYPE name type` lines of a Prometheus text
    exposition."""
    families = {}
    for line in exposition.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "#" and parts[1] == "TYPE":
            families[parts[2]] = parts[3]
    return families


def queryable_names(exposition):
    """Returns every series name a query may use: each family, and for a histogram (summary)
    its _bucket, _sum and _count (_sum and _count) series."""
    names = set()
    for name, kind in metric_families(exposition).items():
        names.add(name)
        if kind == "histogram":
            names.update({name + "_bucket", name + "_sum", name + "_count"})
        elif kind == "summary":
            names.update({name + "_sum", name + "_count"})
    return names


PROMQL_KEYWORDS = {"and", "or", "unless", "bool", "by", "without", "on", "ignoring",
                   "group_left", "group_right", "offset", "inf", "nan"}


def promql_metric_names(expr):
    """Returns the metric names an expression selects: identifiers that are not functions,
    aggregations, keywords, label names or durations."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)          # string literals
    expr = re.sub(r"\{[^}]*\}", "", expr)                      # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)                     # ranges and subqueries
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ",
                  expr)                                        # label lists
    expr = re.sub(r"\boffset\s+-?\w+", " ", expr)             # offsets (a duration)
    names = set()
    for m in re.finditer(r"\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|[A-Za-z_:][A-Za-z0-9_:]*", expr):
        token = m.group(0)
        if token[0].isdigit() or token.lower() in PROMQL_KEYWORDS:
            continue
        if re.match(r"\s*\(", expr[m.end():]):                 # a function or an aggregation
            continue
        names.add(token)
    return names


# --- Grafana ----------------------------------------------------------------------------

def dashboards():
    """Returns [(file name, parsed dashboard)] for every provisioned dashboard."""
    found = []
    for path in sorted(glob.glob(os.path.join(DASHBOARD_DIR, "*.json"))):
        with open(path) as f:
            found.append((os.path.basename(path), json.load(f)))
    return found


def panels(dashboard):
    """Yields every panel, including those inside collapsed rows."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def panel_targets(datasource_type):
    """Returns [(panel title, target)] of every dashboard target whose data source (the
    target's own, else its panel's) has a uid provisioned with a type of `datasource_type`."""
    uids = {d["uid"] for d in load_yaml(DATASOURCES)["datasources"]
            if datasource_kind(d["type"]) == datasource_type}
    found = []
    for _, dashboard in dashboards():
        for panel in panels(dashboard):
            for target in panel.get("targets", []):
                source = target.get("datasource") or panel.get("datasource") or {}
                if source.get("uid") in uids:
                    found.append((panel.get("title"), target))
    return found


def datasource_kind(plugin_type):
    """Grafana 10 names the PostgreSQL plugin `grafana-postgresql-datasource`, earlier
    versions `postgres`; both mean the same data source."""
    return "postgres" if plugin_type in ("postgres", "grafana-postgresql-datasource") \
        else plugin_type


def duration_seconds(text):
    m = re.fullmatch(r"(\d+)(s|m|h|d)", text.strip().strip("'\""))
    if not m:
        raise AssertionError(f"not a Grafana interval: {text!r}")
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def plain_sql(raw_sql):
    """Returns a PostgreSQL panel's query with Grafana's macros replaced by the SQL Grafana's
    PostgreSQL data source generates, for the fixed range PANEL_FROM..PANEL_TO. Fails on a
    macro or variable it does not know, so the check cannot pass on SQL Grafana would not
    run."""
    sql = raw_sql.replace("$__interval", PANEL_INTERVAL)

    def expand(m):
        name = m.group(1)
        args = [a.strip() for a in m.group(2).split(",")] if m.group(2).strip() else []
        if name == "timeFilter":
            return f"{args[0]} BETWEEN '{PANEL_FROM}' AND '{PANEL_TO}'"
        if name == "timeFrom":
            return f"'{PANEL_FROM}'"
        if name == "timeTo":
            return f"'{PANEL_TO}'"
        if name in ("timeGroup", "timeGroupAlias"):
            seconds = duration_seconds(args[1])
            group = f"floor(extract(epoch from {args[0]})/{seconds})*{seconds}"
            return group + (' AS "time"' if name == "timeGroupAlias" else "")
        raise AssertionError(f"no plain SQL for the Grafana macro $__{name}")

    sql = re.sub(r"\$__(\w+)\(([^()]*)\)", expand, sql)
    if "$" in sql:
        raise AssertionError(f"a Grafana variable is left in the query: {sql}")
    return sql.strip().rstrip(";")


# --- docker-compose ---------------------------------------------------------------------

def compose_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in COMPOSE_VARIABLES and not k.startswith("COMPOSE_")}
    env.update(extra)
    return env


def compose_config(*profiles, **variables):
    """Runs `docker-compose config` (with the given profiles) and returns the process. An
    empty --env-file keeps a local docker/.env out of it."""
    docker_compose = require_tool("docker-compose")
    with tempfile.NamedTemporaryFile("w", suffix=".env") as empty_env:
        args = [docker_compose, "--env-file", empty_env.name, "-f", COMPOSE_FILE]
        for profile in profiles:
            args += ["--profile", profile]
        return run(args + ["config"], env=compose_env(**variables))


def published_ports(service):
    """Returns the service's ports as (host ip, host port, container port) strings; the host
    port is "" when Docker picks one."""
    found = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            found.append((port.get("host_ip", ""), str(port.get("published", "")),
                          str(port["target"])))
        else:
            parts = str(port).split("/")[0].split(":")
            parts = [""] * (3 - len(parts)) + parts
            found.append((parts[0], parts[1], parts[2]))
    return found


# --- Dockerfile -------------------------------------------------------------------------

def dockerfile_stages():
    """Returns [(FROM line, [(instruction, arguments)])], one entry per stage, with
    continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", "\n".join(line for line in read(DOCKERFILE).splitlines()
                                          if not line.lstrip().startswith("#")))
    stages = []
    for line in text.splitlines():
        if not line.strip():
            continue
        instruction, _, arguments = line.strip().partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stages.append((arguments.strip(), []))
        elif stages:
            stages[-1][1].append((instruction, " ".join(arguments.split())))
    return stages


def apt_packages(instructions):
    """Returns the packages of every `apt-get install` in a stage's RUN instructions."""
    packages = set()
    for instruction, arguments in instructions:
        if instruction != "RUN":
            continue
        for command in re.split(r"&&|;|\|\|", arguments):
            words = shlex.split(command)
            if words[:2] == ["apt-get", "install"]:
                packages.update(w for w in words[2:] if not w.startswith("-"))
    return packages


def common_sh_packages():
    """Returns TRAFFIC_PACKAGES from scripts/lib/common.sh."""
    text = read(os.path.join(REPO, "scripts", "lib", "common.sh"))
    body = re.search(r"TRAFFIC_PACKAGES=\((.*?)\)", text, re.S).group(1)
    return {w for line in body.splitlines() for w in line.split("#")[0].split()}


# ========================================================================================

class NginxConfigTest(unittest.TestCase):
    def setUp(self):
        # Comments dropped, so the checks see directives only.
        self.conf = "\n".join(line.split("#")[0] for line in read(NGINX_CONF).splitlines())

    def location(self, spec):
        m = re.search(r"location\s+" + re.escape(spec) + r"\s*\{([^}]*)\}", self.conf)
        self.assertIsNotNone(m, f"nginx.conf has no `location {spec}`")
        return m.group(1)

    @unittest.skipUnless(os.geteuid() == 0, "nginx -t needs root (see the module docstring)")
    def test_nginx_accepts_the_config(self):
        nginx = require_tool("nginx", "/usr/sbin/nginx")
        with tempfile.TemporaryDirectory(prefix="nginx-test-") as prefix:
            result = run([nginx, "-t", "-c", NGINX_CONF, "-p", prefix + "/",
                          "-e", os.path.join(prefix, "error.log"),
                          "-g", f"pid {os.path.join(prefix, 'nginx.pid')};"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("test is successful", result.stderr)

    def test_api_is_resolved_per_request_through_docker_dns(self):
        # An upstream block naming `api` would be resolved once, when nginx starts.
        self.assertNotRegex(self.conf, r"upstream\s+\w+\s*\{[^}]*\bapi\b")
        self.assertRegex(self.conf, r"resolver\s+127\.0\.0\.11\b[^;]*valid=")
        self.assertRegex(self.conf, r"set\s+\$api\s+http://api:8000\s*;")
        proxied = re.findall(r"proxy_pass\s+([^;]+);", self.conf)
        self.assertTrue(proxied)
        self.assertEqual(set(proxied), {"$api"})

    def test_request_id_and_client_address_are_forwarded(self):
        self.assertRegex(self.conf, r"proxy_set_header\s+X-Request-ID\s+\$\w+\s*;")
        self.assertRegex(self.conf,
                         r"proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for\s*;")
        self.assertRegex(self.conf, r"proxy_http_version\s+1\.1\s*;")

    def test_body_limit_matches_the_server_default(self):
        # BODY_LIMIT_BYTES defaults to 8388608 (README.md).
        self.assertRegex(self.conf, r"client_max_body_size\s+8m\s*;")

    def test_metrics_are_not_public(self):
        self.assertRegex(self.location("= /metrics"), r"deny\s+all\s*;")

    def test_event_stream_is_not_buffered(self):
        stream = self.location("= /api/v1/dashboard/stream")
        self.assertRegex(stream, r"proxy_buffering\s+off\s*;")
        self.assertRegex(stream, r"proxy_read_timeout\s+1h\s*;")


class PrometheusConfigTest(unittest.TestCase):
    def test_promtool_accepts_the_config(self):
        promtool = require_tool("promtool")
        result = run([promtool, "check", "config", PROMETHEUS_CONF])
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_every_api_replica_is_scraped(self):
        jobs = [job for job in load_yaml(PROMETHEUS_CONF)["scrape_configs"]
                if any("api" in sd.get("names", []) for sd in job.get("dns_sd_configs", []))]
        self.assertEqual(len(jobs), 1, "one scrape job must discover the api replicas by DNS")
        job = jobs[0]
        self.assertEqual(job.get("metrics_path"), "/metrics")
        self.assertEqual(job.get("scrape_interval"), "5s")
        sd = job["dns_sd_configs"][0]
        self.assertEqual(sd.get("type"), "A")
        self.assertEqual(sd.get("port"), 8000)


class ComposeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.default = compose_config(API_KEYS=TEST_API_KEYS)
        cls.all_profiles = compose_config("production", "monitoring", API_KEYS=TEST_API_KEYS)
        cls.services = (yaml.safe_load(cls.all_profiles.stdout) or {}).get("services", {}) \
            if cls.all_profiles.returncode == 0 else {}

    def service(self, name):
        self.assertIn(name, self.services, self.all_profiles.stderr)
        return self.services[name]

    def test_default_config_loads(self):
        self.assertEqual(self.default.returncode, 0, self.default.stderr)

    def test_config_with_production_and_monitoring_profiles_loads(self):
        self.assertEqual(self.all_profiles.returncode, 0, self.all_profiles.stderr)

    def test_config_refuses_to_load_without_api_keys(self):
        # Authentication must not be off because a variable was forgotten.
        result = compose_config("production")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("API_KEYS", result.stderr)

    def test_services_and_their_profiles(self):
        self.assertEqual(set(self.services),
                         {"postgres", "api", "nginx", "prometheus", "grafana"},
                         self.all_profiles.stderr)
        self.assertNotIn("profiles", self.service("postgres"))
        self.assertNotIn("profiles", self.service("api"))
        self.assertEqual(self.service("nginx").get("profiles"), ["production"])
        self.assertEqual(self.service("prometheus").get("profiles"), ["monitoring"])
        self.assertEqual(self.service("grafana").get("profiles"), ["monitoring"])

    def test_api_waits_for_healthy_postgres(self):
        self.assertEqual(self.service("api").get("depends_on", {}).get("postgres"),
                         {"condition": "service_healthy"})

    def test_postgres_has_healthcheck_and_named_volume(self):
        postgres = self.service("postgres")
        self.assertEqual(postgres.get("image"), "postgres:15")
        self.assertIn("pg_isready", " ".join(postgres.get("healthcheck", {}).get("test", [])))
        volume = next((v for v in postgres.get("volumes", [])
                       if str(v).split(":")[1:2] == ["/var/lib/postgresql/data"]), None)
        self.assertIsNotNone(volume, postgres.get("volumes"))
        name = str(volume).split(":")[0]
        self.assertIn(name, (yaml.safe_load(self.all_profiles.stdout) or {}).get("volumes", {}))

    def test_long_running_services_restart(self):
        for name in ("postgres", "api", "nginx", "prometheus", "grafana"):
            self.assertIn(self.service(name).get("restart"), ("always", "unless-stopped"), name)

    def test_api_runs_with_authentication_on(self):
        env = self.service("api")["environment"]
        self.assertEqual(env.get("ENVIRONMENT"), "production")
        self.assertEqual(str(env.get("AUTH_REQUIRED")).lower(), "true")
        self.assertEqual(env.get("API_KEYS"), TEST_API_KEYS)
        self.assertIn("@postgres:5432/traffic", env.get("DATABASE_URL", ""))

    def test_api_publishes_8000_by_default(self):
        self.assertIn(("", "8000", "8000"), published_ports(self.service("api")))
        self.assertIn(("", "8000", "80"), published_ports(self.service("nginx")))

    def test_api_scales_without_a_fixed_host_port(self):
        # docker/README.md's production command: every replica gets a free loopback port.
        result = compose_config("production", API_KEYS=TEST_API_KEYS, API_PUBLISH="127.0.0.1:")
        self.assertEqual(result.returncode, 0, result.stderr)
        api = yaml.safe_load(result.stdout)["services"]["api"]
        self.assertEqual(published_ports(api), [("127.0.0.1", "", "8000")])

    def test_referenced_files_exist(self):
        api = self.service("api")
        self.assertTrue(os.path.isfile(os.path.join(api["build"]["context"],
                                                    api["build"]["dockerfile"])))
        for name, service in self.services.items():
            for volume in service.get("volumes", []):
                source = str(volume).split(":")[0]
                if source.startswith("/"):                  # a bind mount, not a named volume
                    self.assertTrue(os.path.exists(source), f"{name}: {source}")


class DockerfileTest(unittest.TestCase):
    def setUp(self):
        self.stages = dockerfile_stages()
        self.runtime = self.stages[-1][1]

    def instructions(self, stage, name):
        return [arguments for instruction, arguments in stage if instruction == name]

    def test_build_is_multi_stage(self):
        self.assertGreaterEqual(len(self.stages), 2)
        self.assertTrue(self.stages[0][0].startswith("debian:bookworm "), self.stages[0][0])

    def test_runtime_runs_as_a_non_root_user(self):
        users = self.instructions(self.runtime, "USER")
        self.assertTrue(users, "the final stage has no USER")
        self.assertNotIn(users[-1].split(":")[0], ("root", "0"))

    def test_runtime_has_a_health_check_on_health(self):
        checks = self.instructions(self.runtime, "HEALTHCHECK")
        self.assertEqual(len(checks), 1)
        self.assertIn("/health", checks[0])

    def test_runtime_installs_no_dev_packages_and_no_compiler(self):
        packages = apt_packages(self.runtime)
        self.assertIn("libssl3", packages)
        tools = {"build-essential", "gcc", "g++", "clang", "cmake", "ninja-build", "make",
                 "pkg-config", "nodejs", "npm"}
        self.assertEqual({p for p in packages if p.endswith("-dev") or p in tools}, set())

    def test_build_installs_the_build_packages_of_common_sh(self):
        # libclang-rt-14-dev serves only the fuzzers (scripts/fuzz), which the image does not build.
        wanted = {p for p in common_sh_packages()
                  if (p.endswith("-dev") and p != "libclang-rt-14-dev")
                  or p in ("build-essential", "cmake", "ninja-build", "pkg-config", "googletest")}
        build = set()
        for _, stage in self.stages[:-1]:
            build |= apt_packages(stage)
        self.assertEqual(wanted - build, set())
        self.assertTrue({"nodejs", "npm"} <= build)

    def test_build_installs_the_web_packages(self):
        runs = [r for _, stage in self.stages[:-1] for r in self.instructions(stage, "RUN")]
        self.assertTrue(any(re.search(r"npm ci\b.*--omit=dev.*--prefix web", r) for r in runs),
                        runs)

    def test_runtime_ships_the_web_folder(self):
        self.assertIn("--from=build /src/web /usr/share/traffic-server/web",
                      self.instructions(self.runtime, "COPY"))
        env = " ".join(self.instructions(self.runtime, "ENV"))
        self.assertIn("WEB_DIR=/usr/share/traffic-server/web", env)

    def test_copy_sources_exist(self):
        # Sources are relative to the build context, the repo root (docker-compose.yml).
        for _, stage in self.stages:
            for arguments in self.instructions(stage, "COPY"):
                words = arguments.split()
                if any(w.startswith("--from=") for w in words):
                    continue
                for source in [w for w in words if not w.startswith("--")][:-1]:
                    self.assertTrue(glob.glob(os.path.join(REPO, source)),
                                    f"COPY {source}: not in the repository")

    def test_dockerignore_keeps_local_state_out(self):
        ignored = {line.strip() for line in read(os.path.join(REPO, ".dockerignore")).splitlines()}
        self.assertTrue({".git", "build*/", "var/", "web/node_modules"} <= ignored, ignored)


class GrafanaProvisioningTest(unittest.TestCase):
    def test_datasources_provision_prometheus_and_postgres(self):
        sources = {datasource_kind(d["type"]): d for d in load_yaml(DATASOURCES)["datasources"]}
        self.assertEqual(sources["prometheus"]["url"], "http://prometheus:9090")
        postgres = sources["postgres"]
        self.assertEqual(postgres["url"], "postgres:5432")
        self.assertEqual(postgres["user"], "traffic")
        self.assertEqual(postgres["jsonData"]["database"], "traffic")
        self.assertIn("POSTGRES_PASSWORD", postgres["secureJsonData"]["password"])

    def test_dashboard_provider_reads_the_mounted_folder(self):
        providers = load_yaml(DASHBOARD_PROVIDERS)["providers"]
        self.assertEqual(len(providers), 1)
        path = providers[0]["options"]["path"]
        mounts = load_yaml(COMPOSE_FILE)["services"]["grafana"]["volumes"]
        self.assertIn(f"./grafana/dashboards:{path}:ro", mounts)

    def test_dashboards_are_valid_and_use_provisioned_datasources(self):
        found = dashboards()
        self.assertTrue(found, "no dashboard in docker/grafana/dashboards")
        uids = {d["uid"] for d in load_yaml(DATASOURCES)["datasources"]}
        for name, dashboard in found:
            self.assertTrue(dashboard.get("uid") and dashboard.get("title"), name)
            for panel in panels(dashboard):
                for target in panel.get("targets", []):
                    source = target.get("datasource") or panel.get("datasource")
                    self.assertIn(source.get("uid"), uids, f"{name}: {panel.get('title')}")

    def test_exposition_parser_reads_families_and_histogram_series(self):
        names = queryable_names(AGREED_EXPOSITION)
        self.assertEqual(metric_families(AGREED_EXPOSITION)["traffic_writer_batch_rows"],
                         "histogram")
        self.assertIn("traffic_http_request_duration_seconds_bucket", names)
        self.assertIn("traffic_ingest_rejected_total", names)   # a family with no sample yet
        self.assertNotIn("traffic_database_up_bucket", names)

    def test_promql_parser_finds_metric_names_only(self):
        self.assertEqual(
            promql_metric_names('histogram_quantile(0.99, sum by (le, route) (rate('
                                'traffic_http_request_duration_seconds_bucket{job="x"}[5m])))'
                                ' / on(instance) group_left up offset 5m > 1e-9'),
            {"traffic_http_request_duration_seconds_bucket", "up"})

    def test_dashboard_uses_only_agreed_metric_names(self):
        agreed = queryable_names(AGREED_EXPOSITION)
        used = {name for _, t in panel_targets("prometheus")
                for name in promql_metric_names(t["expr"])}
        self.assertTrue(used)
        self.assertEqual(used - agreed, set())


class LiveServerTest(unittest.TestCase):
    """The dashboard against the real server: its /metrics names, and the PostgreSQL panels
    over a database it filled with tests/fixtures/analytics.ndjson."""

    @classmethod
    def setUpClass(cls):
        cls.database = ts.TestDatabase()
        try:
            cls.server = ts.Server(cls.database.url).start()
            ts.load_fixture(cls.server)
        except BaseException:
            if getattr(cls, "server", None):
                cls.server.stop()
            cls.database.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        os.unlink(cls.server.log.name)
        cls.database.close()

    def test_dashboard_metrics_are_served(self):
        status, _, body = ts.request("GET", self.server.base + "/metrics")
        self.assertEqual(status, 200, body[:300])
        served = queryable_names(body.decode())
        for title, target in panel_targets("prometheus"):
            missing = promql_metric_names(target["expr"]) - served
            self.assertEqual(missing, set(), f"panel {title!r}: {target['expr']}")

    def test_postgres_panels_return_rows(self):
        targets = panel_targets("postgres")
        self.assertTrue(targets, "the dashboard has no PostgreSQL panel")
        for title, target in targets:
            sql = plain_sql(target["rawSql"])
            checks = 'count(*)' + (', count("time")' if target.get("format") == "time_series"
                                   else "")
            try:
                counts = ts.psql(self.database.url, f"SELECT {checks} FROM ({sql}\n) AS panel")
            except subprocess.CalledProcessError as e:
                self.fail(f"panel {title!r}: {e.stderr}\n{sql}")
            for count in counts.split("|"):
                self.assertGreaterEqual(int(count), 1, f"panel {title!r} returns no rows:\n{sql}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
