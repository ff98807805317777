"""Every role's home page and main pages in English, in a real Chromium at 1366 px (the residents' H5 at 375 px):
no interface text left in Chinese, no table header narrower than its words, no table cut at its right edge, no
page wider than the window. Screenshots go to ./screenshots/english/ for a person to look at.

Interface text and data are told apart by the database: data (names, titles, descriptions, categories) is a value
stored in a table, so a run of Chinese characters on the page that is one of the Chinese runs of a stored value is
data and may stay; any other Chinese on the page is interface text the English catalogue lacks.
"""

import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.cases import actions as case_actions
from minsheng.cases.models import Case
from minsheng.testing.fixtures import PASSWORD
from minsheng.testing.sample import sample_rows

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots" / "english"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")
HAN = re.compile(r"[\u3400-\u9fff]")

#: What the page shows, read in the browser: the visible text of the page (not of hidden menus or <select>
#: options, which are data), the table headers that are narrower than their longest word or cut off, the tables
#: wider than their frame, and whether the page scrolls sideways.
PROBE = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.trim() || el.closest('script,style,template,option,select,textarea,noscript')) continue;
    if (!visible(el)) continue;
    texts.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('input[placeholder],textarea[placeholder]'))
    if (visible(el)) texts.push(el.placeholder);
  const narrow = [];
  for (const th of document.querySelectorAll('th')) {
    if (!visible(th)) continue;
    if (th.scrollWidth > th.clientWidth + 1) narrow.push(th.innerText.trim());
  }
  const cut = [];
  for (const table of document.querySelectorAll('table')) {
    if (!visible(table)) continue;
    const frame = table.parentElement.getBoundingClientRect();
    if (table.getBoundingClientRect().right > Math.min(frame.right, window.innerWidth) + 1)
      cut.push((table.querySelector('th') || table).innerText.trim().slice(0, 40));
  }
  return {texts, narrow, cut, title: document.title,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


def stored_runs() -> set[str]:
    """Every run of Chinese characters in every text column of every table: the data a page may show."""
    runs: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value and HAN.search(value):
                    runs.update(CJK.findall(value))
    return runs


def untranslated(texts: list[str], data: set[str]) -> list[str]:
    """The Chinese runs of the page's texts that are no stored value's: interface text left in Chinese."""
    found = []
    for text in texts:
        for run in CJK.findall(text):
            if (
                HAN.search(run)
                and run not in data
                and not any(run in value for value in data if len(run) >= 4)
            ):
                found.append(text if len(text) < 80 else text[:80] + "…")
                break
    return sorted(set(found))


def people(world) -> dict:
    def person(username, role, node):
        user = account_actions.create_user(username=username, display_name=f"{username}", password=PASSWORD)
        account_actions.grant_membership(user=user, role=role, node=node)
        return user

    return {
        "admin": world.admin,
        "leader": person("leader", Role.STREET_LEADER, world.street),
        "cadre": person("cadre", Role.STREET_CADRE, world.street),
        "worker_a": world.worker_a,
        "grid_a": world.grid_a,
        "supervisor": person("supervisor", Role.VILLAGE_SUPERVISOR, world.community_b),
        "enterprise": person("enterprise", Role.ENTERPRISE_OFFICER, world.street),
        "property": person("property", Role.PROPERTY_STAFF, world.estate_a),
        "centre": person("centre", Role.MEDIATION_STAFF, world.street),
    }


def sign_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def english(browser, base: str, width: int, height: int = 900, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US", **options)
    context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    return context


def look(page, base: str, path: str, name: str, data: set[str], problems: list[str]) -> None:
    response = page.goto(base + path)
    assert response is not None and response.status < 400, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    seen = page.evaluate(PROBE)
    for text in untranslated([seen["title"], *seen["texts"]], data):
        problems.append(f"{name} {path}: Chinese left: {text}")
    for header in seen["narrow"]:
        problems.append(f"{name} {path}: header narrower than its text: {header}")
    for table in seen["cut"]:
        problems.append(f"{name} {path}: table cut at the right: {table}")
    if seen["overflow"] > 1:
        problems.append(f"{name} {path}: page {seen['overflow']} px wider than the window")


def test_every_role_s_pages_read_in_english_and_keep_their_layout(world, live_server, browser):
    rows = sample_rows(world)
    users = people(world)
    # A case waiting to be dispatched: its page shows the dispatch form.
    waiting = Case.objects.filter(accepted_at__isnull=True).exclude(pk=rows["case"].pk).first()
    case_actions.do_accept(waiting, actor=world.worker_a)
    data = stored_runs() | {"民生"}  # the product's name stays as it is
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    problems: list[str] = []

    main_pages = {
        "admin": [
            reverse("cases:todo"),
            reverse("cases:detail", args=[rows["case"].pk]),
            reverse("cases:detail", args=[waiting.pk]),
            reverse("cases:map"),
            reverse("agri:dashboard"),
            f"/iot/greenhouses/{rows['greenhouse'].pk}/",
            reverse("deliberation:meetings"),
            reverse("mediation:disputes"),
            reverse("enterprise:home"),
            reverse("activities:events"),
            reverse("cluster:home"),
            reverse("insights:cockpit"),
            reverse("insights:efficiency") + "?mine=1",
        ],
        "leader": [reverse("insights:efficiency")],
        "property": [reverse("org:node_detail", args=[world.estate_a.pk])],
    }
    for username, user in users.items():
        context = english(browser, base, 1366)
        page = sign_in(context, base, user.username)
        look(page, base, "/", f"{username}-home", data, problems)
        for i, path in enumerate(main_pages.get(username, [])):
            look(page, base, path, f"{username}-{i:02d}", data, problems)
        context.close()

    phone = english(browser, base, 375, 812, is_mobile=True)
    page = phone.new_page()
    for i, path in enumerate(("/h5/", "/h5/new/", "/h5/track/")):
        look(page, base, path, f"h5-{i}", data, problems)
    phone.close()
    assert not problems, "\n".join(problems)
