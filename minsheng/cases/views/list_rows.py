"""The rows of the workbench's case list, written in Python (decision 0075).

The list template drew each of its 20–100 rows with some thirty template nodes — two `{% url %}`, three
`get_…_display`, two `|date`, a handful of `{% translate %}` — which made the rows, after the filter bar, the
largest part of a list page's time. Here every label, URL head and translation is looked up once per page and each
row is one f-string. The markup is exactly what cases/workbench/list.html wrote before (the tests compare pages
cell by cell); change the two together.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..choices import Channel, Status, Urgency

_SENTINEL = 987654321


def _stamp(value, *, year: bool) -> str:
    """`{{ value|date:"Y-m-d H:i" }}` (year) or `{{ value|date:"m-d H:i" }}`, in the current time zone."""
    if value is None:
        return ""
    t = timezone.localtime(value)
    day = f"{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"
    return f"{t.year:04d}-{day}" if year else day


def render_rows(rows: list[dict], *, can_dispatch: bool, list_name: str) -> SafeString:
    """The `<tr>`s of `rows` (workbench.rows_of), with the check box column when the page offers bulk dispatch
    and the user's own last step instead of the registration time on 已办."""
    detail = escape(reverse("cases:detail", args=[_SENTINEL])).replace(str(_SENTINEL), "{}")
    channels = {k: escape(str(v)) for k, v in Channel.choices}
    urgencies = {k: escape(str(v)) for k, v in Urgency.choices}
    statuses = {k: escape(str(v)) for k, v in Status.choices}
    key = f' · <span class="badge badge-orange">{escape(gettext("包案"))}</span>'
    supervised = f' · <span class="badge badge-orange">{escape(gettext("督办"))}</span>'
    pending = f' <span class="badge badge-orange">{escape(gettext("待审批"))}</span>'
    to_accept = f'<small class="case-sub">{escape(gettext("待受理"))}</small>'
    to_sign = f'<small class="case-sub">{escape(gettext("待签收"))}</small>'
    pick = gettext("选择 %(n)s")  # as {% blocktranslate %} does: the number escaped, the sentence not
    done = list_name == "done"
    out = []
    for row in rows:
        case = row["case"]
        url = detail.format(case.pk)
        number = escape(case.number)
        check = ""
        if can_dispatch:
            box = (
                f'<input type="checkbox" class="case-check" name="cases" value="{case.pk}" form="bulk-form" '
                f'aria-label="{pick % {"n": number}}">'
                if row["dispatchable"]
                else ""
            )
            check = f'<td class="cell-check">{box}</td>'
        sub = f"{escape(case.category.name)} · {channels.get(case.channel) or escape(case.channel)}"
        if case.urgency != "normal":
            sub += f' · <span class="badge badge-red">{urgencies.get(case.urgency) or escape(case.urgency)}</span>'
        if case.is_key:
            sub += key
        if case.is_supervised:
            sub += supervised
        place = escape(case.node.name)
        if case.grid_id is not None:
            place += f'<span class="case-sub case-sub-line">{escape(case.grid.name)}</span>'
        unit = ""
        if case.lead_unit_id is not None:
            unit = escape(case.lead_unit.name)
            if case.handler_id is not None:
                unit += f'<span class="case-sub case-sub-line">{escape(case.handler)}</span>'
        due = ""
        if row["deadline_badge"]:
            title = f' title="{escape(row["due_label"])}"' if row["due_label"] else ""
            waiting = ""
            if case.status == "registered":
                waiting = to_accept
            elif case.status == "dispatched" and case.signed_at is None and row["due"] == case.sign_due:
                waiting = to_sign
            due = (
                f'<span class="due"><span class="badge {escape(row["deadline_badge"])}"{title}>'
                f"{escape(row['deadline_label'])}</span><small>{_stamp(row['due'], year=False)}</small>"
                f"{waiting}</span>"
            )
        when = _stamp(case.my_last if done else case.reported_at, year=True)
        out.append(
            f"""
    <tr>
      {check}
      <td class="case-number cell-number"><a href="{url}">{number}</a></td>
      <td class="cell-title"><a class="case-title" href="{url}">{escape(case.title)}</a>
        <span class="case-sub">{sub}</span></td>
      <td class="cell-status"><span class="badge {escape(row["status_badge"])}">{statuses.get(case.status) or escape(case.status)}</span>{pending if case.pending else ""}</td>
      <td class="cell-place">{place}</td>
      <td class="cell-unit">{unit}</td>
      <td class="cell-due">{due}</td>
      <td class="nowrap case-sub cell-time">{when}</td>
    </tr>
    """
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
