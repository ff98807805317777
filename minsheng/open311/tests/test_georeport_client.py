"""A real Open311 client — the PyPI package `georeport` — reads this server over HTTP in both formats.

The client calls raise_for_status() and parses XML with xmltodict, so these tests fail if a status code, a
content type or an element name is off. live_server runs in its own thread, hence a transactional database.
"""

import pytest
from georeport import GeoReport

from minsheng.cases import actions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_requests(cw, register):
    first = register()
    first = actions.do_accept(first, actor=cw.w.worker_a)
    first = actions.do_dispatch(first, actor=cw.w.worker_a, unit=cw.unit_a, handler=cw.w.grid_a)
    second = register(category=cw.cat_consult, description="想咨询一下养老服务补贴怎么申请")
    actions.do_reject(second, actor=cw.w.worker_a, reason="已电话答复，无需立案")
    return first.number, second.number


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(live_server, two_requests, fmt):
    first, second = two_requests
    client = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="chengguan.local", output_format=fmt)

    services = client.get_service_list()
    by_code = {s["service_code"]: s for s in services}
    assert by_code["050101"]["service_name"] == "下水道堵塞"
    assert by_code["050101"]["group"] == "下水道/排水"
    assert str(by_code["050101"]["metadata"]).lower() == "true"

    definition = client.get_service_definition("050101")
    assert definition["service_code"] == "050101"
    attributes = definition["attributes"]
    if fmt == "xml":  # xmltodict keeps the wrapper element: attributes → attribute → [ … ]
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["urgency", "estate"]

    requests = client.get_service_requests()
    assert {r["service_request_id"]: r["status"] for r in requests} == {first: "open", second: "closed"}
    closed = client.get_service_requests(status="closed")
    if fmt == "xml":  # xmltodict gives a lone <request> as a dict, several as a list
        closed = [closed]
    assert [r["service_request_id"] for r in closed] == [second]

    one = client.get_service_request(first)
    assert one["service_request_id"] == first
    assert one["agency_responsible"] == "颐和社区居委会"
    assert one["requested_datetime"].endswith("+08:00")
