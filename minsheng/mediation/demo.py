"""A year of the one-stop centre in the demo 街道, replayed through the centre's actions (每一步 inside
`clock.at(the moment it happened)`): visits at the window routed to mediation, petitions, appeals and referrals;
petitions by letter, online and phone with their notices, replies, extensions and a few 复查; disputes from the
weekly screening, from the police and the court, mediated to written or oral agreements (some fail, a few parties
refuse), with their 履行回访 and 司法确认; referrals with every outcome; each community's and village's weekly
report; leaders' reception days. The article's figures (≈230 visitors, 371 初信初访 at ≥95 % 结服率, ≈920 disputes
at ≈96 % 一次性办结率) are what the registered metrics compute from these rows — nothing is typed in.

Everything is invented and labelled 演示数据. The generator is seeded; a second load changes nothing.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership, User
from minsheng.core import clock, notifications
from minsheng.core.calendar import TZ, WorkCalendar
from minsheng.core.context import acting
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node, Resident

from . import actions
from .choices import DisputeType
from .models import Dispute, Petition, Visit

SEED = 20260614
LABEL = "（演示数据）"
PASSWORD = "Demo-2026"
VISITORS = 232  # 接待群众230余人(次)
FIRST_PETITIONS = 371  # 处理初信初访案件371件
DISPUTES = 922  # 调解……920余件
COMEBACKS = 31  # disputes that came back (repeat visit) within the window: 一次性办结率 ≈ 96 %
STAFF = [
    ("centre", "窗口接待员", "矛调中心窗口"),
    ("mediator1", "调解员", "矛调中心调解员"),
    ("mediator2", "调解员", "矛调中心调解员"),
    ("mediator3", "调解员", "矛调中心调解员"),
]
NAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = [
    "秀英",
    "桂兰",
    "建国",
    "建华",
    "志强",
    "海燕",
    "玉梅",
    "德胜",
    "春生",
    "凤英",
    "立新",
    "红梅",
    "长青",
    "宝山",
]

TYPES = [
    (
        DisputeType.NEIGHBOUR,
        22,
        [
            "{a}家卫生间漏水渗到楼下{b}家，墙面发霉，维修费用协商不成",
            "{a}与邻居{b}因楼道堆放杂物多次发生口角",
            "{a}家空调外机噪音影响{b}休息",
            "{a}与{b}因院墙排水问题产生矛盾",
        ],
    ),
    (
        DisputeType.FAMILY,
        20,
        [
            "{a}与{b}因赡养老人费用分担发生争执",
            "{a}与配偶{b}因家庭琐事长期不和，申请调解",
            "{a}与兄弟{b}因父母遗留房屋分割产生纠纷",
        ],
    ),
    (
        DisputeType.LAND,
        16,
        ["{a}与{b}因承包地地头界线发生争执", "{a}与{b}因山坡果园地界和樱桃树归属发生争议"],
    ),
    (DisputeType.HOMESTEAD, 10, ["{a}与{b}因宅基地界址不清发生争议", "{a}翻建房屋占用{b}家通道"]),
    (
        DisputeType.CONTRACT,
        6,
        [
            "{a}承包{b}的果园，到期后就地上附着物补偿（约{amt}元）发生争议",
            "{a}向{b}购买樱桃苗木，货款{amt}元未结清",
        ],
    ),
    (
        DisputeType.DAMAGES,
        7,
        ["{a}家的狗咬伤{b}，医药费{amt}元赔偿发生争议", "{a}装修时损坏{b}家水管，赔偿未谈拢"],
    ),
    (DisputeType.LABOUR, 5, ["{a}在{b}承包的工地务工，被拖欠工资{amt}元"]),
    (DisputeType.TRAFFIC, 4, ["{a}骑电动车与{b}的三轮车相撞，医疗费{amt}元协商不成"]),
    (DisputeType.PROPERTY_MGMT, 4, ["{a}与物业因停车位管理和物业费发生纠纷"]),
    (DisputeType.BUSINESS, 2, ["{a}与合伙人{b}因大棚经营收益分配产生纠纷"]),
    (DisputeType.CONSUMER, 1, ["{a}在{b}店内购买的电动车有质量问题，退换未果"]),
    (DisputeType.POLLUTION, 1, ["{a}反映{b}经营的养殖场异味严重影响生活"]),
    (DisputeType.LAND_ACQUISITION, 1, ["{a}对道路拓宽征地补偿标准有异议"]),
    (DisputeType.OTHER, 1, ["{a}与{b}因借款{amt}元到期未还发生纠纷"]),
]
PETITIONS = [
    "反映{p}小区加装电梯补贴迟迟未发放",
    "对本户农村低保资格认定结果有异议",
    "反映{p}拆迁安置房交付时间一再推迟",
    "反映{p}村务财务公开不及时",
    "反映{p}道路硬化工程质量差、路面开裂",
    "反映养老保险缴费年限认定有误",
    "反映{p}企业拖欠职工社保",
    "对本户承包地确权面积有异议",
    "反映{p}樱桃收购商压价、拖欠货款",
    "反映{p}自来水水压不足问题长期未解决",
    "反映残疾人两项补贴未到账",
    "反映{p}违建厂房影响通行",
]
ANSWERS = [
    "经核实，补贴已列入本月发放计划，将于月底前到账",
    "经调查，认定程序合法，已向信访人说明政策依据",
    "已协调相关部门限期整改，并将整改结果告知信访人",
    "已责成相关单位落实，信访人表示认可",
]


def load(out=None) -> list:
    street = Node.objects.filter(kind=NodeKind.STREET, name__contains="演示").first()
    if street is None:
        return []
    # The window clerk (`centre`) is the org demo's login for the role; the mediators are this app's.
    logins = [("矛调中心调解员", username, PASSWORD) for username, _t, _n in STAFF if username != "centre"]
    if Dispute.objects.filter(facts__endswith=LABEL).exists():
        _say(out, "矛调中心演示数据已存在，未做改动。")
        return logins
    admin = User.objects.filter(username="admin").first()
    with acting(admin), notifications.muted():
        demo = CentreDemo(street, admin, timezone.now())
        with transaction.atomic():
            demo.accounts()
        demo.run(out)
    _say(out, demo.summary())
    return logins


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


class CentreDemo:
    def __init__(self, street, admin, now, *, scale: float = 1.0, seed: int = SEED):
        self.street = street
        self.admin = admin
        self.now = now
        self.scale = scale
        self.rng = random.Random(seed)
        self.cal = WorkCalendar()
        self.start = timezone.localtime(now, TZ).date() - dt.timedelta(days=364)
        self.residents = list(
            Resident.objects.filter(node__path__startswith=street.path)
            .exclude(phone="")
            .select_related("node")
            .order_by("pk")[:6000]
        )
        self.reporting = list(
            Node.objects.filter(
                path__startswith=street.path, kind__in=[NodeKind.COMMUNITY, NodeKind.VILLAGE]
            ).order_by("path")
        )
        self.reporter = {}
        for m in Membership.objects.filter(
            node__in=self.reporting, role=Role.COMMUNITY_WORKER
        ).select_related("user"):
            self.reporter.setdefault(m.node_id, m.user)
        self.leaders = [
            m.user
            for m in Membership.objects.filter(role=Role.STREET_LEADER, node=street).select_related("user")
        ]
        self.counts: dict[str, int] = {}

    # -- small tools -----------------------------------------------------------------------------------------------

    def n(self, value: int) -> int:
        return max(1, round(value * self.scale))

    def moment(self, day: dt.date, *, late_ok: bool = False) -> dt.datetime:
        while not self.cal.is_workday(day):
            day += dt.timedelta(days=1)
        t = dt.datetime.combine(day, dt.time(self.rng.randint(8, 16), self.rng.randint(0, 59)), tzinfo=TZ)
        return min(t, self.now - dt.timedelta(minutes=5)) if not late_ok else t

    def random_day(self) -> dt.date:
        return self.start + dt.timedelta(days=self.rng.randint(0, 363))

    def after(self, t: dt.datetime, lo: int, hi: int) -> dt.datetime:
        return self.moment(
            timezone.localtime(t, TZ).date() + dt.timedelta(days=self.rng.randint(lo, hi)), late_ok=True
        )

    def person(self):
        return self.rng.choice(self.residents)

    def name(self) -> str:
        return self.rng.choice(NAMES) + self.rng.choice(GIVEN)

    def mediator(self):
        return self.rng.choice(self.mediators)

    def bump(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def matter(self, a, b):
        kind, _w, texts = self.rng.choices(TYPES, weights=[w for _k, w, _t in TYPES])[0]
        amt = self.rng.choice([800, 1500, 2600, 3800, 5000, 8000, 12000, 26000])
        return kind, self.rng.choice(texts).format(a=a, b=b, amt=amt), amt

    # -- accounts --------------------------------------------------------------------------------------------------

    def accounts(self) -> None:
        self.mediators = []
        for i, (username, title, name) in enumerate(STAFF):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = account_actions.create_user(
                    username=username,
                    password=PASSWORD,
                    display_name=f"{name}{self.rng.choice(NAMES)}",
                    phone=f"1990000{900 + i:04d}",
                    title=f"{title}（演示）",
                    actor=self.admin,
                    validate=False,
                )
                account_actions.grant_membership(
                    user=user, role=Role.MEDIATION_STAFF, node=self.street, actor=self.admin
                )
            if username == "centre":
                self.clerk = user
            else:
                self.mediators.append(user)

    # -- the year --------------------------------------------------------------------------------------------------

    def run(self, out=None) -> None:
        self.weekly_reports(out)
        self.window(out)
        self.letters(out)
        self.disputes_from_elsewhere(out)
        self.comebacks(self.n(COMEBACKS))
        _say(out, f"  矛调中心：来访登记 {Visit.objects.count()} 批")
        self.reception_days()
        for offset in (21, 14, 7, 0):
            actions.propose_early_warnings(
                timezone.localtime(self.now, TZ).date() - dt.timedelta(days=offset)
            )

    def weekly_reports(self, out) -> None:
        """Each community and village reports every week (this week: most have, a few not yet); the disputes found
        are taken up by the centre (主动调解)."""
        budget = self.n(560)
        week = self.start - dt.timedelta(days=self.start.weekday())
        this_week = timezone.localtime(self.now, TZ).date()
        this_week -= dt.timedelta(days=this_week.weekday())
        weeks = []
        while week <= this_week:
            weeks.append(week)
            week += dt.timedelta(days=7)
        per_week = budget / max(len(weeks), 1)
        carry = 0.0
        for w in weeks:
            carry += per_week
            found = int(carry)
            carry -= found
            nodes = self.reporting if self.scale >= 1 else self.reporting[:3]
            finders = self.rng.sample(nodes, k=min(found, len(nodes)))
            for node in nodes:
                if w == this_week and self.rng.random() < 0.3:
                    continue  # not yet reported this week
                at = self.moment(w + dt.timedelta(days=self.rng.choice([0, 1, 4])))
                if at > self.now or timezone.localtime(at, TZ).date() < self.start:
                    continue
                items = []
                if node in finders:
                    a, b = self.name(), self.name()
                    kind, text, amt = self.matter(a, b)
                    items.append(
                        {
                            "summary": text,
                            "type": kind,
                            "risk": self.rng.choice(["low", "low", "medium"]),
                            "people": 2,
                        }
                    )
                actor = self.reporter.get(node.pk, self.admin)
                with clock.at(at):
                    report = actions.do_submit_weekly(
                        actor=actor, node=node, week=w, items=items, zero=not items
                    )
                self.bump("weekly_reports")
                for item in report.items.all():
                    self.take_up(item, at)
        _say(out, f"  矛调中心：每周排查上报 {self.counts.get('weekly_reports', 0)} 份")

    def take_up(self, item, at) -> None:
        a, b = self.person(), self.person()
        when = self.after(at, 0, 2)
        if when > self.now:
            return
        with clock.at(when):
            dispute = actions.do_take_up_item(
                item,
                actor=self.clerk,
                facts=item.summary + LABEL,
                mediators=[self.mediator()],
                parties=[{"role": "applicant", "resident": a}, {"role": "respondent", "resident": b}],
            )
        self.mediate(dispute)

    def disputes_from_elsewhere(self, out) -> None:
        """Disputes the police and the court hand over (a referral in), the government assigns, or parties apply for
        directly (not at the window): the rest of the year's ≈920."""
        target = self.n(DISPUTES)
        for _i in range(max(target - Dispute.objects.count(), 0)):
            source = self.rng.choices(["police", "court", "government", "applied"], weights=[45, 30, 8, 17])[
                0
            ]
            a, b = self.person(), self.person()
            kind, text, amt = self.matter(a.name, b.name)
            at = self.moment(self.random_day())
            with clock.at(at):
                dispute = actions.do_open_dispute(
                    actor=self.clerk,
                    node=a.node,
                    type=kind,
                    source=source,
                    facts=text + LABEL,
                    amount=amt,
                    mediators=[self.mediator()],
                    parties=[{"role": "applicant", "resident": a}, {"role": "respondent", "resident": b}],
                )
                if source in ("police", "court"):
                    partner = "police" if source == "police" else "court"
                    referral = actions.do_refer(
                        dispute.case,
                        actor=self.clerk,
                        direction="in",
                        partner=partner,
                        partner_name="城关派出所" if partner == "police" else "县人民法院城关法庭",
                        reason=("110接警后移交人民调解" if partner == "police" else "诉前委派调解") + LABEL,
                    )
                    actions.do_accept_referral(referral, actor=self.clerk)
                    dispute.incoming = referral
            self.mediate(dispute)
        _say(out, f"  矛调中心：矛盾纠纷 {Dispute.objects.count()} 件")

    def mediate(self, dispute) -> None:
        rng = self.rng
        mediator = dispute.mediators.filter(is_lead=True).first().user
        t = dispute.accepted_at
        end = self.after(t, 1, 26) if rng.random() > 0.03 else self.after(t, 32, 45)
        if end > self.now:
            return
        s1 = self.after(t, 0, 1)
        if s1 < end:
            with clock.at(s1):
                actions.do_record_session(
                    dispute,
                    actor=mediator,
                    attendees="、".join(p.name for p in dispute.parties.all()),
                    record="告知当事人权利义务；双方陈述各自意见，调解员释法说理。" + LABEL,
                )
        roll = rng.random()
        ids = [p.pk for p in dispute.parties.all()]
        with clock.at(end):
            if roll < 0.006:
                actions.do_refuse(
                    dispute,
                    actor=mediator,
                    party=dispute.parties.last(),
                    note="被申请人明确表示不接受调解" + LABEL,
                )
                self.bump("refused")
                return
            if roll < 0.05:
                actions.do_fail(
                    dispute,
                    actor=mediator,
                    reason="双方分歧较大，未能达成一致" + LABEL,
                    routes=["litigation", "arbitration"][: rng.randint(1, 2)],
                )
                self.bump("failed")
                if rng.random() < 0.5:
                    self.refer_out(dispute, end)
                self._finish_incoming(dispute, end, success=False)
                return
            amount = Decimal(rng.choice([0, 0, 500, 1200, 2000, 3500, 6000, 15000]))
            perf_by = timezone.localtime(end, TZ).date() + dt.timedelta(days=rng.choice([7, 15, 30]))
            if roll < 0.62:
                actions.do_agree_written(
                    dispute,
                    actor=mediator,
                    disputed_points="双方对事实无异议，就责任分担存在争议。",
                    agreed_terms="双方自愿达成协议：一方于期限内履行约定义务，另一方不再追究。" + LABEL,
                    consents=ids,
                    performance_method="当面履行，调解员见证",
                    performance_by=perf_by,
                    amount=amount,
                )
                self.bump("written")
            else:
                actions.do_agree_oral(
                    dispute,
                    actor=mediator,
                    record="双方口头同意互谅互让，当场握手言和。" + LABEL,
                    consents=ids,
                    amount=amount,
                )
                self.bump("oral")
        self._finish_incoming(dispute, end, success=True)
        dispute.refresh_from_db()
        if dispute.number and rng.random() < 0.08:
            applied = self.after(end, 2, 20)
            if applied <= self.now:
                with clock.at(applied):
                    actions.do_record_judicial(
                        dispute, actor=mediator, applied_on=timezone.localtime(applied, TZ).date()
                    )
        visit_at = (
            max(dispute.performance_due - dt.timedelta(days=1), end) if dispute.performance_due else None
        )
        if visit_at and visit_at <= self.now:
            with clock.at(self.moment(timezone.localtime(visit_at, TZ).date())):
                actions.do_follow_up_performance(
                    dispute,
                    actor=mediator,
                    performance=rng.choices(["full", "partial"], weights=[95, 5])[0],
                    satisfaction=rng.choices(["satisfied", "basic"], weights=[85, 15])[0],
                    note="电话回访" + LABEL,
                )

    def _finish_incoming(self, dispute, at, *, success: bool) -> None:
        referral = getattr(dispute, "incoming", None)
        if referral is None:
            return
        with clock.at(at):
            actions.do_complete_referral(
                referral,
                actor=self.clerk,
                successful=success,
                not_successful_reason="" if success else "refused",
                note="调解结果已反馈移交单位" + LABEL,
            )

    def refer_out(self, dispute, at) -> None:
        with clock.at(self.after(at, 0, 1)):
            referral = actions.do_refer(
                dispute.case,
                actor=self.clerk,
                direction="out",
                partner="court",
                partner_name="县人民法院城关法庭",
                reason="调解不成，当事人同意通过诉讼解决，移交诉调对接" + LABEL,
                consent=True,
            )
        self.progress(referral, at)

    def progress(self, referral, at) -> None:
        """What the partner answered: accepted and done (or not), rejected with a reason, revoked, or still open."""
        rng = self.rng
        outcome = rng.choices(["done", "fail", "reject", "revoke", "open"], weights=[55, 12, 13, 8, 12])[0]
        step = self.after(at, 2, 12)
        if outcome == "open" or step > self.now:
            return
        with clock.at(step):
            if outcome == "reject":
                actions.do_reject_referral(
                    referral, actor=self.clerk, reason="不属于本单位职责范围，已告知当事人向有关部门反映"
                )
                return
            if outcome == "revoke":
                actions.do_revoke_referral(referral, actor=self.clerk, reason="当事人已自行和解，撤回移交")
                return
            actions.do_accept_referral(referral, actor=self.clerk)
        done = self.after(step, 10, 40)
        if done <= self.now:
            with clock.at(done):
                actions.do_complete_referral(
                    referral,
                    actor=self.clerk,
                    successful=outcome == "done",
                    not_successful_reason=""
                    if outcome == "done"
                    else rng.choice(["unreachable", "capacity"]),
                    note="对接单位反馈办理结果" + LABEL,
                )

    def window(self, out) -> None:
        """Visits at the window: ≈230 person-times in the year, each routed; some come back on a mediated matter."""
        rng = self.rng
        target = self.n(VISITORS)
        comebacks = self.n(COMEBACKS)
        fresh_people = target - comebacks
        disputes_needed = self.n(60)  # the rest of the year's disputes come from elsewhere
        total = 0
        while total < fresh_people:
            visitors = min(rng.choices([1, 2, 3, 5], weights=[84, 10, 4, 2])[0], fresh_people - total)
            total += visitors
            a, b = self.person(), self.person()
            at = self.moment(self.random_day())
            route = (
                "dispute"
                if disputes_needed > 0 and rng.random() < 0.55
                else rng.choices(["petition", "appeal", "referral", "answered"], weights=[62, 16, 6, 16])[0]
            )
            if route == "dispute":
                kind, text, amt = self.matter(a.name, b.name)
            else:
                text = rng.choice(PETITIONS).format(p=a.node.name)
            with clock.at(at):
                visit = actions.do_register_visit(
                    actor=self.clerk, resident=a, visitors=visitors, matter=text
                )
                self.bump("visits")
                if route == "dispute":
                    dispute = actions.do_route_visit(
                        visit,
                        actor=self.clerk,
                        route="dispute",
                        type=kind,
                        source="applied",
                        facts=text + LABEL,
                        mediators=[self.mediator()],
                        people=max(visitors, 2),
                        parties=[{"role": "applicant", "resident": a}, {"role": "respondent", "resident": b}],
                    )
                    disputes_needed -= 1
                elif route == "petition":
                    petition = actions.do_route_visit(visit, actor=self.clerk, route="petition", kind="claim")
                elif route == "referral":
                    referral = actions.do_route_visit(
                        visit,
                        actor=self.clerk,
                        route="referral",
                        partner=rng.choice(["justice", "police", "department"]),
                        partner_name=rng.choice(["城关司法所", "城关派出所", "县人社局劳动监察大队"]),
                        reason=text + LABEL,
                        consent=True,
                    )
                elif route == "appeal":
                    actions.do_route_visit(visit, actor=self.clerk, route="appeal")
                else:
                    actions.do_route_visit(
                        visit, actor=self.clerk, route="answered", answer="当场解释政策，来访人表示理解。"
                    )
            if route == "dispute":
                self.mediate(dispute)
            elif route == "petition":
                self.handle_petition(petition)
            elif route == "referral":
                self.progress(referral, at)

    def comebacks(self, n: int) -> None:
        """A party returns within weeks about the same dispute (履行不到位): the dispute was not settled in one go."""
        window = dt.timedelta(days=60)
        ended = list(
            Dispute.objects.filter(
                outcome__in=["written", "oral"], ended_at__lte=self.now - dt.timedelta(days=3)
            )
            .select_related("case")
            .order_by("pk")
        )
        self.rng.shuffle(ended)
        made = 0
        for dispute in ended:
            if made >= n:
                break
            at = self.after(dispute.ended_at, 5, 45)
            if at > self.now or at - dispute.ended_at > window:
                continue
            applicant = dispute.parties.filter(role="applicant").select_related("resident").first()
            with clock.at(at):
                visit = actions.do_register_visit(
                    actor=self.clerk,
                    resident=applicant.resident,
                    name=applicant.name,
                    node=dispute.node,
                    matter="再次反映：" + dispute.facts.removesuffix(LABEL) + "，对方未按协议履行",
                )
                actions.do_route_visit(
                    visit,
                    actor=self.clerk,
                    route="answered",
                    answer="已联系对方督促履行，并告知可申请司法确认。",
                )
            made += 1
            self.bump("comebacks")

    def letters(self, out) -> None:
        """Petitions by letter, online and phone until the year holds 371 first petitions (初信初访)."""
        rng = self.rng
        target = self.n(FIRST_PETITIONS)
        guard = 0
        while (
            Petition.objects.filter(stage="original", is_first=True).count() < target and guard < target * 2
        ):
            guard += 1
            a = self.person()
            at = self.moment(self.random_day())
            form = rng.choices(["letter", "online", "phone"], weights=[30, 45, 25])[0]
            with clock.at(at):
                petition = actions.do_register_petition(
                    actor=self.clerk,
                    form=form,
                    node=a.node,
                    petitioner=a.name,
                    resident=a,
                    kind=rng.choices(["claim", "suggestion", "accusation"], weights=[80, 12, 8])[0],
                    matter=rng.choice(PETITIONS).format(p=a.node.name)
                    + f"（{self.name()}等{rng.randint(1, 3)}户）",
                )
            self.handle_petition(petition)
        _say(out, f"  矛调中心：信访事项 {Petition.objects.count()} 件")

    def handle_petition(self, petition) -> None:
        rng = self.rng
        notice = self.after(petition.registered_at, 1, 9)
        if notice > self.now:
            return
        accept = rng.random() > 0.06
        with clock.at(notice):
            actions.do_accept_petition(
                petition,
                actor=self.clerk,
                accept=accept,
                notice_text="经审查，该事项属于本机关职责范围，予以受理。"
                if accept
                else "该事项已进入诉讼程序，依法不予受理，请通过司法途径解决。",
            )
        if not accept:
            return
        petition.refresh_from_db()
        slow = rng.random() < 0.05
        reply = self.after(notice, 40, 55) if slow else self.after(notice, 6, 45)
        if slow and self.leaders and reply <= self.now:
            with clock.at(self.after(notice, 30, 38)):
                actions.do_extend_petition(
                    petition, actor=self.leaders[0], reason="涉及多个部门，需联合调查核实，已书面告知信访人"
                )
            reply = self.after(notice, 60, 80)
        if reply > self.now:
            return
        with clock.at(reply):
            actions.do_reply_petition(petition, actor=self.clerk, text=rng.choice(ANSWERS) + "。")
        petition.refresh_from_db()
        if rng.random() < 0.025:
            review_at = self.after(reply, 5, 25)
            if review_at <= self.now and review_at <= petition.request_due:
                with clock.at(review_at):
                    review = actions.do_request_review(
                        petition, actor=self.clerk, reason="对答复意见不服，申请复查"
                    )
                    actions.do_accept_petition(
                        review, actor=self.clerk, accept=True, notice_text="复查申请予以受理。"
                    )
                answer = self.after(review_at, 10, 28)
                if answer <= self.now:
                    with clock.at(answer):
                        actions.do_reply_petition(review, actor=self.clerk, text="经复查，维持原答复意见。")
                self.bump("reviews")

    def reception_days(self) -> None:
        if not self.leaders:
            return
        today = timezone.localtime(self.now, TZ).date()
        with clock.at(self.now):
            for i, offset in enumerate((3, 10, 17)):
                day = today + dt.timedelta(days=offset)
                reception = actions.do_create_reception_day(
                    actor=self.clerk,
                    leader=self.leaders[i % len(self.leaders)],
                    node=self.street,
                    date=day,
                    place="矛调中心一楼接待室",
                    topic=["征地拆迁补偿", "农村土地承包", "物业服务与加装电梯"][i],
                    capacity=8,
                )
                for _j in range(self.rng.randint(2, 5)):
                    a = self.person()
                    actions.do_book(
                        reception,
                        actor=self.clerk,
                        name=a.name,
                        phone=a.phone,
                        matter="预约反映" + reception.topic,
                    )

    def summary(self) -> str:
        from minsheng.core import metrics

        today = timezone.localtime(self.now, TZ).date()
        scope = metrics.Scope(viewer=self.admin, start=today - dt.timedelta(days=364), end=today)
        parts = []
        for code in (
            "reception_count",
            "first_petitions",
            "served_rate",
            "disputes_accepted",
            "one_time_rate",
            "settle_rate",
        ):
            m = metrics.get(f"mediation.{code}")
            parts.append(f"{m.name} {metrics.as_number(m.compute(scope))}")
        return "矛调中心演示数据（近一年）：" + "，".join(parts)
