"""The leaders' cockpit and a year's work report at 1,000,000 cases on PostgreSQL.

Uses the workbench bench's database (bench/workbench.py: a small street, 1,000,000 cases loaded with COPY); run that
first or let this one prepare it. Measures, as the street administrator (who holds insights.view):
- the cockpit page (every domain's headline figures against the previous month, what waits on a leader, the
  per-community ranking, the map layers), p50/p95 and its query count: this month to date (the landing page), the
  whole of last month (the month view at its heaviest) and this year to date;
- the work report page for the last whole year, p50/p95;
against a bare COUNT of the year's cases. Aims (issue 18): cockpit p95 < 300 ms, a year's report < 3 s.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/minsheng_bench_1m BENCH_REUSE=1 python -m bench insights
"""

import datetime as dt
import os
import statistics

from bench import workbench


def measure() -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from minsheng.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="benchadmin"))
    year = dt.date.today().year - 1

    def cockpit():
        r = client.get("/insights/?period=month")
        assert r.status_code == 200, r.status_code

    # The landing page is this month to date (light early in a month); a whole month is its heaviest.
    last_month_end = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    whole_month = f"/insights/?start={last_month_end.replace(day=1)}&end={last_month_end}"

    def cockpit_whole_month():
        r = client.get(whole_month)
        assert r.status_code == 200, r.status_code

    def cockpit_year():
        r = client.get("/insights/?period=year")
        assert r.status_code == 200, r.status_code

    def report():
        r = client.get(f"/insights/report/?start={year}-01-01&end={year}-12-31")
        assert r.status_code == 200, r.status_code

    def bare_year():
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM cases_case WHERE reported_at >= %s AND reported_at < %s",
                [dt.date(year, 1, 1), dt.date(year + 1, 1, 1)],
            )

    with CaptureQueriesContext(connection) as ctx:
        cockpit()
    queries = len(ctx.captured_queries)
    cockpit_ms = workbench.timed(cockpit, 20)
    whole_ms = workbench.timed(cockpit_whole_month, 20)
    year_ms = workbench.timed(cockpit_year, 5)
    report_ms = workbench.timed(report, 5)
    bare_ms = workbench.timed(bare_year, 10)
    med, p95 = statistics.median, workbench.p95
    print(f"  cockpit, this month to date: p50 {med(cockpit_ms):.0f} ms, p95 {p95(cockpit_ms):.0f} ms, "
          f"{queries} queries")  # fmt: skip
    print(f"  cockpit, the whole of last month: p50 {med(whole_ms):.0f} ms, p95 {p95(whole_ms):.0f} ms")
    print(f"  cockpit, this year to date: p50 {med(year_ms):.0f} ms, max {max(year_ms):.0f} ms")
    print(f"  report {year}: p50 {med(report_ms):.0f} ms, max {max(report_ms):.0f} ms; "
          f"bare COUNT of the year {med(bare_ms):.0f} ms")  # fmt: skip
    return {
        "cockpit_p95": p95(cockpit_ms),
        "whole_month_p95": p95(whole_ms),
        "report_max": max(report_ms),
        "queries": queries,
    }


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", workbench.DEFAULT_URL)
    if os.environ.get("BENCH_REUSE") != "1":
        workbench.prepare(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
    measure()
