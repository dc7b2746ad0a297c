"""The hostile input corpus (tests/hostile/, see its README.md) against the real server.

Every case is sent byte for byte over a raw socket, with a 5 s limit (a timeout is a hang).
The promise under test: bad input gets the expected 4xx in the one error shape
({"error":{"code","message","details"},"request_id"}, request_id equal to the X-Request-ID
header); never a 5xx, a crash or a hang; and the database is unchanged (row count and md5 of
every table), the server still answers /health 200 with the same PID afterwards. Then the
"accepted" section stores the hostile-looking input the rules allow (ids such as "..", "_",
"--", SQL text as a scenario) and checks it is stored verbatim and nothing else changed; the
"auth" section runs against a second server with AUTH_REQUIRED=true and checks that bad input
to protected routes is refused with 401/403 before its body is looked at.

Cases marked "known_bug" in the corpus are findings in files this corpus may not fix; they
are reported (and fail the run only with HOSTILE_STRICT=1), and a known bug that starts
passing is reported too, so its mark can go.
"""

import collections
import json
import os
import re
import socket
import threading
import time
import unittest
import urllib.parse

import traffic_support as ts

HOSTILE_DIR = os.path.join(ts.REPO_ROOT, "tests", "hostile")
# A sanitizer build of the server is slower: its time limits are widened by this factor.
CASE_TIMEOUT = 5.0 * ts.SANITIZER_SLOWDOWN
TABLES = ["simulations", "performance_metrics", "signal_states", "snapshot_minutes",
          "direction_totals", "vehicle_class_totals"]
KEYS = {"KEY_READ": "hostile-read-key-0123456789", "KEY_INGEST": "hostile-ingest-key-0123456789",
        "KEY_ADMIN": "hostile-admin-key-0123456789", "KEY_UNKNOWN": "not-a-configured-key-0123456789"}


# ---------------------------------------------------------------------------------------------
# Building bytes from the corpus' value specs

