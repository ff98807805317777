"""Production runs the cache (login throttling, cached configuration tables) on Redis: the same code against the
real server, the way several web processes share it."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from minsheng.testing.fixtures import require_service

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache():
    require_service("Redis", "127.0.0.1", 6379)
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "minsheng-test"})
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db
def test_login_failures_are_counted_across_processes(redis_cache, settings, monkeypatch):
    from minsheng.accounts import backends

    monkeypatch.setattr(backends, "cache", redis_cache)
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        backends.note_failure("13800000001", "10.0.0.1")
    # a second process sees the same counter in Redis
    other = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "minsheng-test"})
    assert other.get(backends._pair_key(backends._subject("13800000001"), "10.0.0.1")) == 3
    assert backends.is_locked_out("13800000001", "10.0.0.1")
    backends.clear_failures("13800000001", "10.0.0.1")
    assert not backends.is_locked_out("13800000001", "10.0.0.1")


@pytest.mark.django_db
def test_a_changed_time_limit_reaches_every_process(redis_cache, monkeypatch):
    from minsheng.cases import deadlines
    from minsheng.cases.models import TimeLimit
    from minsheng.core import tablecache

    monkeypatch.setattr(tablecache, "cache", redis_cache)
    before = deadlines.limit_for(None, "normal").finish_amount
    row = TimeLimit.objects.get(category=None, urgency="normal")
    row.finish_amount = before + 2
    row.save()  # drops the shared entry for every process
    assert deadlines.limit_for(None, "normal").finish_amount == before + 2
    assert caches["default"] is not redis_cache  # the test did not rely on the process-local cache


@pytest.mark.django_db
def test_old_rows_another_process_cached_before_the_commit_are_dropped_at_commit(
    redis_cache, monkeypatch, django_capture_on_commit_callbacks
):
    from minsheng.cases import deadlines
    from minsheng.cases.models import TimeLimit
    from minsheng.core import tablecache

    monkeypatch.setattr(tablecache, "cache", redis_cache)
    before = deadlines.limit_for(None, "normal").finish_amount
    key = "minsheng:table:case-time-limits"
    assert redis_cache.get(key) is not None
    stale = redis_cache.get(key)
    with django_capture_on_commit_callbacks(execute=True):
        row = TimeLimit.objects.get(category=None, urgency="normal")
        row.finish_amount = before + 3
        row.save()
        # another process, not seeing the uncommitted row, reloads the old values into the shared cache
        redis_cache.set(key, stale)
    assert deadlines.limit_for(None, "normal").finish_amount == before + 3
