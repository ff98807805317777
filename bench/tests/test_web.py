"""The web load bench's harness (`python -m bench web`): its arithmetic always, a whole small run when asked.

The whole run needs PostgreSQL, Redis, nginx and locust and takes over a minute (a database migrated, the
topology started, two locust runs), so it is marked slow and runs only with MINSHENG_BENCH_TESTS=1.
"""

import importlib.util
import os
import secrets

import pytest

from bench import web


def write_log(tmp_path, rows, spawned=100.0):
    lines = [f"{t:.3f}\t{name}\t{ms}\t{ok}\t{status}\t" for t, name, ms, ok, status in rows]
    lines.insert(2, f"#spawned\t{spawned:.3f}\t3")
    path = tmp_path / "requests.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_percentiles_are_nearest_rank():
    xs = list(range(1, 101))
    assert web.percentile(xs, 50) == 50
    assert web.percentile(xs, 95) == 95
    assert web.percentile(xs, 99) == 99
    assert web.percentile([7.0], 95) == 7.0


def test_pages_count_from_the_ramp_up_end_and_logins_over_the_whole_run(tmp_path):
    rows = [
        (90.0, "login", 800, 1, 302),
        (95.0, "workbench list", 5000, 1, 200),
        (99.0, "login", 900, 1, 302),
    ]
    rows += [(100.0 + i, "workbench list", 100 + i, 1, 200) for i in range(20)]
    rows += [(101.0, "case page", 40, 1, 200), (102.0, "case page", 60, 0, 500)]
    out = web.summarise(write_log(tmp_path, rows))
    assert out["pages"]["login"]["n"] == 2 and out["pages"]["login"]["rate"] is None
    lists = out["pages"]["workbench list"]
    assert lists["n"] == 20 and lists["p95"] == 118  # the 5 s list of the ramp-up is not counted
    assert out["pages"]["case page"]["errors"] == 1
    assert out["errors"] == ["case page: 500 "]
    assert out["requests"] == 22
    assert out["span"] == pytest.approx(19.119)


def test_a_negative_duration_or_no_end_of_ramp_up_invalidates_the_run(tmp_path):
    with pytest.raises(RuntimeError, match="RUN INVALID"):
        web.summarise(
            write_log(tmp_path, [(100.0, "case page", -3, 1, 200), (101.0, "case page", 5, 1, 200)])
        )
    path = tmp_path / "nospawn.tsv"
    path.write_text("100.000\tcase page\t5\t1\t200\t\n")
    with pytest.raises(RuntimeError, match="RUN INVALID"):
        web.summarise(path)


def test_staff_mix_keeps_leaders_at_any_count():
    names = web.staff_names(200)
    assert len(set(names)) == 200
    assert sum("-leader-" in n for n in names) == 20
    assert sum("-leader-" in n for n in web.staff_names(10)) == 1


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("MINSHENG_BENCH_TESTS") != "1", reason="a whole load run takes over a minute "
                    "(PostgreSQL, Redis, nginx, locust): set MINSHENG_BENCH_TESTS=1 to run it")  # fmt: skip
def test_a_small_run_through_nginx_signs_in_submits_and_measures(tmp_path, monkeypatch):
    import psycopg

    from bench import workbench

    if importlib.util.find_spec("locust") is None and not os.environ.get("BENCH_LOCUST"):
        pytest.skip("locust is not installed (pip install -e '.[bench]')")
    admin = os.environ.get("MINSHENG_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/minsheng")
    url = admin.rsplit("/", 1)[0] + f"/minsheng_webload_{secrets.token_hex(4)}"
    monkeypatch.setattr(workbench, "N_CASES", 500)
    monkeypatch.setenv("BENCH_LOCK", "none")
    monkeypatch.setenv("BENCH_WEB_THINK_SCALE", "0.1")
    try:
        web.prepare(url, web.staff_names(4))
        out = web.run(url, staff=4, residents=2, duration=20, rate=10, processes=2, threads=4)
        with psycopg.connect(url) as conn:
            submitted = conn.execute(
                "SELECT count(*) FROM cases_case WHERE number NOT LIKE 'B-%%'"
            ).fetchone()[0]
    finally:
        with psycopg.connect(admin.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    product, bare = out["product"], out["bare"]
    assert product["errors"] == [] and bare["errors"] == []
    assert product["pages"]["login"]["n"] == 4
    assert {"workbench list", "case page", "h5 form"} <= set(product["pages"])
    assert submitted >= product["pages"]["h5 submit"]["n"] > 0  # residents' appeals reached the database
    assert set(bare["pages"]) == {"bare"} and bare["pages"]["bare"]["n"] > 0
