"""The documented deployment (deploy/: nginx in front of gunicorn's sync workers) keeps answering
while slow clients dribble request bodies one byte at a time, and refuses oversized bodies with a
friendly 413. Real processes on free loopback ports, started from the shipped files."""
import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SLOW_CLIENTS = 6            # three times gunicorn's workers below: alone, they would hold them all
WORKERS = 2
HEALTH_CHECKS = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.access(found, os.X_OK), "nginx is not installed (Debian package nginx-light)"
    return found


def get(port: int, path: str, timeout: float = 20):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(port: int, processes) -> None:
    """Poll /healthz until it answers; fail at once if a process died (bounded attempts)."""
    for _ in range(300):
        for proc in processes:
            assert proc.poll() is None, f"{proc.args} exited with {proc.returncode}"
        try:
            if get(port, "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        threading.Event().wait(0.1)
    raise AssertionError("the site did not come up")


@contextmanager
def running(args, log: Path, **kwargs):
    """A process for the duration of the block; its output goes to `log` (a pipe could fill up)."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, **kwargs)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, database_url):
    """gunicorn from deploy/gunicorn.conf.py and nginx from deploy/nginx.conf.template."""
    app_port, proxy_port = free_port(), free_port()
    env = {**os.environ, "MENTORMATCH_ENV": "test", "SECRET_KEY": "slow-client-test", "DATABASE_URL": database_url,
           "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": str(WORKERS),
           "GUNICORN_ACCESS_LOG": "/dev/null", "MAIL_BACKEND": "locmem"}
    env.pop("REDIS_URL", None)
    prefix = tmp_path_factory.mktemp("nginx")
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir()
    conf = (DEPLOY / "nginx.conf.template").read_text()
    conf = conf.replace("${LISTEN_PORT}", str(proxy_port)).replace("${UPSTREAM_PORT}", str(app_port))
    assert "${" not in conf
    (prefix / "nginx.conf").write_text(conf)
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), "app:app"]
    nginx = [nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr",
             "-g", "daemon off;"]
    with running(gunicorn, prefix / "gunicorn.log", cwd=ROOT, env=env) as app_proc, \
            running(nginx, prefix / "nginx.log") as proxy_proc:
        wait_until_up(proxy_port, [app_proc, proxy_proc])
        yield proxy_port


class SlowClient(threading.Thread):
    """Sends a form POST's headers, then its body one byte at a time until told to stop."""

    def __init__(self, port: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.stop, self.sent, self.error = port, stop, 0, None
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)

    def run(self):
        try:
            self.sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n")
            while not self.stop.wait(0.25) and self.sent < 100000:
                self.sock.sendall(b"a")
                self.sent += 1
        except OSError as error:
            self.error = error
        finally:
            self.sock.close()


def test_health_answers_through_the_proxy_while_slow_clients_dribble_bodies(deployment):
    stop = threading.Event()
    clients = [SlowClient(deployment, stop) for _ in range(SLOW_CLIENTS)]
    for client in clients:
        client.start()
    try:
        answers = []
        for _ in range(HEALTH_CHECKS):
            # Each slow client has sent a byte since the previous check: they are all still connected.
            before = [c.sent for c in clients]
            answers.append(get(deployment, "/healthz"))
            while any(c.sent == b and c.error is None for c, b in zip(clients, before)):
                threading.Event().wait(0.05)
            assert all(c.error is None and c.is_alive() for c in clients), [c.error for c in clients]
        assert all(status == 200 and b'"database":"ok"' in body.replace(b" ", b"") for status, body in answers)
        assert get(deployment, "/auth/login")[0] == 200  # pages, not only the probe
    finally:
        stop.set()
        for client in clients:
            client.join()
    assert min(c.sent for c in clients) >= HEALTH_CHECKS


def test_an_oversized_body_gets_a_friendly_413_from_the_proxy(deployment):
    conn = http.client.HTTPConnection("127.0.0.1", deployment, timeout=20)
    try:
        conn.putrequest("POST", "/auth/login")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(17 * 2**20))
        conn.endheaders()
        response = conn.getresponse()
        assert response.status == 413 and b"larger than 16 MiB" in response.read()
    finally:
        conn.close()


def test_the_app_limits_bodies_to_16_mib_by_default(monkeypatch):
    from mentormatch import config

    monkeypatch.delenv("MAX_CONTENT_LENGTH", raising=False)
    assert config.from_env()["MAX_CONTENT_LENGTH"] == 16 * 2**20
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "1000")
    assert config.from_env()["MAX_CONTENT_LENGTH"] == 1000


@pytest.mark.parametrize("app", [{"MAX_CONTENT_LENGTH": 4096}], indirect=True)
def test_a_body_above_max_content_length_gets_the_friendly_413_page(client):
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"csrf_token": token, "email": "a@example.org",
                                                "password": "x" * 5000})
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and "Upload too large" in html and "larger than 4,096 bytes" in html
