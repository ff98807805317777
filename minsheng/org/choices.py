from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import Colour


class NodeKind(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县/区")
    STREET = "street", _("街道/乡镇")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    ESTATE = "estate", _("小区")
    NATURAL_VILLAGE = "natural_village", _("自然村")
    BUILDING = "building", _("楼栋")
    UNIT = "unit", _("单元")


#: Badge colour of each kind (街道 red, 社区 blue, 村 and 自然村 green, 小区 orange).
NODE_KIND_COLOURS = {
    NodeKind.STREET: Colour.RED,
    NodeKind.COMMUNITY: Colour.BLUE,
    NodeKind.VILLAGE: Colour.GREEN,
    NodeKind.ESTATE: Colour.ORANGE,
    NodeKind.NATURAL_VILLAGE: Colour.GREEN,
    NodeKind.BUILDING: Colour.GRAY,
    NodeKind.UNIT: Colour.GRAY,
}

#: Which kinds may sit under which: the administrative tree's grammar.
ALLOWED_CHILDREN: dict[str | None, set[str]] = {
    # A deployment's root is a 街道 (the embedded default), a county or a city (docs/decisions/0039).
    None: {NodeKind.CITY, NodeKind.COUNTY, NodeKind.STREET},
    NodeKind.CITY: {NodeKind.COUNTY},
    NodeKind.COUNTY: {NodeKind.STREET},
    NodeKind.STREET: {NodeKind.COMMUNITY, NodeKind.VILLAGE},
    NodeKind.COMMUNITY: {NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE, NodeKind.BUILDING},
    NodeKind.VILLAGE: {NodeKind.NATURAL_VILLAGE, NodeKind.ESTATE, NodeKind.BUILDING},
    NodeKind.ESTATE: {NodeKind.BUILDING},
    NodeKind.NATURAL_VILLAGE: {NodeKind.BUILDING},
    NodeKind.BUILDING: {NodeKind.UNIT},
    NodeKind.UNIT: set(),
}

#: Kinds above the 街道: a user there sees and compares the 街道 below.
ABOVE_STREET_KINDS = {NodeKind.CITY, NodeKind.COUNTY}

#: Kinds that answer for a territory (属地): grids belong to one of these, and a grid with nobody falls to it.
TERRITORIAL_KINDS = {NodeKind.COMMUNITY, NodeKind.VILLAGE}


class PartyOrgKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", _("街道党工委")
    COMMITTEE = "committee", _("社区党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("小区党支部")
    GROUP = "group", _("党小组")


class PartyPost(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    COMMITTEE_MEMBER = "committee_member", _("委员")
    BUILDING_LEADER = "building_leader", _("楼长")
    UNIT_LEADER = "unit_leader", _("单元长")
    MEMBER = "member", _("党员")


class AssignmentKind(models.TextChoices):
    CADRE_TO_COMMUNITY = "cadre_community", _("街道干部挂社区")
    WORKER_TO_ESTATE = "worker_estate", _("社区干部靠小区")
    MEMBER_TO_BUILDING = "member_building", _("居民党员包楼栋")
    LEADER_CONTACT = "leader_contact", _("领导联系点")


class PropertyStatus(models.TextChoices):
    PROFESSIONAL = "professional", _("专业物业")
    STREET_FALLBACK = "street_fallback", _("街道兜底")
    NONE = "none", _("无物业")
    SELF_MANAGED = "self_managed", _("自管")


#: Badge colour of each property status: fallback and no service are what the street has to act on.
PROPERTY_STATUS_COLOURS = {
    PropertyStatus.PROFESSIONAL: Colour.GREEN,
    PropertyStatus.STREET_FALLBACK: Colour.ORANGE,
    PropertyStatus.NONE: Colour.RED,
    PropertyStatus.SELF_MANAGED: Colour.BLUE,
}


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
