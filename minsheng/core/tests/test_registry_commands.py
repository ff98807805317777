"""The spreadsheet commands refuse a ledger that is only ever exported with one clear line, not a traceback."""

import pytest
from django.core.management import CommandError, call_command

from minsheng.core.spreadsheet import resources


def test_an_export_only_ledger_cannot_be_imported(world, tmp_path):
    export_only = sorted(slug for slug, resource in resources().items() if not resource.importable)
    assert "enterprise-problems" in export_only
    source = tmp_path / "问题.xlsx"
    source.write_bytes(b"not read: the ledger is refused first")
    for slug in export_only:
        with pytest.raises(CommandError, match=f"台账 {slug} 只能导出"):
            call_command("import_registry", slug, str(source), "--user", world.admin.username)


def test_an_export_only_ledger_still_exports(world, tmp_path):
    out = tmp_path / "问题.xlsx"
    call_command("export_registry", "enterprise-problems", str(out), "--user", world.admin.username)
    assert out.stat().st_size > 0
