"""The workbench's navigation: small registries the sidebar, the phone's bottom bar and the home page are drawn from.

Apps register their pages with `register()`. An entry whose URL name does not resolve (yet) is skipped, so an app
can register before its urls exist, and an entry with a capability is shown only to users holding it somewhere.
The default entries are registered at the bottom of this module (they live here, not in each AppConfig, so the
whole menu reads in one place).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    label: str | Promise
    url_name: str
    icon: str
    #: Shown to users holding this capability somewhere; a tuple: holding any one of them.
    capability: str | tuple[str, ...] | None = None
    order: float = 100
    #: Offered in the phone's bottom bar (the first four such entries the user may see; the rest go under 更多).
    bottom: bool = False
    #: The bottom bar's shorter word for it (上报 for 登记诉求), when the menu's label is too long for a phone.
    short: str | Promise | None = None
    #: Added to the URL (``?mine=1``): a second entry for the same page, lit only when the query matches.
    query: str = ""


_registry: dict[str, Entry] = {}


def register(
    label: str | Promise,
    url_name: str,
    icon: str,
    capability: str | tuple[str, ...] | None = None,
    order: float = 100,
    *,
    bottom: bool = False,
    short: str | Promise | None = None,
    query: str = "",
) -> None:
    """Add (or replace, keyed by URL name and query) a menu entry. `icon` is a name known to the `icon` template
    tag; `query` ("mine=1") makes a second entry for a page another entry already names."""
    key = f"{url_name}?{query}" if query else url_name
    _registry[key] = Entry(label, url_name, icon, capability, order, bottom, short, query)


def _allowed(entry: Entry, user: Any) -> bool:
    if entry.capability is None:
        return True
    if isinstance(entry.capability, tuple):
        return any(user.has_cap(cap) for cap in entry.capability)
    return user.has_cap(entry.capability)


#: Menu sections: an entry belongs to the last section whose starting order is not above its own. The sidebar and
#: the phone's 全部功能 sheet print a heading where a section begins; the entries before the first have none.
SECTIONS: list[tuple[float, object]] = [
    (11, _("领导驾驶舱")),
    (12, _("民生诉求")),
    (15.9, _("议事协商")),
    (16, _("农产品质量安全")),
    (20, _("矛调中心")),
    (20.95, _("企业服务")),
    (21, _("智慧大棚")),
    (23.5, _("樱桃产业")),
    (24.05, _("活动与志愿")),
    (25, _("组织与网格")),
    (105, _("系统")),
]


def section_of(order: float) -> object:
    label = None
    for start, name in SECTIONS:
        if order >= start:
            label = name
    return label


def entries_for(user: Any, path: str = "") -> list[dict[str, Any]]:
    """The entries `user` may see, in menu order, each with its URL and whether it is the current page (`path`
    may carry the query string: an entry with a query is lit only when the page's query holds it)."""
    if user is None or not user.is_authenticated or not getattr(user, "is_staff_member", False):
        return []
    items: list[dict[str, Any]] = []
    for entry in sorted(_registry.values(), key=lambda e: (e.order, e.url_name)):
        if not _allowed(entry, user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        if entry.query:
            url = f"{url}?{entry.query}"
        section = section_of(entry.order)
        heading = (
            section if section is not None and (not items or items[-1]["in_section"] != section) else None
        )
        items.append(
            {
                "label": entry.label,
                "url_name": entry.url_name,
                "url": url,
                "icon": entry.icon,
                "bottom": entry.bottom,
                "short": entry.short or entry.label,
                "in_section": section,
                "section": heading,
            }
        )
    _mark_active(items, path)
    return items


def _mark_active(items: list[dict[str, Any]], path: str) -> None:
    """The current page is the entry with the longest URL that prefixes the path ("/" only matches itself); an
    entry whose URL has a query matches its page only when every pair of that query is in the path's."""
    path, _sep, query = path.partition("?")
    pairs = set(query.split("&")) if query else set()
    best = None
    for item in items:
        url, _sep, wanted = item["url"].partition("?")
        if wanted and not set(wanted.split("&")) <= pairs:
            continue
        matches = path == url if url == "/" else path.startswith(url)
        if matches and (best is None or len(item["url"]) > len(best["url"])):
            best = item
    for item in items:
        item["active"] = item is best


BOTTOM_BAR_SIZE = 4


def bottom_bar(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["bottom"]][:BOTTOM_BAR_SIZE]


# -- home page panels -------------------------------------------------------------------------------------------
# Apps put their own cards on the 工作台 without core importing them: `register_panel(template, build)`, where
# `build(request)` returns the template's context (or None to leave the panel out for this user).

_panels: dict[str, tuple[int, Callable[[HttpRequest], dict[str, Any] | None]]] = {}


def register_panel(
    template: str, build: Callable[[HttpRequest], dict[str, Any] | None], order: int = 100
) -> None:
    _panels[template] = (order, build)


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    panels: list[dict[str, Any]] = []
    for template, (_order, build) in sorted(_panels.items(), key=lambda item: (item[1][0], item[0])):
        context = build(request)
        if context is not None:
            panels.append({"template": template, "context": context})
    return panels


register(_("工作台"), "core:home", "home", order=10, bottom=True)
register(_("诉求案件"), "cases:todo", "inbox", "cases.view", order=12, bottom=True)
register(_("登记诉求"), "cases:create", "plus", "cases.create", order=13, bottom=True, short=_("上报"))
register(_("案件地图"), "cases:map", "pin", "cases.view", order=14)
# The figures are the desk's and the leaders' work, not the field's (decision 0060).
register(_("统计分析"), "cases:metrics", "chart", ("cases.accept", "cases.supervise"), order=15)
register(_("现场速测"), "agri:field", "plus", "agri.record", order=16, bottom=True)
register(_("农产品监管"), "agri:dashboard", "chart", "agri.view", order=16.1)
register(_("抽检记录"), "agri:samples", "sheet", "agri.view", order=16.2)
register(_("跟踪复抽"), "agri:follow_ups", "pin", "agri.view", order=16.3)
register(_("抽检任务"), "agri:tasks", "sheet", "agri.view", order=16.4)
register(_("专项行动"), "agri:campaigns", "flag", "agri.view", order=16.5)
register(_("合格率分析"), "agri:pass_rates", "chart", "agri.view", order=16.6)
register(_("合格证"), "agri:certificates", "edit", "agri.view", order=16.7)
register(_("生产经营主体"), "agri:producers", "people", "agri.view", order=17)
register(_("农资门店"), "agri:stores", "building", "agri.view", order=17.1)
register(_("门店巡查"), "agri:inspection_schedule", "sheet", "agri.view", order=17.2)
register(_("责任书"), "agri:letters", "edit", "agri.view", order=17.3)
register(_("宣传资料"), "agri:publicity", "people", "agri.view", order=17.4)
register(_("废弃物回收"), "agri:waste", "sheet", "agri.view", order=17.5)
register(_("节假日值班"), "agri:duty", "bell", "agri.view", order=17.6)
register(_("农业台账导入导出"), "agri:io", "sheet", ("agri.manage", "insights.view"), order=17.7)
register(_("告警台"), "iot:alarms", "bell", "iot.view", order=21)
register(_("片区"), "iot:clusters", "grid", "iot.view", order=21.5)
register(_("大棚地图"), "iot:map", "map", "iot.view", order=22)
register(_("设备状态"), "iot:devices", "gear", "iot.view", order=23)
register(_("告警通知设置"), "iot:preferences", "bell", "iot.view", order=23.4)
register(_("组织架构"), "org:tree", "tree", "org.view", order=25)
register(_("网格"), "org:grid_list", "grid", "org.view", order=30, bottom=True)
register(_("网格地图"), "org:grid_map", "map", "org.view", order=40)
register(_("居民"), "org:resident_list", "people", "org.view", order=50, bottom=True)
register(_("户"), "org:household_list", "house", "org.view", order=60)
register(_("党组织"), "org:party_list", "flag", "org.view", order=70)
register(_("物业"), "org:property_list", "building", "org.view", order=80)
register(_("包联责任"), "org:assignment_list", "link", "org.view", order=90)
register(_("台账导入导出"), "org_io:index", "sheet", "org.export", order=100)
register(_("消息"), "notifications:inbox", "bell", order=110)
# Every staff member's own record on the 效能 board (leaders reach the whole board by 效能通报, the same page).
register(_("我的效能"), "insights:efficiency", "user", order=10.5, query="mine=1")
# Superusers hold every capability, so this reads "superusers and account managers".
register(_("系统配置"), "admin:index", "gear", "accounts.manage", order=900)
