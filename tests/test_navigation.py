"""The site navigation offers each role the pages it can use (the rule is the services', read by the
context processor, never compared in templates), the two family pages have distinct names, and a
refused page (403) keeps the site's layout with the reason and a way back."""

import pathlib
import re
from html import unescape

import pytest
from django.urls import reverse

from myApp.accounts.models import Role
from tests.factories import ParentFactory, StaffFactory, UserFactory
from tests.quest_helpers import psychologist_create

pytestmark = pytest.mark.django_db

TEMPLATES = pathlib.Path(__file__).resolve().parent.parent / "templates"
BUILDER = reverse("quest_builder:list")
FAMILY_LINKS = reverse("accounts:family")
CHILDRENS_QUESTS = reverse("quests:family")
REVIEWS = reverse("quests:reviews")


def _personas() -> dict:
    return {
        "learner": UserFactory(username="nav_learner"),
        "parent": ParentFactory(username="nav_parent"),
        "teacher": UserFactory(username="nav_teacher", role=Role.TEACHER),
        "psychologist": psychologist_create("nav_psychologist"),
        "staff": StaffFactory(username="nav_staff", is_staff=True),
    }


def _nav_links(html: str) -> set[str]:
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    quest_nav = re.search(r'<nav class="breadcrumbs" aria-label="Quests">.*?</nav>', html, re.S)
    return set(re.findall(r'href="([^"]+)"', header + (quest_nav.group(0) if quest_nav else "")))


# persona: (builder, family links page, children's quests page, review queue)
EXPECTED = {
    "learner": (False, True, False, False),
    "parent": (True, True, True, False),
    "teacher": (False, False, False, False),
    "psychologist": (True, False, False, True),  # psychologists write quests too (quest_writing_refused_for)
    "staff": (True, True, True, False),
}


def test_it_offers_each_role_only_the_pages_it_can_use(client):
    for name, user in _personas().items():
        client.force_login(user)
        links = _nav_links(client.get(reverse("quests:marketplace")).content.decode())
        seen = tuple(url in links for url in (BUILDER, FAMILY_LINKS, CHILDRENS_QUESTS, REVIEWS))
        assert seen == EXPECTED[name], name


def test_no_template_compares_roles_itself():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"\buser\.role\b", path.read_text())  # a message's ``m.role`` is not an account role
    ]
    assert offenders == []


def test_the_two_family_pages_have_distinct_names_that_say_what_they_are(client):
    client.force_login(ParentFactory(username="nav_parent"))
    titles = {}
    for url in (FAMILY_LINKS, CHILDRENS_QUESTS):
        html = client.get(url).content.decode()
        title, heading = re.search(r"<title>(.*?) ·", html).group(1), re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)
        titles[url] = (unescape(title), unescape(heading))
    assert titles[FAMILY_LINKS] == ("Family links", "Family links")
    assert titles[CHILDRENS_QUESTS] == ("Your children's quests", "Your children's quests")


def test_a_refused_page_has_the_site_layout_a_reason_and_a_way_back(client):
    client.force_login(UserFactory(username="nav_learner"))

    response = client.get(REVIEWS)

    assert response.status_code == 403
    html = response.content.decode()
    assert '<nav class="site-nav" aria-label="Main">' in html and 'href="/static/css/site.css"' in html
    assert "<title>Not available to your account · SpeakPro</title>" in html
    assert "Only psychologists review quests." in html  # the reason the view gave
    assert re.search(rf'href="{reverse("accounts:home")}" data-testid="forbidden-back"', html)


def test_the_api_keeps_its_json_403():
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from myApp.lib.errors import forbidden

    response = forbidden(RequestFactory().get("/api/v1/anything/"), PermissionDenied("no"))
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
