"""`minsheng serve` as an installation runs it: debug off, its own secret key, static files by WhiteNoise, a real
login — and behind the real nginx (TLS terminated there) with `MINSHENG_BEHIND_PROXY=1`.

These start real processes (the server, nginx) on free ports with a fresh var dir, so they run in the SQLite pass
only (the database does not matter to them).
"""

import http.cookiejar
import os
import re
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from minsheng.testing.fixtures import IN_CI

pytestmark = pytest.mark.fuzz  # whole-process tests: once per run, in the SQLite pass

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "Serve-test-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the process ended early: {process.stdout.read() if process.stdout else ''}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port} after {seconds} s")


def base_env(var_dir: Path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTEST_VERSION", "DATABASE_URL", "MINSHENG_DEBUG", "MINSHENG_SECRET_KEY"}
        and not k.startswith("MINSHENG_")
    }
    env.update({"MINSHENG_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT), **extra})
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A fresh installation: migrated, the test personas' 街道 and accounts."""
    var_dir = tmp_path_factory.mktemp("var")
    env = base_env(var_dir)
    manage(env, "migrate", "--noinput", "-v0")
    manage(
        env,
        "shell",
        "-c",
        f"from minsheng.testing.world import build_world; build_world('{PASSWORD}')",
    )
    return var_dir


def serve(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port), "--threads", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for(port, process)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(*handlers):
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect, *handlers), jar


def fetch(browser, url: str, data: dict | None = None, headers: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with browser.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


def log_in(browser, base: str) -> None:
    status, _headers, page = fetch(browser, f"{base}/accounts/login/")
    assert status == 200, page[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _page = fetch(
        browser,
        f"{base}/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": "admin", "password": PASSWORD},
        {"Referer": f"{base}/accounts/login/"},
    )
    assert status == 302, (status, _page[:800])
    return page


def test_a_fresh_installation_serves_with_debug_off_its_own_key_and_static_files(installation):
    key_file = installation / "secret_key"
    assert key_file.exists(), "the first run generates the installation's key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50
    port = free_port()
    process = serve(base_env(installation), port)
    try:
        base = f"http://127.0.0.1:{port}"
        browser, _jar = opener()
        page = log_in(browser, base)
        for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', page):
            status, headers, _body = fetch(browser, base + asset)
            assert status == 200, asset
        status, _headers, home = fetch(browser, base + "/")
        assert status == 200
        status, _headers, missing = fetch(browser, base + "/no-such-page/")
        assert status == 404 and "您要找的内容不存在" in missing
        assert "URLconf" not in missing and "Traceback" not in missing  # not Django's debug page
        status, headers, api = fetch(browser, base + "/api/v1/no-such-thing/")
        assert status == 404 and headers["Content-Type"] == "application/json"
    finally:
        stop(process)
    debug = manage(
        base_env(installation), "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"
    )
    assert debug.strip().splitlines()[-1] == "False"


def test_test_runs_write_no_key(tmp_path):
    from minsheng.settings import installation_secret_key

    assert os.environ.get("PYTEST_VERSION")
    assert installation_secret_key(tmp_path) != installation_secret_key(tmp_path)
    assert list(tmp_path.iterdir()) == []


# -- behind nginx -------------------------------------------------------------------------------------------


def require_nginx() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if path is None:
        if IN_CI:
            pytest.fail("CI requires nginx (scripts/ensure-test-deps.sh installs it)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return path


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {dir}/cert.pem;
    ssl_certificate_key {dir}/key.pem;
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_redirect off;
    }}
  }}
}}
"""


@pytest.fixture
def nginx(tmp_path):
    binary = require_nginx()
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    port, upstream = free_port(), free_port()
    (tmp_path / "nginx.conf").write_text(NGINX_CONF.format(dir=tmp_path, port=port, upstream=upstream))
    process = subprocess.Popen(
        [binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_for(port, process, 20)
    yield port, upstream
    stop(process)


def test_behind_nginx_with_tls_the_site_answers_instead_of_redirecting_to_itself(installation, nginx):
    port, upstream = nginx
    env = base_env(installation, MINSHENG_BEHIND_PROXY="1")
    process = serve(env, upstream)
    try:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        browser, jar = opener(urllib.request.HTTPSHandler(context=context))
        base = f"https://127.0.0.1:{port}"
        log_in(browser, base)  # 200 for the form, 302 after the POST: no redirect to itself, CSRF passes
        assert all(cookie.secure for cookie in jar), "cookies are Secure behind TLS"
        status, headers, _home = fetch(browser, base + "/")
        assert status == 200
        assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
        # Straight to waitress, over plain HTTP, the same site sends the browser to HTTPS.
        plain, _jar = opener()
        status, headers, _body = fetch(plain, f"http://127.0.0.1:{upstream}/accounts/login/")
        assert status == 301 and headers["Location"].startswith("https://")
    finally:
        stop(process)
