from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap


class ActivitiesConfig(AppConfig):
    name = "minsheng.activities"
    label = "activities"
    verbose_name = _("活动与志愿")

    def ready(self) -> None:
        from minsheng.cases.signals import case_event
        from minsheng.core import navigation

        from . import metrics
        from .actions.volunteers import on_case_event

        metrics.register()
        case_event.connect(on_case_event, dispatch_uid="activities-volunteer-hours")
        register = navigation.register
        register(_("活动"), "activities:events", "flag", Cap.ACTIVITIES_VIEW, order=24.1)
        register(_("发布活动"), "activities:event_create", "plus", Cap.ACTIVITIES_MANAGE, order=24.2)
        register(_("志愿者"), "activities:volunteers", "people", Cap.ACTIVITIES_VIEW, order=24.3)
        register(_("志愿服务队"), "activities:teams", "grid", Cap.ACTIVITIES_VIEW, order=24.4)
        register(_("服务时长"), "activities:records", "sheet", Cap.ACTIVITIES_VIEW, order=24.5)
        register(_("积分超市"), "activities:market", "house", Cap.ACTIVITIES_VIEW, order=24.6)
        register(_("双报到"), "activities:dual", "building", Cap.ACTIVITIES_VIEW, order=24.7)
        register(
            _("活动统计"),
            "activities:figures",
            "chart",
            (Cap.ACTIVITIES_MANAGE, Cap.INSIGHTS_VIEW),
            order=24.8,
        )
        register(_("场地与系列活动"), "activities:places", "pin", Cap.ACTIVITIES_VIEW, order=24.85)
