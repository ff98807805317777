from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgriConfig(AppConfig):
    name = "minsheng.agri"
    label = "agri"
    verbose_name = _("农产品质量安全")

    def ready(self) -> None:
        from . import metrics, spreadsheets  # noqa: F401 - registers the app's xlsx resources

        metrics.register_all()
        metrics.register_duties()

        _register_case_sources()


def _register_case_sources() -> None:
    """How a rectification case names the failed sample or the store inspection it came from (cases.sources)."""
    from django.urls import reverse
    from django.utils import timezone

    from minsheng.cases import sources

    from .models import Sample, StoreInspection

    sources.register(
        Sample,
        kind=_("农残抽检样品"),
        label=lambda s: (
            f"{s.producer.name if s.producer_id else s.stall} · {s.commodity.name} · "
            f"{timezone.localdate(s.sampled_at):%Y-%m-%d}"
        ),
        url=lambda s: reverse("agri:sample_detail", args=[s.pk]),
    )
    sources.register(
        StoreInspection,
        kind=_("农资门店检查"),
        label=lambda i: f"{i.store.name} · {timezone.localdate(i.inspected_at):%Y-%m-%d}",
        url=lambda i: reverse("agri:inspection_detail", args=[i.pk]),
    )
