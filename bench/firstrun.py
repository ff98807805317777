"""First minutes: a cold `make run` on a fresh clone (venv and install included) and a warm one, until it answers.

The clone is of the committed branch (uncommitted changes are not measured), in a temporary directory with its own
var dir and a free port, so nothing of a running installation is touched. Each run is timed from `make run` to the
first HTTP answer of `/`; the phases are read from the lines make echoes. Baselines, measured in the same run: the
install alone (`python -m venv` + `pip install -e .`, which no change to the product can shorten) for the cold run,
and one bare Django start-up (`minsheng check`) for the warm one. Aims: cold < 180 s, warm < 10 s.

    flock /tmp/minsheng-bench.lock python -m bench firstrun
"""

import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .server import ROOT, free_port

#: Make's echoed command lines that start a phase, in order.
PHASES = [
    ("venv", "-m venv"),
    ("install", "pip install"),
    ("start", "minsheng run"),
]
COLD_AIM, WARM_AIM = 180.0, 10.0


def _env(var: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")
    }
    env["MINSHENG_VAR_DIR"] = str(var)
    return env


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError, http.client.HTTPException):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/")
        conn.getresponse().read()
        conn.close()
        return True
    return False


def session_cpu(pgid: int) -> float:
    """CPU seconds (user + system) spent so far by the process group: its live processes and the children they
    have waited for (make's venv and pip) — what the start cost on an idle machine, whatever the load."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # fields[0] is the state; pgrp is the fifth field of the whole line
                total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def make_run(clone: Path, var: Path, timeout: float = 900) -> tuple[float, dict[str, float], list[str]]:
    """Run `make run` in `clone` until `/` answers; return the seconds it took, the phase starts and the output
    (the phases also hold "cpu": the session's CPU seconds at the first answer)."""
    port = free_port()
    python = os.environ.get("BENCH_PYTHON", "python3")
    started = time.monotonic()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}", f"PYTHON={python}"],
        cwd=clone,
        env=_env(var),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    phases: dict[str, float] = {}

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            for name, marker in PHASES:
                if name not in phases and marker in line:
                    phases[name] = time.monotonic() - started

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        while not _answers(port):
            if proc.poll() is not None:
                raise RuntimeError("make run stopped before serving:\n" + "\n".join(lines[-40:]))
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"no answer within {timeout:.0f} s:\n" + "\n".join(lines[-40:]))
            time.sleep(0.25)
        elapsed = time.monotonic() - started
        phases["cpu"] = session_cpu(proc.pid)
    finally:
        # The whole session: make, the server and the background demo it started.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return elapsed, phases, lines


def _timed(cmd: list[str], cwd: Path, env: dict) -> float:
    started = time.monotonic()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def main() -> dict:
    ref = (
        os.environ.get("BENCH_FIRSTRUN_REF")
        or subprocess.run(
            ["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    python = os.environ.get("BENCH_PYTHON", "python3")
    tmp = Path(tempfile.mkdtemp(prefix="minsheng-firstrun-"))
    try:
        clone, var = tmp / "clone", tmp / "var"
        subprocess.run(["git", "clone", "--quiet", "--branch", ref, str(ROOT), str(clone)], check=True)
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        cold, cold_phases, cold_lines = make_run(clone, var)
        warm, warm_phases, warm_lines = make_run(clone, var)
        # Baselines, side by side: the install alone in a second fresh venv, and one bare Django start-up.
        base_venv = tmp / "venv-baseline"
        env = _env(tmp / "var-baseline")
        install = _timed([python, "-m", "venv", str(base_venv)], clone, env)
        install += _timed([str(base_venv / "bin" / "pip"), "install", "--quiet", "-e", "."], clone, env)
        startup = _timed([str(clone / ".venv" / "bin" / "minsheng"), "check"], clone, _env(var))
        load = os.getloadavg()[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    cold_cpu, warm_cpu = cold_phases.pop("cpu"), warm_phases.pop("cpu")
    starts = sorted(cold_phases.items(), key=lambda kv: kv[1])
    print(
        f"cold make run (fresh clone, install included) → first answer: {cold:.1f} s (aim < {COLD_AIM:.0f} s)"
    )
    for (name, at), following in zip(starts, [*(s[1] for s in starts[1:]), cold], strict=True):
        print(f"   {name:<8} {following - at:6.1f} s")
    print(f"   CPU seconds of the session until then: {cold_cpu:.1f} s (the background history included)")
    print(f"   baseline: venv + pip install alone {install:.1f} s; cold / baseline = {cold / install:.2f}")
    print(f"warm make run (same clone, second time) → first answer: {warm:.1f} s (aim < {WARM_AIM:.0f} s)")
    print(f"   CPU seconds of the session until then: {warm_cpu:.1f} s")
    print(
        f"   baseline: one bare Django start-up (minsheng check) {startup:.1f} s; ratio {warm / startup:.2f}"
    )
    print(f"load average after: {load:.2f}")
    if os.environ.get("BENCH_VERBOSE"):
        print("\n".join(["-- cold output", *cold_lines, "-- warm output", *warm_lines]))
    return {
        "cold": cold,
        "warm": warm,
        "install": install,
        "startup": startup,
        "cold_cpu": cold_cpu,
        "warm_cpu": warm_cpu,
    }


if __name__ == "__main__":
    main()
    sys.exit(0)
