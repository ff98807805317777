"""Backup and restore on PostgreSQL: a backup restored into an empty database serves the same data.

The backup is taken from the test database (pg_dump and a media tarball); the restore and the server run as
separate processes against a new database and a new media folder, as on a replacement server.
"""

import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from minsheng.cases import actions
from minsheng.cases.models import Category
from minsheng.ops.backup import BackupError, read_manifest, restore
from minsheng.testing.fixtures import require_postgres

from .topology import REPO, free_port, wait_listening

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    + secrets.token_bytes(64)
)


@pytest.fixture
def empty_database():
    require_postgres()
    import psycopg

    db = connection.settings_dict
    name = f"minsheng_restore_{secrets.token_hex(4)}"
    host, port, user = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432, db.get("USER") or "postgres"
    admin_url = f"postgres://{user}@{host}:{port}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{user}@{host}:{port}/{name}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(tmp_path, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINSHENG_", "DJANGO_"))}
    env.update(
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        DATABASE_URL=database_url,
        MINSHENG_VAR_DIR=str(tmp_path / "new-server"),
        MINSHENG_MEDIA_ROOT=str(tmp_path / "new-server" / "media"),
        MINSHENG_DEBUG="1",
    )
    env.pop("REDIS_URL", None)
    return env


def manage(env, *args, timeout=120) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "minsheng.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_backup_restored_into_an_empty_database_serves_the_same_data(
    world, settings, tmp_path, empty_database
):
    settings.MEDIA_ROOT = tmp_path / "old-media"
    case = actions.do_register(
        actor=world.admin,
        kind="appeal",
        channel="online",
        category=Category.objects.get(code="050101"),
        description="颐和家园1号楼下水道堵塞（备份测试）",
        node=world.estate_a,
        files=[SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf")],
    )
    token = Token.objects.create(user=world.admin).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    before = api.get(f"/api/v1/cases/{case.pk}/").json()

    call_command("backup", "--to", str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = read_manifest(folder)
    assert manifest["engine"] == "postgresql" and manifest["media_files"] == 1
    assert manifest["migrations"]["cases"] >= "0003"
    # Restoring over live data is refused.
    with pytest.raises(BackupError, match="不是空的"):
        restore(folder)

    env = env_for(tmp_path, empty_database)
    assert "已恢复" in manage(env, "restore", str(folder))
    digest = manage(
        env,
        "shell",
        "-c",
        "import hashlib; from minsheng.cases.models import CaseAttachment as A; "
        "print(hashlib.sha256(A.objects.get().file.read()).hexdigest())",
    )
    assert digest.strip().splitlines()[-1] == hashlib.sha256(PDF).hexdigest()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "minsheng.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_listening(port, timeout=60, proc=server)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/cases/{case.pk}/", headers={"Authorization": f"Token {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            after = json.loads(response.read())
    finally:
        server.terminate()
        server.wait(10)
    assert without_host(after) == without_host(before)


def without_host(case: dict) -> dict:
    """The same case, its attachment links reduced to their paths (the servers' host names differ)."""
    for attachment in case["attachments"]:
        attachment["url"] = urlsplit(attachment["url"]).path
    return case
