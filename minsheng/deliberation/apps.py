from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "minsheng.deliberation"
    label = "deliberation"
    verbose_name = _("议事协商")

    def ready(self):
        from minsheng.core import navigation

        from . import metrics

        metrics.register_all()
        metrics.register_oversight()
        navigation.register(
            _("议事会议"), "deliberation:meetings", "people", "deliberation.view", order=15.90
        )
        navigation.register(_("例会安排"), "deliberation:series", "sheet", "deliberation.view", order=15.91)
        navigation.register(_("我的走访"), "deliberation:my_round", "house", "deliberation.view", order=15.92)
        navigation.register(_("走访活动"), "deliberation:campaigns", "flag", "deliberation.view", order=15.93)
        navigation.register(_("联户交心"), "deliberation:linked", "link", "deliberation.view", order=15.94)
        navigation.register(_("红色管家"), "deliberation:teams", "people", "deliberation.view", order=15.95)
        navigation.register(_("议事统计"), "deliberation:figures", "chart", "deliberation.view", order=15.96)
