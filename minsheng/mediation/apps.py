from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "minsheng.mediation"
    label = "mediation"
    verbose_name = _("矛调中心")

    def ready(self) -> None:
        from minsheng.core import navigation

        from . import metrics

        metrics.register_all()
        nav = navigation.register
        nav(_("接待窗口"), "mediation:desk", "user", "mediation.receive", order=20.0)
        nav(_("来访登记"), "mediation:visits", "sheet", "mediation.view", order=20.1)
        nav(_("矛盾纠纷调解"), "mediation:disputes", "people", "mediation.view", order=20.2)
        nav(_("信访事项"), "mediation:petitions", "inbox", "petition.view", order=20.3)
        nav(_("领导公开接访"), "mediation:reception_days", "flag", "petition.view", order=20.4)
        nav(_("诉调警调访调对接"), "mediation:referrals", "link", "mediation.view", order=20.5)
        nav(_("每周排查上报"), "mediation:weekly", "sheet", "mediation.report", order=20.6)
        nav(_("每周研判分析"), "mediation:analysis", "chart", "mediation.view", order=20.7)
        nav(_("矛调统计"), "mediation:figures", "chart", "mediation.view", order=20.8)
