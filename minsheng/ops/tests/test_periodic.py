"""A periodic job runs once per interval however many beats send it and workers take it."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, connections

from minsheng.core import periodic as core_periodic
from minsheng.ops import periodic
from minsheng.ops.models import Heartbeat
from minsheng.testing.fixtures import require_postgres

T0 = dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def counting_job(settings, monkeypatch):
    calls = []
    settings.MINSHENG_PERIODIC_JOBS = {"test.count": {"target": "builtins.len", "every": 60}}

    def run(name):
        calls.append(name)
        return len(calls)

    monkeypatch.setattr(periodic, "run", run)
    return calls


@pytest.mark.django_db
def test_a_second_send_within_half_an_interval_is_skipped_and_a_later_one_runs(counting_job):
    with time_machine.travel(T0, tick=False):
        assert periodic.run_once("test.count") == 1
        assert core_periodic.run_job.delay("test.count").get() == periodic.RECENT
    with time_machine.travel(T0 + dt.timedelta(seconds=29), tick=False):
        assert periodic.run_once("test.count") == periodic.RECENT
    with time_machine.travel(T0 + dt.timedelta(seconds=31), tick=False):
        assert periodic.run_once("test.count") == 2
    beat = Heartbeat.objects.get(name="periodic:test.count")
    assert beat.detail["runs"] == 2 and beat.detail["result"] == 2 and beat.pid > 0
    assert counting_job == ["test.count", "test.count"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_while_another_process_holds_the_job_is_skipped(counting_job):
    require_postgres()
    held, release = threading.Event(), threading.Event()

    def other_worker():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [periodic.lock_key("periodic:test.count")])
                held.set()
                release.wait(10)
                cursor.execute("SELECT pg_advisory_unlock(%s)", [periodic.lock_key("periodic:test.count")])
        finally:
            other.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(10)
        assert periodic.run_once("test.count") == periodic.BUSY
        assert counting_job == []
    finally:
        release.set()
        thread.join()
    assert periodic.run_once("test.count") == 1
    # The lock is released after the run: the connection holds no advisory lock any more.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        assert cursor.fetchone()[0] == 0
