"""What the background processes leave behind so that `minsheng doctor` (on any machine) can tell they live."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last sign of life of one named background duty: an ingest consumer (`ingest:<client id>`) or a
    periodic job (`periodic:<job>`). One row per name, overwritten; the database is the one place every process
    of a deployment can reach, whichever machine it runs on."""

    name = models.CharField(_("名称"), max_length=150, primary_key=True)
    host = models.CharField(_("主机"), max_length=150, blank=True)
    pid = models.PositiveIntegerField(_("进程号"), default=0)
    seen_at = models.DateTimeField(_("最近活动"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("心跳")
        verbose_name_plural = _("心跳")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.host}:{self.pid}"
