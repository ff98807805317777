"""The cockpit on the loaded demo, with and without the waiting-list sources of mediation and enterprise.

Times, with the test client, the cockpit (this month, this year), the big screen and a display link's screen as the
demo's 街道 leader, alternating with the same pages without the four sources mediation and enterprise register
(decision 0058). Load the demo first (`minsheng demo`), then, with the same MINSHENG_VAR_DIR / DATABASE_URL:

    DJANGO_SETTINGS_MODULE=minsheng.settings flock /tmp/minsheng-bench.lock python -m bench cockpit_demo
"""

import os
import statistics
import time


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    django.setup()
    from django.db import connection
    from django.test import Client

    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import Membership
    from minsheng.core import attention, clock
    from minsheng.insights import display
    from minsheng.insights.models import DisplayLink

    NEW = (
        "mediation.high_risk",
        "mediation.weekly_missed",
        "enterprise.stalled_projects",
        "enterprise.problems_overdue",
    )
    m = (
        Membership.objects.filter(role=Role.STREET_LEADER)
        .select_related("user", "node")
        .order_by("node__depth")
        .first()
    )
    print("leader:", m.user.username, "at", m.node.name)
    c = Client(HTTP_HOST="localhost")
    c.force_login(m.user)
    link = DisplayLink.objects.filter(created_by=m.user, revoked_at__isnull=True).first()
    if link is None:
        import datetime as dt
        import secrets

        link = DisplayLink.objects.create(
            label="测量",
            node=m.node,
            period="month",
            nonce=secrets.token_hex(16),
            created_by=m.user,
            expires_at=clock.now() + dt.timedelta(days=1),
        )
    anon = Client(HTTP_HOST="localhost")
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    full = dict(attention._registry)
    without = {k: v for k, v in full.items() if k not in NEW}

    def timed(client, url, registry, n=7):
        attention._registry.clear()
        attention._registry.update(registry)
        client.get(url)
        out = []
        for _ in range(n):
            t = time.perf_counter()
            r = client.get(url)
            out.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (url, r.status_code)
        return out

    with connection.execute_wrapper(counter):
        for client, url in [
            (c, "/insights/?period=month"),
            (c, "/insights/?period=year"),
            (c, "/insights/screen/?period=month"),
            (anon, f"/insights/screen/{display.token(link)}/"),
        ]:
            count[0] = 0
            attention._registry.update(full)
            client.get(url)
            queries = count[0]
            a, b = [], []
            for _ in range(3):  # alternate: with the new sources, without them
                a += timed(client, url, full, 3)
                b += timed(client, url, without, 3)
            attention._registry.update(full)
            med = statistics.median
            print(
                f"{url[:34]:36} median {med(a):5.0f} ms (max {max(a):5.0f}) {queries:3d} queries | without the 4 new "
                f"sources {med(b):5.0f} ms → ratio {med(a) / med(b):.2f}"
            )
    for code in NEW:
        from minsheng.core.metrics import Scope
        from minsheng.insights import periods

        p = periods.current("month")
        s = next(x for x in attention.sources() if x.code == code)
        t = time.perf_counter()
        n = s.count(Scope(m.user, p.start, p.end, None))
        s.build(Scope(m.user, p.start, p.end, None), 5)
        print(f"  {code}: {n} waiting, count+build {1000 * (time.perf_counter() - t):.0f} ms")


if __name__ == "__main__":
    main()
