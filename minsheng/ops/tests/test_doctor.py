"""`minsheng doctor` names what is wrong and exits 1 on a failure."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from minsheng.core import clock
from minsheng.ops import heartbeat
from minsheng.ops.doctor import FAIL, OK, SKIP, WARN, run_checks

pytestmark = pytest.mark.django_db


def statuses():
    return {r.name: r.status for r in run_checks()}


def doctor(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("doctor", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_the_embedded_default_passes_with_warnings(settings):
    settings.DEBUG = True
    code, out = doctor()
    assert code == 0
    assert "[ 注意 ] 调试模式" in out and "[ 正常 ] 数据库迁移" in out
    assert "0 项故障" in out


def test_a_production_setting_with_the_source_code_key_and_a_wildcard_host_fails(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
    settings.ALLOWED_HOSTS = ["*"]
    settings.STATIC_ROOT = "/nonexistent/static"
    got = statuses()
    assert (got["密钥"], got["允许的主机名"], got["静态文件"]) == (FAIL, FAIL, FAIL)
    code, out = doctor("--json")
    assert code == 1
    assert {r["name"] for r in json.loads(out) if r["status"] == FAIL} >= {"密钥", "允许的主机名", "静态文件"}


def test_a_broker_nobody_listens_on_fails_and_skips_the_worker_check(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    got = statuses()
    assert (got["消息队列"], got["后台任务进程"]) == (FAIL, SKIP)


def test_a_silent_ingest_consumer_and_a_late_periodic_job_fail(settings):
    settings.MINSHENG_PERIODIC_JOBS = {"cases.deadline_clock": {"target": "x", "every": 60}}
    heartbeat.beat("ingest:minsheng-ingest-yingyue", topic="minsheng/yingyue/+/+/+")
    heartbeat.beat("periodic:cases.deadline_clock", runs=1)
    assert (statuses()["传感器接收"], statuses()["定时任务"]) == (OK, OK)
    later = clock.now() + dt.timedelta(minutes=5)
    with clock.at(later):
        got = statuses()
    assert (got["传感器接收"], got["定时任务"]) == (FAIL, FAIL)


def test_a_job_that_never_ran_is_a_warning_on_a_fresh_install(settings):
    settings.MINSHENG_PERIODIC_JOBS = {"cases.deadline_clock": {"target": "x", "every": 60}}
    assert statuses()["定时任务"] == WARN
