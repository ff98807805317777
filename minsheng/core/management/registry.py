"""What the import_registry and export_registry commands share: the registry argument, and the resource as the
named account sees it — found, active and allowed, or a CommandError saying which is not."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from minsheng.core.spreadsheet import Resource, resources


def add_registry_argument(parser: CommandParser) -> None:
    parser.add_argument("registry", choices=sorted(resources()), help="台账（组织、人口、农业台账与标准表）")


def resource_as(registry: str, username: str, *, importing: bool) -> tuple[Resource, Any]:
    """(the resource in that account's scope, the account), refusing an unknown account or a missing right."""
    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"找不到账号：{username}")
    resource = resources()[registry](actor)
    if importing and not resource.importable:
        raise CommandError(f"台账 {registry} 只能导出，不能导入")
    capability = resource.import_capability if importing else resource.export_capability
    if not actor.has_cap(capability):
        raise CommandError(f"账号 {username} 没有{'导入' if importing else '导出'}台账的权限")
    return resource, actor
