"""The case ledger (台账) as an xlsx file: the rows of a workbench list with its filters, in Chinese columns.

The reporter's name and phone are masked unless the user asked for them in clear and holds org.view_pii at the
case's place (checked row by row: a leader of one community exporting a street-wide list gets only their own
community's numbers in clear). Every export is written to the audit log with the row counts (PIPL: who took which
personal data out of the system). The workbook is written in openpyxl's write-only mode and the cases are read in
chunks with their related names, so memory and the number of queries stay flat whatever the size of the list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from minsheng.accounts.choices import Cap
from minsheng.core import audit
from minsheng.core.masking import mask_name, mask_phone
from minsheng.core.models import AuditLog
from minsheng.org.models import Node

from .choices import DeadlineState
from .deadlines import state_of
from .models import Category

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F5597")
CHUNK = 2000


def _local(moment):
    """Excel has no time zones: local wall-clock time, without tzinfo."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("是") if value else _("否")


@dataclass(frozen=True)
class Column:
    label: str
    width: int
    value: Callable[[Any, "Row"], Any]
    datetime: bool = False


@dataclass(frozen=True)
class Row:
    """What a column may need beyond the case: the moment of export, the category names, whether in clear."""

    now: Any
    categories: dict[str, str]
    clear: bool


def _category(case, row: Row) -> str:
    path = case.category.path
    prefixes = [path[:i] for i in range(Category.steplen, len(path) + 1, Category.steplen)]
    return "/".join(row.categories.get(p, "") for p in prefixes)


def _reporter(case, row: Row) -> str:
    if case.anonymous:
        return _("匿名")
    return case.reporter_name if row.clear else mask_name(case.reporter_name)


COLUMNS: tuple[Column, ...] = (
    Column(gettext_lazy("编号"), 18, lambda c, r: c.number),
    Column(gettext_lazy("标题"), 30, lambda c, r: c.title),
    Column(gettext_lazy("类型"), 10, lambda c, r: c.kind.name),
    Column(gettext_lazy("来源渠道"), 14, lambda c, r: c.get_channel_display()),
    Column(gettext_lazy("诉求分类"), 30, _category),
    Column(gettext_lazy("紧急程度"), 10, lambda c, r: c.get_urgency_display()),
    Column(gettext_lazy("状态"), 10, lambda c, r: c.get_status_display()),
    Column(
        gettext_lazy("期限状态"),
        10,
        lambda c, r: "" if (s := state_of(c, r.now)) == DeadlineState.NONE else DeadlineState(s).label,
    ),
    Column(gettext_lazy("发生地点"), 30, lambda c, r: c.node.full_name or c.node.name),
    Column(gettext_lazy("网格"), 16, lambda c, r: c.grid.name if c.grid_id else ""),
    Column(gettext_lazy("详细位置"), 24, lambda c, r: c.address),
    Column(gettext_lazy("反映人"), 10, _reporter),
    Column(
        gettext_lazy("联系电话"),
        15,
        lambda c, r: c.reporter_phone if r.clear else mask_phone(c.reporter_phone),
    ),
    Column(gettext_lazy("首问责任人"), 12, lambda c, r: str(c.first_receiver) if c.first_receiver_id else ""),
    Column(gettext_lazy("主办单位"), 18, lambda c, r: c.lead_unit.name if c.lead_unit_id else ""),
    Column(gettext_lazy("承办人"), 12, lambda c, r: str(c.handler) if c.handler_id else ""),
    Column(
        gettext_lazy("包案领导"), 12, lambda c, r: str(c.key_leader) if c.is_key and c.key_leader_id else ""
    ),
    Column(gettext_lazy("登记时间"), 17, lambda c, r: _local(c.reported_at), datetime=True),
    Column(gettext_lazy("受理时间"), 17, lambda c, r: _local(c.accepted_at), datetime=True),
    Column(gettext_lazy("办结时限"), 17, lambda c, r: _local(c.finish_due), datetime=True),
    Column(gettext_lazy("办结时间"), 17, lambda c, r: _local(c.resolved_at), datetime=True),
    Column(gettext_lazy("按期办结"), 10, lambda c, r: _yes_no(c.resolved_on_time)),
    Column(gettext_lazy("满意度"), 10, lambda c, r: c.get_satisfaction_display()),
    Column(gettext_lazy("退单次数"), 9, lambda c, r: c.return_count),
    Column(gettext_lazy("返工次数"), 9, lambda c, r: c.rework_count),
    Column(gettext_lazy("延期次数"), 9, lambda c, r: c.extension_count),
    Column(gettext_lazy("并入案件"), 18, lambda c, r: c.merged_into.number if c.merged_into_id else ""),
    Column(gettext_lazy("诉求内容"), 60, lambda c, r: c.description),
)


def _cell(ws, value, *, header=False, datetime=False) -> WriteOnlyCell:
    if isinstance(value, Promise):  # a translated label
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula: a title typed as "=…" must not run in Excel
    if header:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    if datetime and value is not None:
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def _audit_target(user):
    """The object an export is recorded against: the top of the user's scope (or the user, with none)."""
    paths = [] if user.is_superuser else user.scope_paths(Cap.CASES_VIEW)
    top = Node.objects.filter(path__in=paths).order_by("path").first() if paths else None
    if top is None and user.is_superuser:
        top = Node.get_first_root_node()
    return top or user


def write_ledger(cases, out: BinaryIO, *, user, now, unmasked: bool = False, title: str = "") -> int:
    """Write the cases (a scoped, filtered queryset) to `out`; returns the number of rows. Audited."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=_("诉求台账"))
    for index, column in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, str(c.label), header=True) for c in COLUMNS])
    categories = dict(Category.objects.values_list("path", "name"))
    rows = clear_rows = 0
    cases = cases.select_related(
        "kind",
        "category",
        "node",
        "grid",
        "first_receiver",
        "lead_unit",
        "handler",
        "key_leader",
        "merged_into",
    )
    for case in cases.iterator(chunk_size=CHUNK):
        clear = (
            unmasked
            and bool(case.reporter_phone or case.reporter_name)
            and user.has_cap(Cap.ORG_VIEW_PII, case.node)
        )
        row = Row(now, categories, clear)
        ws.append([_cell(ws, c.value(case, row), datetime=c.datetime) for c in COLUMNS])
        rows += 1
        clear_rows += clear
    workbook.save(out)
    how = _("未脱敏 %(count)s 行") % {"count": clear_rows} if clear_rows else _("已脱敏")
    audit.record(
        AuditLog.Action.EXPORT,
        _audit_target(user),
        user=user,
        changes={"registry": "cases", "rows": rows, "unmasked_rows": clear_rows},
        note=_("导出诉求台账%(title)s %(rows)s 行（%(how)s）") % {"title": title, "rows": rows, "how": how},
    )
    return rows
