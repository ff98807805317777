"""Backup and restore: the database with its own tools (pg_dump / pg_restore; SQLite's online backup), the media
folder as a tarball, and a manifest saying what the backup holds. docs/deploy.md, "Backup and restore".

A backup is a folder `minsheng-<UTC time>/` with `database.dump` (PostgreSQL, custom format) or
`database.sqlite3`, `media.tar.gz` and `manifest.json`. A restore goes into an EMPTY database and an empty media
folder only: restoring over live data is a decision for a person with a shell, not for a command.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _pg_env_and_dsn(db: dict) -> tuple[dict, str]:
    """libpq's environment and a connection string for the database settings; the password stays out of argv."""
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    user = quote(str(db.get("USER") or ""), safe="")
    host = db.get("HOST") or "localhost"
    port = db.get("PORT") or 5432
    dsn = f"postgresql://{user + '@' if user else ''}{host}:{port}/{quote(str(db['NAME']), safe='')}"
    return env, dsn


def _run(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} 失败（{done.returncode}）：{done.stderr.strip()[-2000:]}")


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(destination: Path) -> Path:
    """Write a backup folder under `destination` and return it."""
    db = settings.DATABASES["default"]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    folder = Path(destination) / f"minsheng-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    if connection.vendor == "postgresql":
        env, dsn = _pg_env_and_dsn(db)
        # Custom format: compressed, and pg_restore can restore it table by table or in parallel.
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-acl",
                f"--file={folder / 'database.dump'}",
                dsn,
            ],
            env,
        )
        database = "database.dump"
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            source.backup(target)  # SQLite's online backup: consistent while the server keeps writing
        source.close()
        target.close()
        database = "database.sqlite3"
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(folder / "media.tar.gz", "w:gz") as tar:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media)))
                    files += 1
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "engine": connection.vendor,
        "database": database,
        "media": "media.tar.gz",
        "media_files": files,
        "migrations": _applied_migrations(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return folder


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} 不是民生备份（没有 {MANIFEST}）")
    return json.loads(path.read_text())


def restore(folder: Path) -> dict:
    """Restore a backup folder into the configured database and media folder, both of which must be empty."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    db = settings.DATABASES["default"]
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"备份来自 {manifest['engine']}，当前数据库是 {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        raise BackupError(f"附件目录 {media} 不是空的：请恢复到新目录")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            if cursor.fetchone()[0]:
                raise BackupError(f"数据库 {db['NAME']} 不是空的：请恢复到新建的空数据库")
        connection.close()
        env, dsn = _pg_env_and_dsn(db)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={dsn}",
            ]
            + [str(folder / manifest["database"])],
            env,
        )
    else:
        target = Path(db["NAME"])
        if target.exists() and target.stat().st_size:
            raise BackupError(f"数据库文件 {target} 已存在：请恢复到新位置")
        connection.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / manifest["database"], target)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / manifest["media"], "r:gz") as tar:
        tar.extractall(media, filter="data")
    return manifest
