"""The 工作台 card of enterprise services. Every staff member sees the 提交招商线索 door (全员线索收集 — they hold no
enterprise capability and have no menu entry); enterprise staff and leaders also see what waits for them."""

from django.db.models import Q

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.navigation import register_panel
from minsheng.core.pagination import capped_count

from ..choices import LOSABLE
from ..models import Problem, Project


def home_panel(request):
    user = request.user
    if not getattr(user, "is_staff_member", False):
        return None
    data = {"can_view": user.has_cap(Cap.ENTERPRISE_VIEW)}
    if data["can_view"]:
        now = clock.now()
        projects = Project.objects.visible_to(user).filter(stage__in=LOSABLE)
        problems = Problem.objects.visible_to(user).filter(closed_at__isnull=True)
        data.update(
            {
                "overdue": capped_count(projects.filter(Q(stage_due__lt=now) | Q(is_supervised=True))),
                "mine": capped_count(projects.filter(owner=user)),
                "awaiting": capped_count(problems.filter(case__status__in=["resolved", "archived"])),
            }
        )
    return data


register_panel("enterprise/_home_panel.html", home_panel, order=40)
