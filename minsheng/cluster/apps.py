from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClusterConfig(AppConfig):
    name = "minsheng.cluster"
    label = "cluster"
    verbose_name = _("樱桃产业")

    def ready(self) -> None:
        from minsheng.core.navigation import register

        from . import metrics, spreadsheets  # noqa: F401 - registers the xlsx resources

        metrics.register_all()
        register(_("产业概览"), "cluster:home", "chart", "cluster.view", order=23.5)
        register(_("种植户与果园"), "cluster:growers", "people", "cluster.view", order=23.6)
        register(_("采收与销售登记"), "cluster:entry", "sheet", "cluster.record", order=23.7)
        register(_("技术与培训"), "cluster:techniques", "flag", "cluster.view", order=23.8)
        register(_("电商直播"), "cluster:sellers", "building", "cluster.view", order=23.9)
        register(_("合作社与龙头带动"), "cluster:organisations", "link", "cluster.view", order=23.65)
