from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap


class MediationConfig(AppConfig):
    name = "minsheng.mediation"
    label = "mediation"
    verbose_name = _("矛调中心")

    def ready(self) -> None:
        from minsheng.core import navigation

        from . import metrics, oversight, spreadsheets  # noqa: F401 - spreadsheets registers the centre's ledgers

        metrics.register_all()
        oversight.register_all()
        nav = navigation.register
        nav(_("接待窗口"), "mediation:desk", "user", Cap.MEDIATION_RECEIVE, order=20.0)
        nav(_("来访登记"), "mediation:visits", "sheet", Cap.MEDIATION_VIEW, order=20.1)
        nav(_("矛盾纠纷调解"), "mediation:disputes", "people", Cap.MEDIATION_VIEW, order=20.2)
        nav(_("信访事项"), "mediation:petitions", "inbox", Cap.PETITION_VIEW, order=20.3)
        nav(_("领导公开接访"), "mediation:reception_days", "flag", Cap.PETITION_VIEW, order=20.4)
        nav(_("诉调警调访调对接"), "mediation:referrals", "link", Cap.MEDIATION_VIEW, order=20.5)
        nav(_("每周排查上报"), "mediation:weekly", "sheet", Cap.MEDIATION_REPORT, order=20.6)
        nav(_("每周研判分析"), "mediation:analysis", "chart", Cap.MEDIATION_VIEW, order=20.7)
        nav(_("矛调统计"), "mediation:figures", "chart", Cap.MEDIATION_VIEW, order=20.8)
