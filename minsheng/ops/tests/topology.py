"""Starting the production topology from the shipped configuration, on the machine's own services.

The commands come from the systemd units under deploy/systemd (ExecStart, with the instance name and the install
path replaced), nginx runs the shipped site file (ports, certificate and paths replaced), and every process gets
the environment a deployment's /etc/minsheng/minsheng.env would give it. Private Redis and Mosquitto instances on
free ports keep parallel test runs apart; PostgreSQL is the machine's server with a fresh database.
"""

import configparser
import getpass
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy"
NGINX = "/usr/sbin/nginx"
MOSQUITTO = "/usr/sbin/mosquitto"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
INSTALLED = "/opt/minsheng/venv/bin/minsheng"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, timeout: float = 30, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{proc.args} exited with {proc.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port} after {timeout} s")


def unit_command(unit: str, instance: str = "") -> list[str]:
    """The ExecStart of a shipped unit, run with this interpreter instead of the installed console script."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(DEPLOY / "systemd" / unit)
    argv = shlex.split(parser["Service"]["ExecStart"].replace("%i", instance))
    assert argv[0] == INSTALLED, argv
    return [sys.executable, "-m", "minsheng.cli", *argv[1:]]


def nginx_site(*, http_port: int, https_port: int, upstreams: list[int], folder: Path, static: Path) -> str:
    """The shipped site file with this run's ports and paths."""
    text = (DEPLOY / "nginx" / "minsheng.conf").read_text()
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in upstreams)
    text = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, text)
    text = text.replace("/etc/minsheng/tls/", f"{folder}/")
    text = text.replace("/var/log/nginx/", f"{folder}/")
    text = text.replace("/var/lib/minsheng/static/", f"{static}/")
    text = text.replace("/var/www/letsencrypt", f"{folder}/acme")
    assert not re.search(r"/var/(lib|log|www)/|/etc/minsheng/", text), text
    return text


def nginx_main(folder: Path) -> str:
    user = getpass.getuser()
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{'user ' + user + ';' if user == 'root' else ''}\n"
        f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/nginx-error.log warn;\n"
        "daemon off;\nevents { worker_connections 256; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n{temp}\n"
        f"    access_log {folder}/nginx-access.log;\n    include {folder}/site.conf;\n}}\n"
    )


@dataclass
class Topology:
    folder: Path
    database_url: str
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], *, env: dict | None = None) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            argv,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def manage(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "minsheng.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):
            self.stop(name)


def base_env(folder: Path, database_url: str, redis_port: int, mqtt_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINSHENG_", "DJANGO_", "CELERY_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    pythonpath = [str(REPO), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]]
    env.update(
        PYTHONPATH=os.pathsep.join(pythonpath),
        DJANGO_SETTINGS_MODULE="minsheng.settings",
        MINSHENG_DEBUG="0",
        MINSHENG_SECRET_KEY=secrets.token_urlsafe(50),
        MINSHENG_ALLOWED_HOSTS="127.0.0.1,localhost,minsheng.test",
        MINSHENG_BEHIND_PROXY="1",
        MINSHENG_VAR_DIR=str(folder / "var"),
        MINSHENG_MEDIA_ROOT=str(folder / "var" / "media"),
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        MINSHENG_MQTT_HOST="127.0.0.1",
        MINSHENG_MQTT_PORT=str(mqtt_port),
        MINSHENG_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        # Every periodic job every 2 s instead of minutes, so that the run sees them all several times.
        MINSHENG_PERIODIC_EVERY=",".join(f"{name}=2" for name in settings.MINSHENG_PERIODIC_JOBS),
        PYTHONUNBUFFERED="1",
    )
    return env
