from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap


class EnterpriseConfig(AppConfig):
    name = "minsheng.enterprise"
    label = "enterprise"
    verbose_name = _("企业服务")

    def ready(self) -> None:
        from minsheng.core.navigation import register

        from . import metrics, oversight, spreadsheets  # noqa: F401 - registers the xlsx resources
        from .views import panel  # noqa: F401  (registers the 工作台 card)

        metrics.register_all()
        oversight.register_all()
        register(_("企业服务"), "enterprise:home", "chart", Cap.ENTERPRISE_VIEW, order=20.95)
        register(_("企业名录"), "enterprise:list", "building", Cap.ENTERPRISE_VIEW, order=20.96)
        register(_("招商项目"), "enterprise:board", "flag", Cap.ENTERPRISE_VIEW, order=20.97)
        register(_("问题台账"), "enterprise:ledger", "sheet", Cap.ENTERPRISE_VIEW, order=20.98)
        register(_("活动与政策"), "enterprise:events", "people", Cap.ENTERPRISE_VIEW, order=20.99)
        _register_case_source()


def _register_case_source() -> None:
    """A 企业诉求 case's page links to its ledger item (cases.sources): the cockpit lists an overdue item once, as
    the case it is (decision 0071), and the leader goes on from the case to the ledger."""
    from django.urls import reverse

    from minsheng.cases import sources

    from .models import Problem

    sources.register(
        Problem,
        kind=_("企业问题"),
        label=lambda p: p.enterprise.name,
        url=lambda p: f"{reverse('enterprise:ledger')}?q={p.case.number}" if p.case_id else None,
    )
