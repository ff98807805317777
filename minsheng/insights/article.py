"""The source article's figures, as reference data: what the article reports, and the registered metric (if any)
that regenerates it from the platform's data. The work report prints both side by side. A figure with no metric
yet belongs to a domain not merged (or not measured) and shows as 未接入.
"""

from django.utils.translation import gettext_lazy as _

SOURCE = _("来源：原文（街道基层治理工作经验材料）")

#: (what the article says, the article's figure as printed, metric code or "") — in the article's order. The
#: article counts "今年以来" (this year so far) unless it says 累计; pick the period on the report accordingly.
FIGURES: tuple[tuple[object, str, str], ...] = (
    (_("党员干部下沉为居民解决实际问题"), "300余个", "cases.resolved"),
    (_("阳光开放日累计收集意见建议"), "1100余条", "deliberation.items_raised"),
    (_("其中解决水电、停车等问题"), "700余件", "deliberation.items_solved"),
    (_("公益市集、书画笔会、一村一年一场戏等活动参与"), "超过2万人次", "activities.person_times"),
    (_("发放宣传材料"), "10270余份", "agri.publicity"),
    (_("每月检查农资经营门店"), "54家", "agri.stores_inspected"),
    (_("签订农产品质量安全责任书"), "10300余份", "agri.letters"),
    (_("清运农药包装废弃物"), "5.54吨", "agri.waste_kg"),
    (_("街道每周蔬菜采样检测"), "不少于10个批次", "agri.samples"),
    (_("农残抽检合格率"), "100%", "agri.pass_rate"),
    (_("樱桃产业面积"), "1.1万亩", "cluster.area"),
    (_("樱桃年产值"), "超过4亿元", "cluster.output_value"),
    (_("推广冷链降温等先进技术"), "30余项", "cluster.techniques"),
    (_("智能温控传感器"), "3000余个", "iot.sensors"),
    (_("打造带货达人孵化中心"), "2处", "cluster.centres"),
    (_("培育直播带货达人"), "120余人", "cluster.sellers"),
    (_("矛调中心接待群众"), "230余人（次）", "mediation.reception_count"),
    (_("处理初信初访案件"), "371件", "mediation.first_petitions"),
    (_("初信初访结服率"), "95%以上", "mediation.served_rate"),
    (_("调解矛盾纠纷"), "920余件", "mediation.disputes_accepted"),
    (_("矛盾纠纷一次性办结率"), "96.3%", "mediation.one_time_rate"),
    (_("签约项目总投资"), "28.6亿元", "enterprise.signed_total"),
    (_("开展企业专题培训"), "13次", "enterprise.trainings"),
    (_("政银企对接活动"), "5次", "enterprise.matchmaking_events"),
    (_("政银企对接企业"), "30余家", "enterprise.matchmaking_enterprises"),
    (_("送政策进企业活动"), "12场次", "enterprise.policy_events"),
)
