"""What the scenarios share: the served app (gunicorn, 2 workers), logins, wrk, a small HTTP client."""

import asyncio
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
WORKERS = 2


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """The app under gunicorn, sync workers, persistent database connections, on loopback."""

    def __init__(self, database_url, workers=WORKERS):
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.process = None

    def __enter__(self):
        env = {**os.environ, "DATABASE_URL": self.database_url, "DJANGO_SETTINGS_MODULE": "bench.settings",
               "CONN_MAX_AGE": "600", "DEBUG": "0", "AXES_FAILURE_LIMIT": "1000"}
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--workers", str(self.workers),
             "--bind", f"{HOST}:{self.port}", "--backlog", "2048", "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _h, _b = request(self.port, "GET", "/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    @property
    def base(self):
        return f"http://{HOST}:{self.port}"


def request(port, method, path, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _cookies(headers):
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _eq, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def login(port, username, password):
    """Log in as a browser does: GET the form, POST it with its CSRF token; return the cookies."""
    status, headers, body = request(port, "GET", "/accounts/login/")
    jar = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    status, headers, _body = request(port, "POST", "/accounts/login/", body=form, headers={
        "Cookie": f"csrftoken={jar['csrftoken']}", "Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise RuntimeError(f"login of {username} gave {status}")
    jar.update(_cookies(headers))
    return {"sessionid": jar["sessionid"], "csrftoken": jar["csrftoken"]}


def cookie_header(jar):
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def wrk(url, *, connections, seconds, cookie, paths, threads=1):
    """Run wrk against ``paths`` (cycled) with one session cookie; return its figures.

    Every connection sends its next request as soon as the last is answered: a closed
    loop, each connection a user who never pauses to read (the worst case).
    """
    paths_file = ROOT / "var" / f"bench-paths-{os.getpid()}.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    env = {**os.environ, "BENCH_COOKIE": cookie, "BENCH_PATHS": str(paths_file)}
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-s", str(ROOT / "bench" / "wrk.lua"), url],
            env=env, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        paths_file.unlink(missing_ok=True)
    line = next(line for line in out.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line[len("WRKJSON "):])
    seconds_run = data["duration_us"] / 1e6
    return {
        "connections": connections, "requests": data["requests"],
        "rps": round(data["requests"] / seconds_run, 1),
        "p50_ms": round(data["p50_us"] / 1000, 1), "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1), "max_ms": round(data["max_us"] / 1000, 1),
        "errors": data["errors_status"] + data["errors_socket"],
    }


async def _fire(port, jobs, concurrency, deadline):
    """POST every job (key, path, headers) once, ``concurrency`` at a time; (key, status, seconds) each."""
    queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    results = []

    async def worker():
        while not queue.empty() and time.monotonic() < deadline:
            key, path, headers = queue.get_nowait()
            started = time.perf_counter()
            status = 0
            try:
                reader, writer = await asyncio.open_connection(HOST, port)
                head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                writer.write(f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: 0\r\n"
                             f"Connection: close\r\n{head}\r\n".encode())
                await writer.drain()
                line = await asyncio.wait_for(reader.readline(), 30)
                status = int(line.split()[1]) if line else 0
                await asyncio.wait_for(reader.read(), 30)
                writer.close()
            except (TimeoutError, OSError, ValueError, IndexError):
                status = 0
            results.append((key, status, time.perf_counter() - started))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


def burst(port, jobs, *, concurrency, limit_seconds=300):
    """Send the jobs as fast as ``concurrency`` clients can; figures and the client's own CPU time."""
    cpu = time.process_time()
    started = time.perf_counter()
    results = asyncio.run(_fire(port, jobs, concurrency, time.monotonic() + limit_seconds))
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    latencies = sorted(r[2] for r in results)
    return {
        "requests": len(results), "seconds": round(wall, 2), "rps": round(len(results) / wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1), "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "statuses": dict(sorted(_count(r[1] for r in results).items())),
        "client_cpu_share": round(cpu / wall / os.cpu_count(), 3),
    }, results


def _count(values):
    counts = {}
    for v in values:
        counts[str(v)] = counts.get(str(v), 0) + 1
    return counts


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def timed(fn, repeat):
    """Seconds of each of ``repeat`` calls of fn()."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def summary_ms(seconds):
    s = sorted(seconds)
    return {"p50_ms": round(percentile(s, 50) * 1000, 1), "p95_ms": round(percentile(s, 95) * 1000, 1),
            "mean_ms": round(statistics.fmean(s) * 1000, 1), "n": len(s)}
