"""Spreadsheet (xlsx) import and export of registries — the 台账 staff keep in Excel today.

A registry is described once, as a `Resource`: its columns (Chinese header, how a cell is read, whether it holds
personal data) and how one row is saved through the app's actions. The export, the template with its notes sheet
and the importer all come from that one description, so a file exported today imports again tomorrow.

The importer is all-or-nothing. Every row is read and saved inside one transaction, each row in its own savepoint
(a failing row leaves nothing of itself behind while the following rows are still checked); if any row failed, or
on a dry run, the whole transaction is rolled back and the report lists every bad row with its Excel row number.
Files come from Excel, WPS and hand-made exports, so cells are read leniently: a phone typed as a number
(13812345678.0), a date as a date cell or as "2025/1/2" text, 是/否 for yes and no.
"""

import datetime as dt
import json
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Choices
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from . import audit
from .context import acting, current
from .masking import mask_address, mask_id_number, mask_phone
from .models import AuditLog

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
#: The report keeps this many row errors; beyond it only the count grows (a wholly wrong file would list thousands).
MAX_REPORTED_ERRORS = 1000
#: How far down the importer looks for the header row: 台账 often carry a title row or two above it.
HEADER_SEARCH_ROWS = 10

_SEPARATORS = re.compile(r"[、,，;；\n]+")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "无"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_REQUIRED_MARKS = re.compile(r"(\*|＊|（必填）|\(必填\))$")
_PHONE = re.compile(r"^\+?[0-9][0-9-]{2,19}$")

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2F5597")
_REQUIRED_FONT = Font(bold=True, color="FFFF00")
_EXAMPLE_FONT = Font(italic=True, color="808080")


class CellError(Exception):
    """A cell that cannot be read (the message is shown to staff in the row report)."""


class FileProblem(Exception):
    """The file as a whole cannot be imported: wrong format, too large, missing columns."""


# -- reading cells ---------------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value: Any) -> str:
    """A cell as text: Excel turns a room number "101" into 101.0, which is still "101"."""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_code(value: Any) -> str:
    """A string of digits (and letters) that Excel may have turned into a number: phone, ID, division code.

    Excel keeps 15 significant digits, so an 18-digit ID number stored as a number has already lost its last
    digits; saying so is kinder than a check-digit error on a number the person typed correctly.
    """
    if isinstance(value, bool):
        raise CellError(_("应填写号码，而不是是/否"))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("号码中不能有小数"))
        if abs(value) >= 1e15:
            raise CellError(
                _("号码过长，Excel 已把它当作数字并丢失了末几位；请把该列设为“文本”格式后重新填写")
            )
        return str(int(value))
    text = re.sub(r"\s+", "", str(value))
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    elif re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", text):
        raise CellError(_("号码过长，Excel 已把它当作数字并丢失了末几位；请把该列设为“文本”格式后重新填写"))
    return text.upper()


def read_phone(value: Any) -> str:
    text = read_code(value)
    if not _PHONE.match(text):
        raise CellError(_("电话号码格式不正确（只能包含数字和“-”）"))
    return text


def read_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 18000101 <= value <= 29991231:
            value = str(int(value))  # 20250102 typed as a number
        elif 0 < value < 2958466:
            return from_excel(value).date()  # an Excel serial number in an unformatted cell
    text = read_text(value)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise CellError(_("日期格式不正确，请填写如 2025-01-02 或 2025/1/2")) from None


def read_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        value = int(value) if float(value).is_integer() else value
    text = read_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("请填写“是”或“否”"))


def read_list(value: Any) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(read_text(value)) if part.strip()]


def read_geojson(value: Any) -> dict[str, Any]:
    """GeoJSON text; the model's validator then checks the geometry itself."""
    try:
        data = json.loads(read_text(value))
    except ValueError:
        raise CellError(_('不是有效的 GeoJSON 文本（应以 { 开头，例如 {"type": "Point", …}）')) from None
    if not isinstance(data, dict):
        raise CellError(_('不是有效的 GeoJSON 文本（应以 { 开头，例如 {"type": "Point", …}）'))
    return data


