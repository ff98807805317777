"""The source article's figures, as reference data: what the article reports, and the registered metric (if any)
that regenerates it from the platform's data. The work report prints both side by side. A figure with no metric
yet belongs to a domain not merged (or not measured) and shows as 未接入.
"""

from django.utils.translation import gettext_lazy as _

SOURCE = _("来源：原文（街道基层治理工作经验材料）")

#: (what the article says, the article's figure as printed, metric code or "")
FIGURES: tuple[tuple[object, str, str], ...] = (
    (_("解决群众身边问题"), "300余个", "cases.resolved"),
    (_("收集意见建议"), "1100余条", "deliberation.items_raised"),
    (_("其中解决"), "700余条", "deliberation.items_solved"),
    (_("参与群众"), "2万余人次", "deliberation.attendance"),
    (_("发放宣传资料"), "10270份", "agri.publicity"),
    (_("每月检查农资门店"), "54家", "agri.stores_inspected"),
    (_("签订责任书"), "10300份", "agri.letters"),
    (_("回收农药包装废弃物"), "5.54吨", "agri.waste_kg"),
    (_("街道每周抽检蔬菜"), "不少于10批次", "agri.samples"),
    (_("抽检合格率"), "100%", "agri.pass_rate"),
    (_("物联网传感器"), "3000余个", "iot.sensors"),
    (_("受理信访"), "371件", ""),
    (_("信访办结率"), "95%", ""),
    (_("调解矛盾纠纷"), "920起", ""),
    (_("调解成功率"), "96.3%", ""),
    (_("签约项目金额"), "28.6亿元", ""),
    (_("开展培训"), "13场", ""),
    (_("政企对接活动"), "5场", ""),
)