def latin1(text):
    """Corpus strings are bytes written as latin-1: U+0000..U+00FF stand for one byte each."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as err:
        raise ValueError(f"corpus text holds a character above U+00FF: {text!r}") from err


BASE_SNAPSHOT = None


def base_snapshot():
    global BASE_SNAPSHOT
    if BASE_SNAPSHOT is None:
        with open(os.path.join(HOSTILE_DIR, "base_snapshot.json")) as f:
            BASE_SNAPSHOT = json.load(f)
    return json.loads(json.dumps(BASE_SNAPSHOT))


def walk(doc, path):
    """Returns (container, key) of dotted `path` ("signals.0.vehicle_counts.car")."""
    parts = path.split(".")
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    return node, (int(last) if isinstance(node, list) else last)


def snapshot_text(patch):
    """The base snapshot as compact JSON with `patch` applied: set (dotted path -> raw JSON
    value spec), delete (dotted paths), prepend/append (raw members added first or last)."""
    doc = base_snapshot()
    raws = {}
    for i, (path, spec) in enumerate(sorted((patch.get("set") or {}).items())):
        node, key = walk(doc, path)
        marker = f"@@RAW{i}@@"
        node[key] = marker
        raws[json.dumps(marker)] = raw_bytes(spec)
    for path in patch.get("delete") or []:
        node, key = walk(doc, path)
        del node[key]
    text = json.dumps(doc, separators=(",", ":")).encode()
    for marker, raw in raws.items():
        text = text.replace(marker.encode(), raw)
    if "prepend" in patch:
        text = b"{" + raw_bytes(patch["prepend"]) + b"," + text[1:]
    if "append" in patch:
        text = text[:-1] + b"," + raw_bytes(patch["append"]) + b"}"
    return text


def raw_bytes(spec):
    """Turns a value spec into bytes: a string (latin-1), or one of
    {"snapshot": patch}, {"concat": [specs]}, {"repeat": spec, "count": n, "sep", "head",
    "tail"}, {"nest": depth, "open", "close", "inner"}, {"numbered": "text with {i}",
    "count": n, "sep", "head", "tail"}, {"json": any JSON value, dumped compactly}."""
    if isinstance(spec, str):
        return latin1(spec)
    if "snapshot" in spec:
        return snapshot_text(spec["snapshot"])
    if "concat" in spec:
        return b"".join(raw_bytes(s) for s in spec["concat"])
    if "repeat" in spec:
        item = raw_bytes(spec["repeat"])
        return (raw_bytes(spec.get("head", "")) + raw_bytes(spec.get("sep", "")).join(
            [item] * spec["count"]) + raw_bytes(spec.get("tail", "")))
    if "numbered" in spec:
        items = [latin1(spec["numbered"].replace("{i}", str(i))) for i in range(spec["count"])]
        return (raw_bytes(spec.get("head", "")) + raw_bytes(spec.get("sep", "")).join(items) +
                raw_bytes(spec.get("tail", "")))
    if "nest" in spec:
        depth = spec["nest"]
        return (raw_bytes(spec.get("open", "[")) * depth + raw_bytes(spec.get("inner", "")) +
                raw_bytes(spec.get("close", "]")) * depth)
    if "json" in spec:
        return json.dumps(spec["json"], separators=(",", ":")).encode()
    raise ValueError(f"unknown value spec {spec!r}")


def substitute(data, rid_of):
    """Replaces {RID}, {RID1}.. and the key placeholders in built bytes."""
    for name, value in KEYS.items():
        data = data.replace(("{" + name + "}").encode(), value.encode())
    return re.sub(rb"\{RID(\d*)\}", lambda m: rid_of(int(m.group(1) or 0)).encode(), data)


def build_one(req, rid):
    """Returns the bytes of one request spec and the X-Request-ID it carries (or None)."""
    if "raw" in req:
        return raw_bytes(req["raw"]), None
    body = raw_bytes(req["body"]) if req.get("body") is not None else None
    method = req.get("method", "POST" if body is not None else "GET")
    headers = []
    if not req.get("no_host"):
        headers.append(("Host", "127.0.0.1"))
    sent_rid = None
    if not req.get("no_request_id"):
        sent_rid = rid
        headers.append(("X-Request-ID", rid))
    if req.get("content_type") is not None:
        headers.append(("Content-Type", req["content_type"]))
    chunked = req.get("chunked")
    if chunked:
        headers.append(("Transfer-Encoding", "chunked"))
    elif "content_length" in req:
        if req["content_length"] is not None:
            headers.append(("Content-Length", str(req["content_length"])))
    elif body is not None or method in ("POST", "PUT"):
        headers.append(("Content-Length", str(len(body or b""))))
    for name, value in req.get("headers", []):
        headers.append((name, value))
    head = (latin1(method) + b" " + raw_bytes(req.get("target", "/")) + b" " +
            latin1(req.get("version", "HTTP/1.1")) + b"\r\n")
    data = head + b"".join(raw_bytes(n) + b": " + raw_bytes(v) + b"\r\n"
                           for n, v in headers) + b"\r\n"
    if body is not None:
        if chunked:
            size = chunked if isinstance(chunked, int) and chunked > 1 else max(len(body), 1)
            for i in range(0, len(body), size):
                piece = body[i:i + size]
                data += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            data += b"0\r\n\r\n"
        else:
            data += body
    if "extra" in req:
        data += raw_bytes(req["extra"])
    return data, sent_rid


# ---------------------------------------------------------------------------------------------
# The corpus: files, defaults and generators

def path_text(dotted):
    """signals.0.vehicle_counts.car -> signals[0].vehicle_counts.car (the server's paths)."""
    out = ""
    for part in dotted.split("."):
        if part.isdigit():
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def gen_truncations(spec):
    """Every prefix (every `step`-th length) of a valid document: none is valid JSON."""
    full = raw_bytes(spec["of"])
    step = spec.get("step", 1)
    # "from_after": only prefixes that go past the first occurrence of that text (and one byte
    # further), e.g. past the first NDJSON line, which is valid on its own.
    first = full.index(latin1(spec["from_after"])) + len(spec["from_after"]) + 1 \
        if "from_after" in spec else 0
    cases = []
    for n in range(first, len(full), step):
        case = {k: v for k, v in spec.items()
                if k not in ("generate", "of", "step", "name", "from_after")}
        case["name"] = f"{spec['name']}_{n:04d}"
        case["body"] = {"concat": [full[:n].decode("latin-1")]}
        cases.append(case)
    return cases


def gen_field_values(spec):
    """One case per (field, value): the base snapshot with the field set to the raw value."""
    cases = []
    for field, values in spec["fields"].items():
        for i, value in enumerate(values):
            case = {k: v for k, v in spec.items()
                    if k not in ("generate", "fields", "name", "within")}
            case["name"] = f"{spec['name']}_{field}_{i}"
            patch = {"set": {field: value}}
            case["body"] = wrap(spec, {"snapshot": patch})
            if "detail_path" not in spec:
                case["detail_path"] = prefix_detail(spec, path_text(field))
            case["note"] = f"{field} = {value if isinstance(value, str) else 'generated'}"
            cases.append(case)
    return cases


def gen_missing(spec):
    cases = []
    for field in spec["fields"]:
        case = {k: v for k, v in spec.items() if k not in ("generate", "fields", "name", "within")}
        case["name"] = f"{spec['name']}_{field}"
        case["body"] = wrap(spec, {"snapshot": {"delete": [field]}})
        case["detail_path"] = prefix_detail(spec, path_text(field))
        cases.append(case)
    return cases


def wrap(spec, body):
    """A snapshot body as is, as the only item of a JSON array, or as NDJSON line 1."""
    within = spec.get("within", "single")
    if within == "batch":
        return {"concat": ["[", body, "]"]}
    if within == "ndjson":
        return {"concat": [body, "\n"]}
    return body


def prefix_detail(spec, path):
    return "[0]." + path if spec.get("within") in ("batch", "ndjson") else path


def gen_timestamps(spec):
    """Each text as a snapshot's timestamp (expect_snapshot) and as `from` (expect_query)."""
    cases = []
    for i, text in enumerate(spec["values"]):
        quoted = json.dumps(text)
        if "expect_snapshot" in spec:
            cases.append({"name": f"{spec['name']}_body_{i}", "category": spec["category"],
                          "method": "POST", "target": "/api/v1/ingest/simulation",
                          "content_type": "application/json",
                          "body": {"snapshot": {"set": {"timestamp": quoted}}},
                          "expect": spec["expect_snapshot"], "detail_path": "timestamp",
                          "note": f"timestamp {text!r}"})
        if "expect_query" in spec:
            encoded = urllib.parse.quote(text.encode(), safe="-_.:")
            case = {"name": f"{spec['name']}_from_{i}", "category": spec["category"],
                    "method": "GET", "target": "/api/v1/analytics/wait-times?from=" + encoded,
                    "expect": spec["expect_query"], "note": f"from={text!r}"}
            if spec["expect_query"] == 400:
                case["detail_path"] = "from"
            cases.append(case)
    return cases


def gen_strings_in(spec):
    """Each raw string content (between the quotes) in each of the named string fields."""
    cases = []
    for field in spec["fields"]:
        for i, content in enumerate(spec["values"]):
            case = {k: v for k, v in spec.items()
                    if k not in ("generate", "fields", "values", "name", "detail")}
            case["name"] = f"{spec['name']}_{field}_{i}"
            case["body"] = {"snapshot": {"set": {field: {"concat": ['"', content, '"']}}}}
            if spec.get("detail"):
                case["detail_path"] = path_text(field)
            case["note"] = f"{field} = \"{content}\""
            cases.append(case)
    return cases


def gen_methods(spec):
    cases = []
    for i, method in enumerate(spec["methods"]):
        for target in spec["targets"]:
            case = {k: v for k, v in spec.items() if k not in ("generate", "methods", "targets",
                                                               "name")}
            case["name"] = f"{spec['name']}_{i}_{target.strip('/').replace('/', '_') or 'root'}"
            case["raw"] = f"{method} {target} HTTP/1.1\r\nHost: x\r\nX-Request-ID: {{RID}}\r\n\r\n"
            case["note"] = f"method {method!r}"
            cases.append(case)
    return cases


GENERATORS = {"truncations": gen_truncations, "field_values": gen_field_values,
              "missing_fields": gen_missing, "timestamps": gen_timestamps,
              "strings_in": gen_strings_in, "methods": gen_methods}


def load_corpus():
    """Returns every case of tests/hostile/*.jsonl, expanded, in file order."""
    cases = []
    for file in sorted(f for f in os.listdir(HOSTILE_DIR) if f.endswith(".jsonl")):
        defaults = {}
        with open(os.path.join(HOSTILE_DIR, file), encoding="utf-8") as f:
            lines = list(enumerate(f, 1))
        pending, start = "", 0
        for number, line in lines:
            line = line.strip()
            if not pending and (not line or line.startswith("#")):
                continue
            # An entry may go on over several lines: it ends where its JSON is complete.
            if not pending:
                start = number
            pending += line + "\n"
            try:
                entry = json.loads(pending)
            except ValueError as err:
                if number == len(lines):
                    raise ValueError(f"{file}:{start}: {err}") from err
                continue
            pending = ""
            if "defaults" in entry:
                defaults = dict(entry["defaults"])
                continue
            entry = {**defaults, **entry}
            entry["source"] = f"{file}:{start}"
            if "generate" in entry:
                for case in GENERATORS[entry["generate"]](entry):
                    case["source"] = entry["source"]
                    cases.append(case)
            else:
                cases.append(entry)
    names = collections.Counter(c["name"] for c in cases)
    repeated = [n for n, k in names.items() if k > 1]
    if repeated:
        raise ValueError(f"case names used twice: {repeated[:5]}")
    return cases


# ---------------------------------------------------------------------------------------------
# The raw client

class Hang(Exception):
    pass


def parse_head(head):
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise ValueError(f"bad status line {lines[0][:80]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    return parts[0].decode(), int(parts[1]), headers


def exchange(port, data, responses_wanted, half_close, head_requests=(), timeout=CASE_TIMEOUT,
             wait_close=False):
    """Sends `data` on a new connection (from a thread, so a server that answers before reading
    everything is still heard) and reads up to `responses_wanted` answers. Returns (answers,
    closed, interim): each answer (version, status, headers, body)."""
    deadline = time.monotonic() + timeout
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    send_error = []

    def send():
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError as err:
            send_error.append(err)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    buf = b""
    closed = False
    answers, interim = [], []

    def fill():
        nonlocal buf, closed
        left = deadline - time.monotonic()
        if left <= 0:
            raise Hang()
        sock.settimeout(left)
        try:
            chunk = sock.recv(1 << 16)
        except socket.timeout as err:
            raise Hang() from err
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            closed = True
        buf += chunk
        return bool(chunk)

    try:
        while len(answers) < responses_wanted:
            while b"\r\n\r\n" not in buf:
                if closed or not fill():
                    return answers, True, interim
            head, _, buf = buf.partition(b"\r\n\r\n")
            version, status, headers = parse_head(head)
            if 100 <= status < 200:
                interim.append(status)
                continue
            if len(answers) < len(head_requests) and head_requests[len(answers)]:
                body = b""
            elif "content-length" in headers:
                length = int(headers["content-length"])
                while len(buf) < length:
                    if closed or not fill():
                        break
                body, buf = buf[:length], buf[length:]
            else:
                while not closed:
                    fill()
                body, buf = buf, b""
            answers.append((version, status, headers, body))
        if wait_close:
            # The server should close now: anything further is an answer too many.
            while not closed:
                try:
                    fill()
                except Hang:
                    break
            if buf:
                answers.append(("?", 0, {}, buf))
        return answers, closed, interim
    finally:
        sock.close()
        sender.join(1)


# ---------------------------------------------------------------------------------------------
# Checking answers

def status_matches(expect, status):
    if isinstance(expect, list):
        return any(status_matches(e, status) for e in expect)
    if expect == "4xx":
        return 400 <= status < 500
    if expect == "2xx":
        return 200 <= status < 300
    return status == expect


def dig(doc, dotted):
    for part in dotted.split("."):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def check_answer(case, expect, answer, sent_rid, problems):
    version, status, headers, body = answer
    if status >= 500:
        problems.append(f"5xx: {status} {body[:200]!r}")
    if not status_matches(expect, status):
        problems.append(f"status {status}, expected {expect}: {body[:300]!r}")
    rid = headers.get("x-request-id")
    if not rid:
        problems.append("no X-Request-ID header")
    elif case.get("rid_pattern") and not re.search(case["rid_pattern"], rid):
        problems.append(f"X-Request-ID {rid!r} does not match {case['rid_pattern']}")
    if case.get("expect_version") and version != case["expect_version"]:
        problems.append(f"status line version {version}, expected {case['expect_version']}")
    elif sent_rid and case.get("echo_request_id", True) and rid != sent_rid:
        problems.append(f"X-Request-ID {rid!r}, sent {sent_rid!r}")
    if status >= 400:
        check_error_shape(case, status, headers, body, rid, problems)
    elif case.get("json") is not None or case.get("json_len") is not None:
        try:
            doc = json.loads(body)
        except ValueError:
            problems.append(f"answer is not JSON: {body[:200]!r}")
            return
        for path, value in (case.get("json") or {}).items():
            try:
                got = dig(doc, path)
            except (KeyError, IndexError, TypeError):
                got = "<missing>"
            if got != value:
                problems.append(f"{path} = {got!r}, expected {value!r}")
        for path, n in (case.get("json_len") or {}).items():
            got = len(dig(doc, path))
            if got != n:
                problems.append(f"len({path}) = {got}, expected {n}")
    if status == 405 and "allow" not in headers:
        problems.append("405 without Allow")
    if status == 401 and "www-authenticate" not in headers:
        problems.append("401 without WWW-Authenticate")


def check_error_shape(case, status, headers, body, rid, problems):
    if not headers.get("content-type", "").startswith("application/json"):
        problems.append(f"error content type {headers.get('content-type')!r}")
    try:
        doc = json.loads(body)
    except ValueError:
        problems.append(f"error body is not JSON: {body[:200]!r}")
        return
    if not isinstance(doc, dict) or set(doc) != {"error", "request_id"}:
        problems.append(f"error body keys {sorted(doc) if isinstance(doc, dict) else doc!r}")
        return
    error = doc["error"]
    if not isinstance(error, dict) or set(error) != {"code", "message", "details"}:
        problems.append(f"error keys {sorted(error) if isinstance(error, dict) else error!r}")
        return
    if not (isinstance(error["code"], str) and error["code"]):
        problems.append("error.code is not a non-empty string")
    if not (isinstance(error["message"], str) and error["message"]):
        problems.append("error.message is not a non-empty string")
    details = error["details"]
    if not isinstance(details, list) or not all(
            isinstance(d, dict) and isinstance(d.get("path"), str) and
            isinstance(d.get("message"), str) for d in details):
        problems.append("error.details is not a list of {path, message}")
        details = []
    if doc["request_id"] != rid:
        problems.append(f"request_id {doc['request_id']!r} != X-Request-ID {rid!r}")
    if case.get("code") and error["code"] != case["code"]:
        problems.append(f"error.code {error['code']!r}, expected {case['code']!r}")
    if case.get("detail_path") and case["detail_path"] not in [d["path"] for d in details]:
        problems.append(f"no detail names {case['detail_path']!r}: "
                        f"{[d['path'] for d in details][:8]}")


def run_case(port, case, number):
    """Sends one case; returns (problems, seconds)."""
    requests = case.get("pipeline") or [case]
    base_rid = f"hostile-{number}"
    rid_of = lambda k: f"{base_rid}-{k}" if k else base_rid  # noqa: E731
    data, sent = b"", []
    for k, req in enumerate(requests):
        one, rid = build_one(req, rid_of(k))
        placeholder = "{RID" + (str(k) if k else "") + "}"
        if rid is None and "raw" in req and placeholder in json.dumps(req["raw"]):
            rid = rid_of(k)
        data += one
        sent.append(rid)
    data = substitute(data, rid_of)
    expects = case.get("responses") or [case.get("expect")]
    heads = [r.get("method") == "HEAD" or ("raw" in r and str(r["raw"]).startswith("HEAD "))
             for r in requests]
    problems = []
    started = time.monotonic()
    try:
        answers, closed, interim = exchange(
            port, data, 0 if expects == ["close"] else len(expects),
            case.get("half_close", False), heads,
            wait_close=expects == ["close"] or case.get("then_closed", False))
    except Hang:
        return ["hang: no complete answer within %.0f s" % CASE_TIMEOUT], CASE_TIMEOUT
    except (OSError, ValueError) as err:
        return [f"client error: {err}"], time.monotonic() - started
    seconds = time.monotonic() - started
    if expects == ["close"]:
        if answers:
            problems.append(f"expected the connection closed unanswered, got {answers[0][3][:80]!r}")
        return problems, seconds
    if case.get("then_closed") and not closed:
        problems.append("the connection stayed open after the last answer")
    if len(answers) > len(expects):
        problems.append(f"bytes after the last expected answer: {answers[-1][3][:120]!r}")
        answers = answers[:len(expects)]
    if len(answers) < len(expects):
        problems.append(f"connection closed after {len(answers)} of {len(expects)} answers"
                        " without an answer")
    for k, answer in enumerate(answers):
        sub = dict(case, **({} if k == 0 else {"json": None, "json_len": None}))
        if len(expects) > 1:
            sub = {k2: v for k2, v in sub.items() if k2 not in ("detail_path", "code")}
        check_answer(sub, expects[k], answer, sent[k] if k < len(sent) else None, problems)
    if case.get("expect_interim") and interim != case["expect_interim"]:
        problems.append(f"interim answers {interim}, expected {case['expect_interim']}")
    max_seconds = case.get("max_seconds", 0) * ts.SANITIZER_SLOWDOWN
    if max_seconds and seconds > max_seconds:
        problems.append(f"took {seconds:.2f} s, more than {max_seconds} s")
    return problems, seconds


# ---------------------------------------------------------------------------------------------
# The database

def db_state(url, exclude_ids=()):
    """Returns table -> "rows:md5" over every row, leaving out the runs in `exclude_ids`."""
    state = {}
    excluded = ",".join("'" + i.replace("'", "''") + "'" for i in exclude_ids)
    for table in TABLES:
        column = "id" if table == "simulations" else "simulation_id"
        where = f"WHERE x.{column} NOT IN ({excluded})" if excluded else ""
        state[table] = ts.psql(
            url, f"SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' "
                 f"ORDER BY x::text)), '-') FROM {table} x {where}")
    return state


def simulation_ids(url):
    out = ts.psql(url, "SELECT coalesce(string_agg(encode(convert_to(id, 'UTF8'), 'hex'), ','"
                       " ORDER BY id), '') FROM simulations")
    return {bytes.fromhex(h).decode() for h in out.split(",") if h}


# ---------------------------------------------------------------------------------------------
# Running sections and reporting

class Tally:
    def __init__(self):
        self.results = []  # (section, case, problems, seconds)

    def add(self, section, case, problems, seconds):
        self.results.append((section, case, problems, seconds))

    def failures(self, strict):
        return [(s, c, p) for s, c, p, _ in self.results
                if p and (strict or not c.get("known_bug"))]

    def report(self):
        out = []
        by_section = collections.Counter(s for s, *_ in self.results)
        out.append(f"hostile corpus: {len(self.results)} cases run "
                   f"({', '.join(f'{s}: {n}' for s, n in sorted(by_section.items()))})")
        by_category = collections.Counter(c.get("category", "?") for _, c, _, _ in self.results)
        out.append("by category: " + ", ".join(f"{k} {n}" for k, n in sorted(by_category.items())))
        by_expect = collections.Counter(
            "/".join(str(e) for e in (c.get("responses") or [c.get("expect")]))
            for _, c, _, _ in self.results)
        out.append("by expected status: " + ", ".join(
            f"{k} {n}" for k, n in sorted(by_expect.items(), key=lambda kv: str(kv[0]))))
        slowest = max(self.results, key=lambda r: r[3])
        out.append(f"slowest case: {slowest[1]['name']} {slowest[3]:.3f} s")
        known = [(s, c, p) for s, c, p, _ in self.results if c.get("known_bug")]
        for s, c, p in known:
            state = "still fails" if p else "NOW PASSES (remove its known_bug mark)"
            out.append(f"  known bug [{s}] {c['name']} ({c['source']}): {state}: {c['known_bug']}"
                       + (f" -- {p[0]}" if p else ""))
        failed = [(s, c, p) for s, c, p, _ in self.results if p and not c.get("known_bug")]
        out.append(f"failures: {len(failed)}")
        for s, c, p in failed:
            out.append(f"  FAIL [{s}] {c['name']} ({c['source']}"
                       + (f"; {c['note']}" if c.get("note") else "") + "): " + "; ".join(p))
        return "\n".join(out)


VERBOSE = os.environ.get("HOSTILE_VERBOSE") == "1"


def health_answers(server):
    try:
        answers, _, _ = exchange(server.port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 1,
                                 False, timeout=2)
        return bool(answers) and answers[0][1] == 200
    except (Hang, OSError, ValueError):
        return False


def note(section, case, problems, seconds):
    if problems or VERBOSE:
        state = ("known bug: " if case.get("known_bug") else "FAIL: ") + "; ".join(problems) \
            if problems else "ok"
        print(f"  [{section}] {case['name']} {seconds:.3f} s {state}"[:400], flush=True)


def run_section(tally, section, server, cases, start_number):
    for i, case in enumerate(cases):
        problems, seconds = run_case(server.port, case, start_number + i)
        tally.add(section, case, problems, seconds)
        note(section, case, problems, seconds)
        if server.process.poll() is not None:
            problems.append(f"the server died (exit {server.process.returncode})")
            raise AssertionError(f"server died at case {case['name']}:\n"
                                 + server.read_log()[-3000:])
        # A hang may be one stuck connection or a stuck server: stop at the second kind,
        # since every later case would only time out too.
        if problems and problems[0].startswith("hang") and not health_answers(server):
            raise AssertionError(f"the server stopped answering /health after case "
                                 f"{case['name']} ({case['source']})")


def run_checks(server, db_url, case, problems):
    """The follow-up checks of an accepted case: GETs and SQL equalities."""
    for check in case.get("checks", []):
        if "get" in check:
            sub = {"name": case["name"], "json": check.get("json"), "json_len": check.get("json_len")}
            data, _ = build_one({"target": check["get"], "no_request_id": True}, "")
            try:
                answers, _, _ = exchange(server.port, data, 1, False)
            except Hang:
                problems.append(f"check GET {check['get']}: hang")
                continue
            if not answers:
                problems.append(f"check GET {check['get']}: no answer")
                continue
            check_answer(sub, check.get("expect", 200), answers[0], None, problems)
        if "sql" in check:
            got = ts.psql(db_url, check["sql"])
            if got != check["equals"]:
                problems.append(f"SQL {check['sql']!r} gave {got!r}, expected {check['equals']!r}")


STRICT = os.environ.get("HOSTILE_STRICT") == "1"


class HostileCorpusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cases = load_corpus()
        cls.tally = Tally()

    @classmethod
    def tearDownClass(cls):
        print("\n" + cls.tally.report(), flush=True)

    def section(self, name):
        return [c for c in self.cases if c.get("section", "hostile") == name]

    def test_1_hostile_input_changes_nothing(self):
        cases = self.section("hostile")
        self.assertGreaterEqual(len(cases), 300)
        with ts.TestDatabase() as db, ts.Server(db.url) as server:
            ts.load_fixture(server)
            pid = server.process.pid
            before = db_state(db.url)
            started = time.monotonic()
            run_section(self.tally, "hostile", server, cases, 0)
            print(f"\nhostile section: {len(cases)} cases in {time.monotonic() - started:.1f} s",
                  flush=True)
            status, _, body = ts.request("GET", server.base + "/health", timeout=5)
            self.assertEqual(status, 200, body)
            self.assertIsNone(server.process.poll())
            self.assertEqual(server.process.pid, pid)
            self.assertEqual(db_state(db.url), before, "the hostile corpus changed the database")

            # Accepted: valid requests that look hostile; stored verbatim, nothing else touched.
            accepted = self.section("accepted")
            old_ids = simulation_ids(db.url)
            stored = {i for c in accepted for i in c.get("stores", [])}
            before_rest = db_state(db.url, stored)
            for i, case in enumerate(accepted):
                problems, seconds = run_case(server.port, case, 10000 + i)
                if not problems:
                    run_checks(server, db.url, case, problems)
                self.tally.add("accepted", case, problems, seconds)
                note("accepted", case, problems, seconds)
            self.assertIsNone(server.process.poll(), "the server died in the accepted section")
            self.assertEqual(simulation_ids(db.url) - old_ids, stored,
                             "the runs stored are not exactly those the accepted cases name")
            self.assertEqual(db_state(db.url, stored), before_rest,
                             "the accepted section changed rows of other runs")
        failures = self.tally.failures(STRICT)
        self.assertFalse(failures, "\n".join(f"{c['name']}: {'; '.join(p)}"
                                             for _, c, p in failures[:40]))

    def test_2_auth_refuses_before_parsing(self):
        cases = self.section("auth")
        env = {"AUTH_REQUIRED": "true", "ADMIN_TOKEN": KEYS["KEY_ADMIN"],
               "API_KEYS": f"reader:read:{KEYS['KEY_READ']},sim:ingest:{KEYS['KEY_INGEST']}"}
        with ts.TestDatabase() as db, ts.Server(db.url, env) as server:
            ts.load_fixture(server, {"Authorization": "Bearer " + KEYS["KEY_INGEST"]})
            before = db_state(db.url)
            run_section(self.tally, "auth", server, cases, 20000)
            self.assertEqual(db_state(db.url), before, "the auth cases changed the database")
        failures = [f for f in self.tally.failures(STRICT) if f[0] == "auth"]
        self.assertFalse(failures, "\n".join(f"{c['name']}: {'; '.join(p)}"
                                             for _, c, p in failures[:40]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