@lru_cache(maxsize=64)
def _choice_spellings(choices: type[Choices], language: str) -> dict[str, str]:
    """Accepted spellings → stored value: the label in the current language, the Chinese label, the code."""
    accepted: dict[str, str] = {}
    for value, label in choices.choices:
        accepted[str(value)] = value
        accepted[str(label)] = value
        with translation.override("zh-hans"):
            accepted[str(label)] = value
    return accepted


def read_choice(value: Any, choices: type[Choices]) -> str:
    text = read_text(value)
    accepted = _choice_spellings(choices, translation.get_language() or "")
    if text in accepted:
        return accepted[text]
    raise CellError(
        _("“%(value)s”不是可选值，可选：%(choices)s")
        % {"value": text, "choices": "、".join(str(label) for label in choices.labels)}
    )


# -- columns and resources -------------------------------------------------------------------------

_UNSET: Any = object()
#: The value a blank cell stands for, per kind (custom kinds default to None).
BLANKS: dict[str, Any] = {"text": "", "code": "", "phone": "", "id_number": "", "list": [], "bool": False}


@dataclass(frozen=True)
class Column:
    """One column of a registry sheet.

    `header` and `help` are Chinese source strings marked with gettext_noop: the Chinese header is the file
    format (a file exported in one language imports in another), and it is translated only for display.
    `field` names the key in the row handed to `Resource.save` and the ValidationError key the column answers for.
    `kind` says how a cell is read: a built-in kind or a resource's own `parse_<kind>` (lookups of nodes, users…).
    `pii` says how the export masks the value for someone who may not see it: phone, id_number, address, secret,
    year (keep only the year of a date).
    """

    header: str
    field: str
    kind: str = "text"
    required: bool = False
    help: str = ""
    choices: Any = None
    pii: str = ""
    width: int = 14
    blank: Any = _UNSET
    also_answers: tuple[str, ...] = ()

    @property
    def blank_value(self) -> Any:
        value = BLANKS.get(self.kind) if self.blank is _UNSET else self.blank
        return list(value) if isinstance(value, list | tuple) else value

    @property
    def label(self) -> str:
        return _(self.header)


_MASKS: dict[str, Callable[[Any], Any]] = {
    "phone": mask_phone,
    "id_number": mask_id_number,
    "address": mask_address,
    "secret": lambda value: "****",
    "year": lambda value: _("%(year)s年") % {"year": value.year},
}


