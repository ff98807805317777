from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "minsheng.insights"
    label = "insights"
    verbose_name = _("领导驾驶舱")

    def ready(self) -> None:
        from minsheng.core import navigation

        navigation.register(_("驾驶舱"), "insights:cockpit", "chart", "insights.view", order=11.0)
        navigation.register(_("全部指标"), "insights:metrics", "sheet", "insights.view", order=11.1)
        navigation.register(_("工作成效报告"), "insights:report", "flag", "insights.view", order=11.2)
        navigation.register(_("效能通报"), "insights:efficiency", "people", "insights.view", order=11.3)
