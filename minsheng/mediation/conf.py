"""The centre's configurable defaults. Statutory time limits whose article numbers the research could not confirm,
and local practice (risk rule, repeat window), are defaults an installation overrides in settings.MINSHENG_MEDIATION
— never constants in code. docs/mediation.md lists each with its source and whether it was verified.
"""

from django.conf import settings

DEFAULTS: dict = {
    # 信访工作条例 (2022): natural days. 告知/办理/延期 verified in a secondary source; 复查/复核 unverified.
    "petition_notice_days": 15,
    "petition_handle_days": 60,
    "petition_extension_days": 30,
    "petition_review_request_days": 30,
    "petition_review_answer_days": 30,
    # 人民调解工作若干规定 第33条: normally concluded within one month.
    "mediation_months": 1,
    # 人民调解法 第33条: 30 days to apply jointly for 司法确认 after the agreement takes effect.
    "judicial_confirmation_days": 30,
    # 履行回访: when no performance date is agreed, the follow-up is due this many days after signing.
    "performance_visit_days": 30,
    # Whether a natural-day deadline falling on a rest day moves to the next working day.
    "roll_past_rest_days": True,
    # Reminders: this many days before a deadline, and once more when it passes.
    "remind_days_before": 3,
    # 初信初访 / repeat detection: same person or address, similar matter, within this window.
    "repeat_window_days": 365,
    "similarity_threshold": 60,
    # 一次性办结: no repeat visit, reopen or new petition on the matter within this many days after closing.
    "one_time_window_days": 90,
    # Risk grade rule (东至县 practice: 高/中/低). A dispute is high when any high condition holds, else medium
    # when any medium condition holds, else low.
    "risk_high_people": 5,
    "risk_high_amount": 100000,
    "risk_high_types": ["land_acquisition"],
    "risk_high_words": ["扬言", "自杀", "轻生", "报复", "群体", "集体上访", "持刀", "过激"],
    "risk_medium_people": 3,
    "risk_medium_amount": 10000,
    "risk_medium_types": ["land", "homestead", "labour", "family"],
    # Early warning (未诉先办): N appeals in M days by the same person, or a reopened / unsatisfied appeal.
    "early_warning_appeals": 3,
    "early_warning_days": 30,
    # The centre's unit in the appeals engine (created under the street on first use).
    "centre_unit": "综治中心（矛调中心）",
    # The committee's short name in agreement numbers: (2026)城关人调字第12号.
    "committee_short_name": "城关",
}


def get(key: str):
    overrides = getattr(settings, "MINSHENG_MEDIATION", {}) or {}
    return overrides.get(key, DEFAULTS[key])
