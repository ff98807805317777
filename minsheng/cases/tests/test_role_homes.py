"""Each role's home page shows its day's work first: property staff their company's cases, grid workers their
todo before the registry counts."""

import pytest

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.cases import actions
from minsheng.cases.choices import Channel, UnitKind
from minsheng.cases.models import Unit

pytestmark = pytest.mark.django_db


def test_property_staff_home_is_their_company_s_cases(cw, client_for, password):
    w = cw.w
    staff = account_actions.create_user(username="wuye", display_name="颐和物业项目经理", password=password)
    account_actions.grant_membership(user=staff, role=Role.PROPERTY_STAFF, node=w.estate_a)
    company = Unit.objects.create(name="颐和物业", kind=UnitKind.PROPERTY, node=w.street, leader=staff)
    company.members.set([staff])
    case = actions.do_register(
        actor=w.grid_a,
        kind="appeal",
        channel=Channel.GRID_PATROL,
        category=cw.cat_sewer,
        description="颐和家园1号楼单元门禁损坏。",
        node=w.building_a,
    )
    case = actions.do_dispatch(actions.do_accept(case, actor=w.worker_a), actor=w.worker_a, unit=company)
    home = client_for(staff).get("/").content.decode()
    assert "颐和家园1号楼单元门禁损坏" in home
    assert "颐和物业在办 1" in home
    assert 'class="grid-4 stats"' not in home  # no registry counters: not their work


def test_grid_worker_home_puts_the_todo_before_the_registry(cw, client_for):
    home = client_for(cw.w.grid_a).get("/").content.decode()
    assert home.index("诉求待办") < home.index('class="grid-4 stats"')


def test_home_shows_the_background_history_s_progress(cw, client_for, settings, tmp_path):
    import datetime as dt

    from minsheng.cases.demo import progress

    settings.VAR_DIR = tmp_path
    progress.write(day=dt.date(2025, 6, 1), done=180, total=730, registered=6100)
    home = client_for(cw.w.worker_a).get("/").content.decode()
    assert "演示历史正在后台生成" in home and "25%" in home and "2025-06-01" in home
    progress.finish()
    assert "演示历史正在后台生成" not in client_for(cw.w.worker_a).get("/").content.decode()
