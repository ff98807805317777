"""The agri demo loader on a small 街道: it goes through the real actions (so the figures are the engine's own), it
labels what it makes, and a second load changes nothing."""

from minsheng.agri import demo
from minsheng.agri.choices import SampleStatus
from minsheng.agri.models import AgriInputStore, Certificate, Producer, Sample, StoreInspection
from minsheng.org.models import Node


def test_demo_loads_through_the_actions_once(aw):
    Node.objects.filter(pk=aw.w.street.pk).update(name="测试街道（演示数据）")
    demo.load()
    stores = AgriInputStore.objects.all()
    assert stores.count() == demo.STORES
    assert all(s.address.endswith(demo.DEMO_LABEL) and s.village == aw.village_1 for s in stores)
    assert Producer.objects.exists() and not Producer.objects.exclude(contact_name=demo.DEMO_CONTACT).exists()
    samples = Sample.objects.all()
    assert samples.count() > 150
    # Every sample was judged by the engine: readings for all, and every failure has its rectification case.
    assert not samples.filter(rapid_tests__isnull=True).exists()
    assert not samples.filter(status=SampleStatus.FAILED, case__isnull=True).exists()
    assert not samples.exclude(status=SampleStatus.FAILED).filter(case__isnull=False).exists()
    for inspection in StoreInspection.objects.prefetch_related("items"):
        assert bool(inspection.findings) == bool(inspection.case_id)
    assert Certificate.objects.exists()
    counts = (
        Producer.objects.count(),
        samples.count(),
        StoreInspection.objects.count(),
        Certificate.objects.count(),
    )
    demo.load()
    assert counts == (
        Producer.objects.count(),
        Sample.objects.count(),
        StoreInspection.objects.count(),
        Certificate.objects.count(),
    )
