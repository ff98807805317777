"""The checks behind `minsheng doctor`: is this deployment whole and alive?

Each check returns a Result; none raises. A check that cannot run because an earlier one failed (no database)
says so instead of failing on its own. The order is the order an operator fixes things in.
"""

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"

#: Secret keys that ship in source code and so protect nothing.
KNOWN_KEYS = ("dev-only-insecure", "django-insecure", "change-me")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", "::1", "[::1]"}
#: A consumer writes its heartbeat every 15 s; one silent for this long is taken for dead.
INGEST_SILENCE = dt.timedelta(minutes=2)
GIB = 1024**3


@dataclass
class Result:
    name: str
    status: str
    message: str


class Context:
    """What the checks learn on the way (whether the database answered)."""

    database_ok = False
    schema_ok = False
    broker_ok = False


def check_database(ctx: Context) -> Result:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return Result("数据库", FAIL, f"无法连接：{exc}".strip())
    ctx.database_ok = True
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150020
        where = f"PostgreSQL {version // 10000}.{version % 10000} · {db.get('NAME')}@{db.get('HOST') or 'localhost'}"
        return Result("数据库", OK, where)
    return Result(
        "数据库", WARN, f"{connection.vendor}（嵌入式单机部署；县市规模请用 PostgreSQL）· {db.get('NAME')}"
    )


def check_migrations(ctx: Context) -> Result:
    if not ctx.database_ok:
        return Result("数据库迁移", SKIP, "数据库不可用")
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        return Result("数据库迁移", FAIL, f"{len(plan)} 个迁移未执行（{names}…）：运行 minsheng migrate")
    ctx.schema_ok = True
    return Result("数据库迁移", OK, "全部已执行")


def check_secret_key(ctx: Context) -> Result:
    key = settings.SECRET_KEY or ""
    weak = len(key) < 50 or len(set(key)) < 5 or any(mark in key for mark in KNOWN_KEYS)
    if weak:
        return Result(
            "密钥", WARN if settings.DEBUG else FAIL, "SECRET_KEY 是默认值或太短：每个部署生成自己的密钥"
        )
    return Result("密钥", OK, "本部署专用")


def check_debug(ctx: Context) -> Result:
    if settings.DEBUG:
        return Result("调试模式", WARN, "DEBUG 开启：对外服务前设置 MINSHENG_DEBUG=0")
    return Result("调试模式", OK, "关闭")


def check_allowed_hosts(ctx: Context) -> Result:
    hosts = list(settings.ALLOWED_HOSTS)
    if "*" in hosts:
        return Result("允许的主机名", FAIL, "ALLOWED_HOSTS 含 *：只列出本站的域名")
    if not settings.DEBUG and not set(hosts) - LOCAL_HOSTS:
        return Result(
            "允许的主机名",
            WARN,
            f"只有本机地址（{', '.join(hosts)}）：设置 MINSHENG_ALLOWED_HOSTS 为站点域名",
        )
    return Result("允许的主机名", OK, ", ".join(hosts))


def check_static(ctx: Context) -> Result:
    if settings.DEBUG and settings.WHITENOISE_USE_FINDERS:
        return Result("静态文件", OK, "调试模式下由应用直接提供")
    root = Path(settings.STATIC_ROOT)
    if not (root / "admin" / "css" / "base.css").exists():
        return Result("静态文件", FAIL, f"{root} 中没有收集好的静态文件：运行 minsheng collectstatic")
    return Result("静态文件", OK, str(root))


def check_disk(ctx: Context) -> Result:
    worst, lines = OK, []
    for label, path in (("数据目录", settings.VAR_DIR), ("附件目录", settings.MEDIA_ROOT)):
        path = Path(path)
        probe = path if path.exists() else path.parent
        try:
            usage = shutil.disk_usage(probe)
        except OSError as exc:
            return Result("磁盘空间", FAIL, f"{label} {path}：{exc}")
        share = usage.free / usage.total if usage.total else 0
        lines.append(f"{label} {path} 剩余 {usage.free / GIB:.1f} GiB（{share:.0%}）")
        if usage.free < GIB / 5 or share < 0.01:
            worst = FAIL
        elif (usage.free < GIB or share < 0.05) and worst == OK:
            worst = WARN
    return Result("磁盘空间", worst, "；".join(lines))


