"""`minsheng county …`: the levels above the 社区 (市, 县/区, 街道/乡镇) from the command line, for a deployment's
migration script — the same actions as the 行政层级 page (docs/decisions/0067, 0072).

    minsheng county list
    minsheng county create-above --name 临朐县 [--code 370724000000] [--prefix LQ] [街道 …]
    minsheng county move <街道> --to <县/区>
    minsheng county city-above --name 潍坊市 [--code …] [--prefix …] [县/区 …]
    minsheng county move-county <县/区> --to <市>

A node is named by its 统计用区划代码, its name (or full name, when two share a name) or its id. Without names,
create-above takes every top-level 街道 and city-above every top-level county. `--dry-run` shows what would move
and any refusal, and changes nothing; `--user` records the change under a system administrator's account
(without it, under the system).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.core import parsing
from minsheng.core.context import acting
from minsheng.org import actions, reshaping
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

KIND_WORDS = {NodeKind.CITY: "市", NodeKind.COUNTY: "县/区", NodeKind.STREET: "街道/乡镇"}


class Command(BaseCommand):
    help = "调整街道/乡镇以上的层级：在街道之上设县、把街道移入县、在县之上设市、把县移入市"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="operation", required=True, metavar="操作")
        sub.add_parser("list", help="列出市、县/区、街道/乡镇")
        for name, help_text, what in (
            ("create-above", "新建县/区，把顶层的街道/乡镇移入", "街道/乡镇（默认全部顶层街道/乡镇）"),
            ("city-above", "新建市，把顶层的县/区移入", "县/区（默认全部顶层县/区）"),
        ):
            op = sub.add_parser(name, help=help_text)
            op.add_argument("nodes", nargs="*", help=f"要移入的{what}：区划代码、名称或编号")
            op.add_argument("--name", required=True, help="新节点的名称")
            op.add_argument("--code", default="", help="新节点的统计用区划代码（12位）")
            op.add_argument("--prefix", default="", help="新节点的案件编号前缀")
            self._common(op)
        for name, help_text, what, target in (
            ("move", "把街道/乡镇移入县/区", "街道/乡镇", "县/区"),
            ("move-county", "把县/区（连同其下的街道/乡镇）移入市", "县/区", "市"),
        ):
            op = sub.add_parser(name, help=help_text)
            op.add_argument("node", help=f"要移动的{what}：区划代码、名称或编号")
            op.add_argument("--to", required=True, dest="target", help=f"移入的{target}")
            self._common(op)

    def _common(self, op: CommandParser) -> None:
        op.add_argument("--dry-run", action="store_true", help="只显示将移动的内容，不作改动")
        op.add_argument("--user", default="", help="以该系统管理员账号记录这次调整（用户名）")

    def handle(self, *args: Any, operation: str, **options: Any) -> None:
        if operation == "list":
            self._list()
            return
        actor = self._actor(options["user"])
        if operation in ("create-above", "city-above"):
            moving_kind = NodeKind.STREET if operation == "create-above" else NodeKind.COUNTY
            nodes = [_find(text, moving_kind) for text in options["nodes"]] or list(
                Node.objects.filter(kind=moving_kind, depth=1)
            )
            new = {"name": options["name"], "code": options["code"] or None, "case_prefix": options["prefix"]}
            if operation == "create-above":
                action, kwargs = actions.create_county_above, {"streets": nodes, **new}
                title = f"新建县/区“{options['name']}”"
            else:
                action, kwargs = actions.create_city_above, {"counties": nodes, **new}
                title = f"新建市“{options['name']}”"
        else:
            moving_kind, target_kind = (
                (NodeKind.STREET, NodeKind.COUNTY)
                if operation == "move"
                else (NodeKind.COUNTY, NodeKind.CITY)
            )
            node, target = _find(options["node"], moving_kind), _find(options["target"], target_kind)
            nodes = [node]
            if operation == "move":
                action, kwargs = actions.move_street, {"street": node, "county": target}
            else:
                action, kwargs = actions.move_county, {"county": node, "city": target}
            title = f"把“{node.name}”移入“{target.full_name}”"
        kwargs["actor"] = actor
        moving = reshaping.what_moves(nodes)
        try:
            with acting(actor):
                if options["dry_run"]:
                    reshaping.rehearse(moving, action, **kwargs)
                else:
                    action(**kwargs)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(_messages(exc)) from exc
        if not options["dry_run"]:
            after = dict(
                Node.objects.filter(pk__in=[r.node.pk for r in moving]).values_list("pk", "full_name")
            )
            for row in moving:
                row.full_name_after = after[row.node.pk]
        self.stdout.write(("（试运行，未作改动）" if options["dry_run"] else "") + title)
        for row in moving:
            cases = "—" if row.cases is None else row.cases
            self.stdout.write(
                f"  {row.node.full_name} → {row.full_name_after}：组织节点 {row.nodes}，网格 {row.grids}，"
                f"案件 {cases}，人员任职 {row.memberships}，案件编号前缀 {row.prefix}（不变）"
            )
        done = "可以执行：去掉 --dry-run 即调整" if options["dry_run"] else "已调整"
        self.stdout.write(self.style.SUCCESS(done))

    def _list(self) -> None:
        rows = reshaping.levels_rows()
        if not rows:
            self.stdout.write("还没有街道/乡镇")
        for row in rows:
            node = row["node"]
            inherited = "" if row["own"] else "，沿用上级"
            self.stdout.write(
                f"{'  ' * (node.depth - 1)}{KIND_WORDS[node.kind]} {node.name}"
                f"  代码 {node.code or '—'}  前缀 {row['prefix']}{inherited}  下级 {node.numchild}  编号 {node.pk}"
            )

    def _actor(self, username: str) -> Any:
        if not username:
            return None
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到账号：{username}")
        if not actor.is_superuser:
            raise CommandError(f"账号 {username} 不是系统管理员，不能调整行政层级")
        return actor


def _find(text: str, kind: str) -> Node:
    """The node of `kind` named by a division code, a name, a full name or an id."""
    text = text.strip()
    nodes = Node.objects.filter(kind=kind).defer("geometry")
    found = list(nodes.filter(code=text)) if parsing.is_id(text) and len(text) == 12 else []
    if not found:
        found = list(nodes.filter(name=text)[:10]) or list(nodes.filter(full_name=text)[:10])
    if not found and parsing.is_id(text):
        found = list(nodes.filter(pk=int(text)))
    if not found:
        raise CommandError(f"找不到{KIND_WORDS[kind]}：{text}")
    if len(found) > 1:
        listed = "；".join(f"{n.full_name}（代码 {n.code or '—'}，编号 {n.pk}）" for n in found)
        raise CommandError(f"有多个{KIND_WORDS[kind]}名为“{text}”，请用区划代码、全称或编号指定：{listed}")
    return found[0]


def _messages(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc)
    return "；".join(exc.messages)
