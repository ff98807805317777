"""`minsheng run` (what `make run` does): a warm start reads the migration plan instead of migrating, and starts no
second background history once one has finished."""

import signal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.core.management.commands import run

pytestmark = pytest.mark.django_db


def test_a_migrated_database_has_no_pending_migration():
    assert run.pending_migrations() == 0


def test_a_warm_start_at_head_runs_no_migration(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with CaptureQueriesContext(connection) as queries:
        call_command("run", no_demo=True, no_serve=True)
    written = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in written if "CREATE" in sql.upper() or "django_migrations" in sql]


def test_the_background_history_starts_once_then_never_again(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    process = run.Command().start_history()
    assert process is not None
    try:
        assert (tmp_path / run.HISTORY_LOG).exists()
        assert "demo --first agri" in " ".join(process.args)  # agriculture first, then the rest
        assert run.history_running()
        assert run.Command().start_history() is None  # not a second one beside it
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    (tmp_path / run.COMPLETE_MARK).write_text("done\n")
    assert run.history_complete()
    assert run.Command().start_history() is None