class Resource:
    """A registry as a spreadsheet. Subclasses declare the columns and implement `save` (through actions).

    One instance serves one import or export by one user: it keeps that user's lookup caches.
    """

    slug: str = ""
    #: The app whose pages and commands list it ("org", "agri"); slugs are unique across apps.
    app_label: str = ""
    title: str = ""  # gettext_noop'd Chinese, e.g. "居民"
    model: Any = None
    columns: tuple[Column, ...] = ()
    #: Sets of fields that must not repeat inside one file; a repeat is reported against the earlier row.
    unique_together: tuple[tuple[str, ...], ...] = ()
    #: The template's example row: field → cell value.
    example: dict[str, Any] = {}
    export_capability = ""
    import_capability = ""
    pii_capability = ""
    #: False for a ledger that is only ever exported: its template and import pages do not exist.
    importable = True

    def __init__(self, user: Any) -> None:
        self.user = user
        #: The fields whose columns the file being imported has (a row gives blank values for the others).
        self.present_fields: set[str] = set()

    # -- description ---------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return _(self.title)

    @property
    def sheet_title(self) -> str:
        return _("%(title)s台账") % {"title": self.label}

    @property
    def has_pii(self) -> bool:
        return any(c.pii for c in self.columns)

    def column_for(self, field_name: str) -> Column | None:
        for column in self.columns:
            if field_name == column.field or field_name in column.also_answers:
                return column
        return None

    def allowed_values(self, column: Column) -> list[str]:
        """What the notes sheet lists as allowed values (subclasses add lookups such as tag names)."""
        if column.choices is not None:
            return [str(label) for label in column.choices.labels]
        if column.kind == "bool":
            return [_("是"), _("否")]
        return []

    # -- export --------------------------------------------------------------------------------
    def queryset(self) -> Any:
        return self.model.objects.visible_to(self.user, self.export_capability)

    def narrow(self, params: Mapping[str, str]) -> None:
        """Restrict the export to what the asking page's query string names (one enterprise's ledger); reads stay
        within the user's scope. Most resources export everything the user may see and ignore it."""

    def export_rows(self) -> Iterable[Any]:
        return self.queryset().iterator(chunk_size=1000)

    def values(self, obj: Any) -> dict[str, Any]:
        return {column.field: getattr(obj, column.field) for column in self.columns}

    def scope_of(self, obj: Any) -> str:
        """The materialised path of the node a row belongs to, following the model's `scope_path`."""
        value = obj
        for part in (self.model.scope_path or "").split("__"):
            if not part or value is None:
                break
            value = getattr(value, part)
        return value if isinstance(value, str) else ""

    def may_unmask(self) -> Callable[[Any], bool]:
        """A test per row: does the user hold the personal-data capability at that row's place?"""
        if self.user.is_superuser:
            return lambda obj: True
        paths = self.user.scope_paths(self.pii_capability)
        return lambda obj: any(self.scope_of(obj).startswith(p) for p in paths)

    def audit_target(self, capability: str) -> Any:
        """The object an import or export is recorded against (the top of the user's scope)."""
        raise NotImplementedError

    # -- import --------------------------------------------------------------------------------
    def save(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def parse(self, column: Column, value: Any) -> Any:
        return getattr(self, f"parse_{column.kind}")(value, column)

    def parse_text(self, value: Any, column: Column) -> Any:
        return read_text(value)

    def parse_code(self, value: Any, column: Column) -> Any:
        return read_code(value)

    def parse_id_number(self, value: Any, column: Column) -> Any:
        return read_code(value)

    def parse_phone(self, value: Any, column: Column) -> Any:
        return read_phone(value)

    def parse_date(self, value: Any, column: Column) -> Any:
        return read_date(value)

    def parse_bool(self, value: Any, column: Column) -> Any:
        return read_bool(value)

    def parse_list(self, value: Any, column: Column) -> Any:
        return read_list(value)

    def parse_geojson(self, value: Any, column: Column) -> Any:
        return read_geojson(value)

    def parse_choice(self, value: Any, column: Column) -> Any:
        return read_choice(value, column.choices)


# -- cells for writing -----------------------------------------------------------------------------


def cell_value(column: Column, value: Any, *, masked: bool) -> Any:
    """A Python value as the cell shows it: labels for choices, 是/否, lists joined by 、, GeoJSON as text."""
    if value is None or value == "" or value == []:
        return None
    if masked and column.pii:
        value = _MASKS[column.pii](value)
    elif column.choices is not None and value in column.choices.values:
        value = str(column.choices(value).label)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _text_cell(
    ws: Any, value: Any, font: Font | None = None, fill: PatternFill | None = None
) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula: a name typed as "=…" must not run in Excel
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _prepare_sheet(ws: Any, columns: Iterable[Column]) -> None:
    """Column widths and the frozen header row (write-only sheets need both before the first row)."""
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"


def _header_row(ws: Any, columns: Iterable[Column]) -> list[WriteOnlyCell]:
    return [_text_cell(ws, c.label, font=_HEADER_FONT, fill=_HEADER_FILL) for c in columns]


# -- export ----------------------------------------------------------------------------------------


def export_workbook(resource: Resource, out: BinaryIO | str, *, unmasked: bool = False) -> int:
    """Write the user's visible rows to `out`; personal data masked unless asked for and allowed per row.

    Write-only mode streams rows to disk, so memory stays flat for tens of thousands of residents; the resource's
    queryset fetches related rows in bulk, so the number of queries does not grow with the rows.
    Every export is recorded in the audit log (PIPL: who took which personal data out of the system).
    """
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=resource.sheet_title)
    _prepare_sheet(ws, resource.columns)
    ws.append(_header_row(ws, resource.columns))
    may_unmask = resource.may_unmask() if unmasked and resource.has_pii else None
    rows = clear_rows = 0
    for obj in resource.export_rows():
        clear = may_unmask is not None and may_unmask(obj)
        values = resource.values(obj)
        ws.append(
            [_text_cell(ws, cell_value(c, values.get(c.field), masked=not clear)) for c in resource.columns]
        )
        rows += 1
        clear_rows += clear
    workbook.save(out)
    how = _("未脱敏 %(count)s 行") % {"count": clear_rows} if clear_rows else _("已脱敏")
    audit.record(
        AuditLog.Action.EXPORT,
        resource.audit_target(resource.export_capability),
        user=resource.user,
        changes={"registry": resource.slug, "rows": rows, "unmasked_rows": clear_rows},
        note=_("导出%(title)s %(rows)s 行（%(how)s）") % {"title": resource.label, "rows": rows, "how": how},
    )
    return rows


