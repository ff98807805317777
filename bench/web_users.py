"""The people of the web load test, for locust (`python -m bench web` runs it; decision 0065).

Staff sign in on the login page with their password and keep the session cookie; each sits at a PC of their own
(a source address of their own on the loopback network) and clicks every 5–15 s: the workbench list, a case
picked from that list, and — street leaders — the cockpit. Residents do what a phone does on the H5 form: open it,
ask for a code, read it from the text message, check it, write, send, and see the confirmation; a new resident
(a new phone number) comes along 5–15 s after one has finished.

With BENCH_WEB_MODE=bare every request of the same users at the same pace goes to the bare page instead
(bench.baseline.bare_page): the same load, with none of the application's work behind it.

Reads BENCH_WEB_ACCOUNTS (a JSON file: password, staff usernames), BENCH_SMS_DIR (where bench.sms puts the
messages), BENCH_WEB_LOG (one line per request: start, name, milliseconds, ok, status), BENCH_WEB_STAFF and
BENCH_WEB_RESIDENTS (how many of each). Imports nothing of the application: it runs in the load generator.
"""

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

import gevent
import urllib3
from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

urllib3.disable_warnings()

MODE = os.environ.get("BENCH_WEB_MODE", "product")
BARE = "/bench/bare-page/"
ACCOUNTS = json.loads(Path(os.environ["BENCH_WEB_ACCOUNTS"]).read_text())
SMS_DIR = Path(os.environ.get("BENCH_SMS_DIR", "."))
LOG = open(os.environ["BENCH_WEB_LOG"], "a", buffering=1)  # noqa: SIM115 - open for the whole run

#: Every think time is multiplied by this (a quick check of the harness itself runs at a tenth).
SCALE = float(os.environ.get("BENCH_WEB_THINK_SCALE", "1"))
#: Think time between a staff member's clicks (decision 0065): 5–15 s, 10 s on average.
STAFF_THINK = (5 * SCALE, 15 * SCALE)
#: How long a resident takes over each step of the form, in seconds (reading, typing, waiting for the message).
RESIDENT_STEPS = {
    step: (low * SCALE, high * SCALE)
    for step, (low, high) in {
        "home": (3, 8),
        "form": (5, 10),
        "code": (10, 20),
        "write": (15, 30),
        "leave": (5, 15),
    }.items()
}

CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CATEGORY = re.compile(r'name="category" value="(\d+)"')
ESTATE_SELECT = re.compile(r'name="estate".*?</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
CODE = re.compile(r"(\d{6})")


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    start = kwargs.get("start_time") or time.time() - response_time / 1000
    status = getattr(response, "status_code", 0) or 0
    ok = 0 if exception else 1
    reason = "" if ok else str(exception).replace("\t", " ").replace("\n", " ")[:200]
    LOG.write(f"{start:.3f}\t{name}\t{response_time:.1f}\t{ok}\t{status}\t{reason}\n")


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    LOG.write(f"#spawned\t{time.time():.3f}\t{user_count}\n")


_addresses = (f"127.0.{2 + i // 250}.{1 + i % 250}" for i in itertools.count())
_staff = iter(ACCOUNTS["staff"])
_phones = (f"139{n:08d}" for n in itertools.count(int(time.time()) % 10_000_000 * 10))


class _SourceAddress(HTTPAdapter):
    """Connections from one loopback address: each person's own machine, as nginx and the rate limits see it."""

    def __init__(self, address: str, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Person(HttpUser):
    abstract = True

    def on_start(self):
        self.client.verify = False
        self.client.mount("https://", _SourceAddress(next(_addresses)))

    def fetch(self, path, name, *, method="GET", expect=200, data=None, headers=None, needle=None):
        """One request, named for the figures; a wrong status or a missing `needle` is a failure."""
        if MODE == "bare":
            method, path, name, expect, data, headers, needle = "GET", BARE, "bare", 200, None, None, None
        # What a browser sends on the deployment's own port 443 (nginx passes the host without the port).
        referer = {"Referer": "https://" + self.host.split("://", 1)[-1].split(":")[0] + path}
        with self.client.request(
            method,
            path,
            name=name,
            data=data,
            headers={**referer, **(headers or {})},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
                return None
            if needle is not None and needle not in response.text:
                response.failure(f"{needle!r} not in the page")
                return None
            response.success()
            return response

    def think(self, span):
        gevent.sleep(random.uniform(*span))


class Staff(Person):
    fixed_count = int(os.environ.get("BENCH_WEB_STAFF", "200"))
    wait_time = between(*STAFF_THINK)

    def on_start(self):
        super().on_start()
        self.username = next(_staff)
        self.leader = "-leader-" in self.username
        self.cases: list[str] = []
        if MODE == "bare":
            return
        page = self.fetch("/accounts/login/", "login page")
        if page is None:
            return
        token = CSRF_INPUT.search(page.text).group(1)
        data = {"username": self.username, "password": ACCOUNTS["password"], "csrfmiddlewaretoken": token}
        if self.fetch("/accounts/login/", "login", method="POST", data=data, expect=302) is not None:
            self.think(STAFF_THINK)

    def open_list(self):
        path = random.choice(["/cases/", "/cases/all/", "/cases/all/?page=2"])
        page = self.fetch(path, "workbench list", needle="</html>")
        if page is not None:
            self.cases = CASE_LINK.findall(page.text) or self.cases

    @task(2)
    def workbench_list(self):
        self.open_list()

    @task(3)
    def case_page(self):
        if not self.cases and MODE != "bare":
            self.open_list()
            self.think(STAFF_THINK)
        if not self.cases and MODE != "bare":
            return  # an empty list (or one that failed, counted as such): nothing to open
        pk = random.choice(self.cases) if self.cases else "0"
        self.fetch(f"/cases/{pk}/", "case page", needle="</html>")

    @task(1)
    def cockpit(self):
        if self.leader or MODE == "bare":
            self.fetch("/insights/", "cockpit", needle="</html>")
        else:
            self.open_list()


class Resident(Person):
    fixed_count = int(os.environ.get("BENCH_WEB_RESIDENTS", "50"))
    wait_time = between(*RESIDENT_STEPS["leave"])

    def read_code(self, phone: str) -> str:
        """The code from the text message on this phone (the message arrives within a moment)."""
        deadline = time.monotonic() + 10
        message = SMS_DIR / phone
        while time.monotonic() < deadline:
            if message.exists():
                found = CODE.search(message.read_text(encoding="utf-8"))
                if found:
                    return found.group(1)
            gevent.sleep(0.2)
        return ""

    @task
    def submit_appeal(self):
        self.fetch("/h5/", "h5 home", needle="</html>")
        self.think(RESIDENT_STEPS["home"])
        form = self.fetch("/h5/new/", "h5 form", needle="</html>")
        self.think(RESIDENT_STEPS["form"])
        if MODE == "bare":  # the same seven requests at the same moments
            for count, step in ((2, "code"), (1, "write"), (2, None)):
                for _ in range(count):
                    self.fetch(BARE, "bare")
                if step:
                    self.think(RESIDENT_STEPS[step])
            return
        if form is None:
            return
        token = CSRF_INPUT.search(form.text).group(1)
        categories = CATEGORY.findall(form.text)
        select = ESTATE_SELECT.search(form.text)
        estates = OPTION.findall(select.group(0)) if select else []
        phone = next(_phones)
        csrf = {"X-CSRFToken": token}
        if (
            self.fetch("/h5/new/code/", "h5 send code", method="POST", data={"phone": phone}, headers=csrf)
            is None
        ):
            return
        estate = random.choice(estates)
        self.fetch(f"/h5/new/places/{estate}/buildings/", "h5 buildings", needle="buildings")
        code = self.read_code(phone)
        self.think(RESIDENT_STEPS["code"])
        checked = self.fetch(
            "/h5/new/code/check/",
            "h5 check code",
            method="POST",
            data={"phone": phone, "code": code},
            headers=csrf,
        )
        if checked is None:
            return
        self.think(RESIDENT_STEPS["write"])
        data = {
            "csrfmiddlewaretoken": token,
            "category": random.choice(categories),
            "description": f"小区{random.randint(1, 30)}号楼下水道堵塞，污水外溢，请尽快处理（压力测试）",
            "estate": estate,
            "building": "",
            "address": "",
            "reporter_name": "居民",
            "phone": phone,
            "code": code,
        }
        sent = self.fetch("/h5/new/", "h5 submit", method="POST", data=data, expect=302)
        if sent is None:
            return
        location = sent.headers.get("Location", "")
        if "/h5/submitted/" not in location:
            return
        self.fetch(location, "h5 submitted", needle="</html>")