def check_broker(ctx: Context) -> Result:
    if not settings.CELERY_BROKER_URL:
        return Result("消息队列", OK, "未配置（嵌入式：后台任务在 Web 进程内运行）")
    from minsheng.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.connect()
    except Exception as exc:
        return Result("消息队列", FAIL, f"{_redact(settings.CELERY_BROKER_URL)} 无法连接：{exc}")
    ctx.broker_ok = True
    return Result("消息队列", OK, _redact(settings.CELERY_BROKER_URL))


def check_workers(ctx: Context) -> Result:
    if not settings.CELERY_BROKER_URL:
        return Result("后台任务进程", OK, "嵌入式：由 minsheng serve 运行")
    if not ctx.broker_ok:
        return Result("后台任务进程", SKIP, "消息队列不可用")
    from minsheng.celery import app

    replies = app.control.ping(timeout=2.0) or []
    names = sorted(name for reply in replies for name in reply)
    if not names:
        return Result("后台任务进程", FAIL, "没有 worker 应答：启动 minsheng-worker 服务")
    return Result("后台任务进程", OK, f"{len(names)} 个 worker 应答：{', '.join(names)}")


def check_periodic(ctx: Context) -> Result:
    if not ctx.schema_ok:
        return Result("定时任务", SKIP, "数据库不可用或未迁移")
    from minsheng.core import clock
    from minsheng.core.periodic import jobs

    from .models import Heartbeat

    beats = {h.name: h for h in Heartbeat.objects.filter(name__startswith="periodic:")}
    now = clock.now()
    late, never = [], []
    for name, job in jobs().items():
        beat = beats.get(f"periodic:{name}")
        if beat is None:
            never.append(name)
        elif now - beat.seen_at > dt.timedelta(seconds=2 * job["every"] + 60):
            late.append(f"{name}（上次 {int((now - beat.seen_at).total_seconds())} 秒前）")
    if late:
        return Result("定时任务", FAIL, f"逾期未运行：{', '.join(late)}：检查 minsheng-beat 与 worker")
    if never:
        return Result("定时任务", WARN, f"尚未运行过：{', '.join(never)}（新部署请稍候几分钟）")
    return Result("定时任务", OK, f"{len(beats)} 项按时运行")


def check_ingest(ctx: Context) -> Result:
    if not ctx.schema_ok:
        return Result("传感器接收", SKIP, "数据库不可用或未迁移")
    from minsheng.iot.models import Sensor

    from .heartbeat import stale

    alive, dead = stale("ingest:", INGEST_SILENCE)
    if dead:
        names = ", ".join(f"{h.name.removeprefix('ingest:')}@{h.host}" for h in dead)
        return Result("传感器接收", FAIL, f"接收进程失联：{names}（停用的进程请在后台删除其心跳）")
    if alive:
        names = ", ".join(f"{h.name.removeprefix('ingest:')}（{h.detail.get('topic', '')}）" for h in alive)
        return Result("传感器接收", OK, f"{len(alive)} 个接收进程在线：{names}")
    if Sensor.objects.exists():
        return Result("传感器接收", WARN, "有传感器但没有接收进程报到：启动 minsheng-ingest@<片区> 服务")
    return Result("传感器接收", OK, "未使用（没有传感器）")


CHECKS = [
    check_database,
    check_migrations,
    check_secret_key,
    check_debug,
    check_allowed_hosts,
    check_static,
    check_disk,
    check_broker,
    check_workers,
    check_periodic,
    check_ingest,
]


def run_checks() -> list[Result]:
    ctx = Context()
    results = []
    for check in CHECKS:
        try:
            results.append(check(ctx))
        except Exception as exc:  # a check that breaks is a finding, not a crash of the doctor
            results.append(Result(check.__doc__ or check.__name__, FAIL, f"检查出错：{exc!r}"))
    return results


def _redact(url: str) -> str:
    """A broker URL without its password, for printing."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)