def template_workbook(resource: Resource, out: BinaryIO | str) -> None:
    """Headers, one example row and a notes sheet explaining every column and its allowed values."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = resource.sheet_title
    for index, column in enumerate(resource.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
        header = ws.cell(row=1, column=index, value=column.label)
        header.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        header.fill = _HEADER_FILL
        example = ws.cell(
            row=2, column=index, value=cell_value(column, resource.example.get(column.field), masked=False)
        )
        example.font = _EXAMPLE_FONT
        if column.kind in ("code", "phone", "id_number"):
            for row in range(2, 1002):
                ws.cell(row=row, column=index).number_format = "@"  # text, so Excel keeps every digit
        allowed = resource.allowed_values(column)
        formula = '"' + ",".join(allowed) + '"'
        if allowed and column.kind in ("choice", "bool") and len(formula) <= 255:
            validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
            validation.add(f"{get_column_letter(index)}2:{get_column_letter(index)}{MAX_ROWS + 1}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"

    notes = workbook.create_sheet(_("填写说明"))
    for line in (
        _("%(title)s导入说明") % {"title": resource.sheet_title},
        _("1. 第1行是列名，请勿修改；黄色列名为必填列。第2行是示例，导入前请删除或改写。"),
        _("2. 号码（手机号、身份证号、区划代码）请把单元格设为“文本”格式，身份证号末位可为X。"),
        _("3. 日期填写如 2025-01-02 或 2025/1/2；是/否列填写“是”或“否”；多个值用“、”或“,”分隔。"),
        _("4. 任何一行有错误时整个文件都不会导入，系统会逐行列出错误，改正后重新导入即可。"),
        _("5. 每个文件最多 %(rows)s 行、%(mb)s MB。")
        % {"rows": MAX_ROWS, "mb": MAX_FILE_BYTES // (1024 * 1024)},
    ):
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=13)
    notes.append([])
    table_header = [_("列名"), _("必填"), _("填写说明"), _("可选值")]
    notes.append(table_header)
    for cell in notes[notes.max_row]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for column in resource.columns:
        notes.append(
            [
                column.label,
                _("是") if column.required else "",
                _(column.help) if column.help else "",
                "、".join(resource.allowed_values(column)),
            ]
        )
    for letter, width in zip("ABCD", (20, 8, 60, 60), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=notes.max_row - len(resource.columns) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(out)


# -- import ----------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第%(row)s行") % {"row": self.row}
        return f"{where} [{self.column}] {self.message}" if self.column else f"{where} {self.message}"


@dataclass
class ImportReport:
    title: str
    dry_run: bool = False
    rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def errors_truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def add(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        if self.error_count:
            return _("%(rows)s 行有错误（共 %(count)s 处），整个文件未导入，请改正后重新导入") % {
                "rows": self.bad_rows,
                "count": self.error_count,
            }
        if self.dry_run:
            return _("校验通过：共 %(rows)s 行，未写入任何数据（仅校验）") % {"rows": self.rows}
        return _("成功导入%(rows)s行") % {"rows": self.imported}


def _file_size(fileobj: Any) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def open_workbook(fileobj: BinaryIO) -> Any:
    """Open an uploaded file, turning every way it can be wrong into one clear FileProblem."""
    size = _file_size(fileobj)
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            _("文件过大（%(size).1f MB），单个文件不能超过 %(limit)s MB，请拆分后分批导入")
            % {"size": size / (1024 * 1024), "limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # The OLE container: an old .xls, or an .xlsx protected with a password (stored encrypted inside one).
        raise FileProblem(
            _(
                "这是旧版 .xls 文件或设置了打开密码的文件，请在 Excel 或 WPS 中取消密码并“另存为” .xlsx 格式后再导入"
            )
        )
    if not head.startswith(b"PK"):
        raise FileProblem(_("文件不是 xlsx 格式，请上传 Excel 2007 及以上版本的 .xlsx 文件"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            return load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        raise FileProblem(_("文件已损坏或不是有效的 xlsx 文件，无法读取")) from exc


def _sheet_rows(ws: Any) -> Iterator[tuple[Any, ...]]:
    """Rows of a read-only sheet; damage found while streaming the XML becomes a FileProblem."""
    try:
        yield from ws.iter_rows(values_only=True)
    except Exception as exc:  # XML and zip errors surface only while reading
        raise FileProblem(_("文件已损坏或不是有效的 xlsx 文件，无法读取")) from exc


def _normalise_header(value: Any) -> str:
    text = re.sub(r"\s+", "", read_text(value)) if not is_blank(value) else ""
    return _REQUIRED_MARKS.sub("", text)


def _match_headers(resource: Resource, rows: Iterator[tuple[Any, ...]]) -> tuple[int, dict[int, Column]]:
    """Find the header row among the first few and map cell positions to columns."""
    known: dict[str, Column] = {}
    for column in resource.columns:
        known[re.sub(r"\s+", "", column.header)] = column
        known[re.sub(r"\s+", "", column.label)] = column
    for number, row in enumerate(rows, start=1):
        mapping: dict[int, Column] = {}
        for index, value in enumerate(row):
            found = known.get(_normalise_header(value))
            if found is not None and found not in mapping.values():
                mapping[index] = found
        if mapping:
            missing = [c.label for c in resource.columns if c.required and c not in mapping.values()]
            if missing:
                raise FileProblem(
                    _("第%(row)s行的列名中缺少必填列：%(columns)s（请使用导入模板中的列名）")
                    % {"row": number, "columns": "、".join(missing)}
                )
            return number, mapping
        if number >= HEADER_SEARCH_ROWS:
            break
    raise FileProblem(
        _("找不到列名行：前 %(rows)s 行中没有“%(title)s”的列名，请使用导入模板")
        % {"rows": HEADER_SEARCH_ROWS, "title": resource.sheet_title}
    )


def _validation_messages(exc: ValidationError) -> Iterator[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            for message in messages:
                yield name, message
    else:
        for message in exc.messages:
            yield "", message


def import_workbook(
    resource: Resource, fileobj: BinaryIO, *, dry_run: bool = False, filename: str = ""
) -> ImportReport:
    """Import every row or none: see the module docstring. Never raises for bad input; read the report."""
    report = ImportReport(title=resource.sheet_title, dry_run=dry_run)
    try:
        workbook = open_workbook(fileobj)
    except FileProblem as exc:
        report.file_error = str(exc)
        return report
    ctx = current()
    try:
        sheet = (
            workbook[resource.sheet_title]
            if resource.sheet_title in workbook.sheetnames
            else (workbook.worksheets[0] if workbook.worksheets else None)
        )
        if sheet is None:
            raise FileProblem(_("文件中没有工作表"))
        rows = _sheet_rows(sheet)
        header_row, mapping = _match_headers(resource, rows)
        with (
            acting(resource.user, request_id=ctx.request_id if ctx else None, ip=ctx.ip if ctx else None),
            transaction.atomic(),
        ):
            _import_rows(resource, rows, header_row, mapping, report)
            if report.ok and not dry_run:
                audit.record(
                    AuditLog.Action.IMPORT,
                    resource.audit_target(resource.import_capability),
                    user=resource.user,
                    changes={"registry": resource.slug, "rows": report.imported, "file": filename[:200]},
                    note=_("导入%(title)s %(rows)s 行") % {"title": resource.label, "rows": report.imported},
                )
            else:
                transaction.set_rollback(True)
    except FileProblem as exc:
        report.file_error = str(exc)
    finally:
        workbook.close()
    if not report.ok or dry_run:
        report.imported = 0
    return report


def _import_rows(
    resource: Resource,
    rows: Iterator[tuple[Any, ...]],
    header_row: int,
    mapping: dict[int, Column],
    report: ImportReport,
) -> None:
    resource.present_fields = {c.field for c in mapping.values()}
    absent = [c for c in resource.columns if c not in mapping.values()]
    seen: dict[tuple[str, ...], dict[tuple[Any, ...], int]] = {key: {} for key in resource.unique_together}
    for number, cells in enumerate(rows, start=header_row + 1):
        if all(is_blank(v) for v in cells):
            continue
        report.rows += 1
        if report.rows > MAX_ROWS:
            raise FileProblem(
                _("行数超过上限：每个文件最多 %(limit)s 行，请拆分后分批导入") % {"limit": MAX_ROWS}
            )
        row: dict[str, Any] = {c.field: c.blank_value for c in absent}
        failed = False
        for index, column in mapping.items():
            value = cells[index] if index < len(cells) else None
            if is_blank(value):
                if column.required:
                    report.add(number, column.label, _("必填，不能为空"))
                    failed = True
                row[column.field] = column.blank_value
                continue
            try:
                row[column.field] = resource.parse(column, value)
            except CellError as exc:
                report.add(number, column.label, str(exc))
                failed = True
        if failed:
            continue
        if _repeats_earlier_row(resource, row, number, seen, report):
            continue
        _save_row(resource, row, number, report)


def _repeats_earlier_row(
    resource: Resource,
    row: dict[str, Any],
    number: int,
    seen: dict[tuple[str, ...], dict[tuple[Any, ...], int]],
    report: ImportReport,
) -> bool:
    repeated = False
    for key, rows_by_value in seen.items():
        values = tuple(row.get(name) for name in key)
        if all(v in (None, "", []) for v in values):
            continue
        values = tuple(tuple(v) if isinstance(v, list) else v for v in values)
        if values in rows_by_value:
            columns = [c.label for name in key if (c := resource.column_for(name)) is not None]
            report.add(
                number,
                columns[-1] if columns else "",
                _("与第%(row)s行重复（%(columns)s相同）")
                % {"row": rows_by_value[values], "columns": "、".join(columns)},
            )
            repeated = True
        else:
            rows_by_value[values] = number
    return repeated


def _save_row(resource: Resource, row: dict[str, Any], number: int, report: ImportReport) -> None:
    try:
        with transaction.atomic():
            resource.save(row)
    except ValidationError as exc:
        for name, message in _validation_messages(exc):
            column = resource.column_for(name)
            report.add(number, column.label if column else "", message)
        return
    except PermissionDenied as exc:
        report.add(number, "", str(exc) or _("没有权限"))
        return
    except IntegrityError:
        report.add(number, "", _("与已有数据冲突（重复的编码或号码）"))
        return
    report.imported += 1


# -- the registry: every app's resources, for the one set of pages and commands --------------------------------

_registry: dict[str, type[Resource]] = {}


def register(*resource_classes: type[Resource]) -> None:
    """Called by an app's spreadsheets.py when it loads (its AppConfig.ready imports it)."""
    for cls in resource_classes:
        known = _registry.get(cls.slug)
        if known is not None and known is not cls:
            raise ImproperlyConfigured(f"two spreadsheet resources share the slug {cls.slug!r}")
        _registry[cls.slug] = cls


def resources(app_label: str | None = None) -> dict[str, type[Resource]]:
    """Registered resources by slug, in registration order (one app's, or all)."""
    return {slug: cls for slug, cls in _registry.items() if app_label is None or cls.app_label == app_label}
