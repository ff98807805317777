from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap


class DeliberationConfig(AppConfig):
    name = "minsheng.deliberation"
    label = "deliberation"
    verbose_name = _("议事协商")

    def ready(self):
        from minsheng.core import navigation

        from . import metrics, spreadsheets  # noqa: F401 - registers the xlsx ledgers

        metrics.register_all()
        metrics.register_oversight()
        navigation.register(
            _("议事会议"), "deliberation:meetings", "people", Cap.DELIBERATION_VIEW, order=15.90
        )
        # The schedule, the campaigns and the figures are the organisers' and leaders' (decision 0060).
        organisers = (Cap.DELIBERATION_MANAGE, Cap.INSIGHTS_VIEW)
        navigation.register(_("例会安排"), "deliberation:series", "sheet", organisers, order=15.91)
        navigation.register(
            _("我的走访"), "deliberation:my_round", "house", Cap.DELIBERATION_VIEW, order=15.92
        )
        navigation.register(_("走访活动"), "deliberation:campaigns", "flag", organisers, order=15.93)
        navigation.register(_("联户交心"), "deliberation:linked", "link", Cap.DELIBERATION_VIEW, order=15.94)
        navigation.register(_("红色管家"), "deliberation:teams", "people", Cap.DELIBERATION_VIEW, order=15.95)
        navigation.register(_("议事统计"), "deliberation:figures", "chart", organisers, order=15.96)
