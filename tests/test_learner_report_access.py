"""Who may see a learner's report, on the page, the API and the PDF: the learner; a parent while the learner
shares with them; the clinician whose client record is linked to the learner's account; staff (a recorded staff
operation); nobody else (404, revealing nothing). Every look at someone else's report is in the audit log."""

import re
import zlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from myApp.accounts import services as account_services
from myApp.accounts.models import AccessRecord, ChildPrivacySettings
from myApp.analytics import report_pdf, report_views
from myApp.lib import access
from tests import clinical_helpers
from tests.factories import UserFactory
from tests.test_learner_report import busy_learner  # noqa: F401  (the hand-built learner)

OK, HIDDEN = 200, 404


@pytest.fixture
def clinicians(owner):
    """A psychologist whose client record is the owner's account, and one whose client of the same name is not."""
    linked = clinical_helpers.clinician_create("linked_clinician")
    clinical_helpers.client_create(linked, name="Owner", user=owner)
    unlinked = clinical_helpers.clinician_create("unlinked_clinician")
    clinical_helpers.client_create(unlinked, name="Owner")
    return {"clinician_linked": linked, "clinician_unlinked": unlinked}


@pytest.fixture
def everyone(personas, clinicians):
    return {**personas, **clinicians}


EXPECTED = {
    "owner": OK,
    "parent_with_consent": OK,
    "parent_without_consent": HIDDEN,
    "clinician_linked": OK,
    "clinician_unlinked": HIDDEN,
    "staff": OK,
    "outsider": HIDDEN,
}
THROUGH = {
    "parent_with_consent": "parent_with_consent",
    "clinician_linked": "clinician_of_linked_client",
    "staff": access.STAFF_OPERATIONS,
}


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


SURFACES = {
    "page": lambda user, pk, api_as: page_client(user).get(reverse("reports:learner", args=[pk])),
    "pdf": lambda user, pk, api_as: page_client(user).get(reverse("reports:learner_pdf", args=[pk])),
    "api": lambda user, pk, api_as: api_as(user).get(reverse("api-learner-report", args=[pk])),
}


def records(viewer, subject) -> list[tuple[str, str]]:
    return list(AccessRecord.objects.filter(viewer=viewer, subject=subject).values_list("what", "through"))


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_it_shows_the_report_only_to_who_may_see_it_and_records_each_look(surface, everyone, owner, api_as):
    for persona, expected in EXPECTED.items():
        viewer = everyone[persona]
        response = SURFACES[surface](viewer, owner.pk, api_as)
        assert response.status_code == expected, (surface, persona, response.status_code)
        if persona in THROUGH:
            assert records(viewer, owner) == [(access.LEARNER_REPORT, THROUGH[persona])], (surface, persona)
        else:
            assert records(viewer, owner) == [], (surface, persona)


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_it_answers_404_for_a_learner_who_does_not_exist(surface, outsider, staff, api_as):
    for viewer in (outsider, staff):
        assert SURFACES[surface](viewer, 2**40, api_as).status_code == HIDDEN


def test_it_stops_showing_a_parent_the_report_once_consent_is_revoked(owner, member, api_as):
    url = reverse("api-learner-report", args=[owner.pk])
    assert api_as(member).get(url).status_code == OK
    link = ChildPrivacySettings.objects.get(parent=member, child=owner)
    account_services.child_consent_set(link=link, by=owner, share=False)
    assert api_as(member).get(url).status_code == HIDDEN


def test_it_shows_your_own_report_at_me_and_at_report(owner, api_as):
    body = api_as(owner).get(reverse("api-me-report")).json()
    assert body["learner"] == {"id": owner.pk, "username": "owner"}
    assert set(body) == {"learner", "learning", "quests", "wellbeing"}
    page = page_client(owner).get(reverse("reports:mine"))
    assert page.status_code == OK and b"Your report" in page.content
    assert AccessRecord.objects.filter(subject=owner).count() == 0  # one's own look is not recorded


def test_it_asks_anonymous_callers_to_sign_in(owner, anon_api):
    assert anon_api.get(reverse("api-me-report")).status_code in (401, 403)
    assert Client().get(reverse("reports:mine")).status_code == 302
    assert Client().get(reverse("reports:learner_pdf", args=[owner.pk])).status_code == 302


def test_it_renders_a_pdf_from_the_print_template_with_the_learners_level(owner, curriculum, monkeypatch):
    rendered: list[str] = []

    def spy(html: str) -> bytes:
        rendered.append(html)
        return report_pdf.html_to_pdf(html)

    monkeypatch.setattr(report_views, "html_to_pdf", spy)
    response = page_client(owner).get(reverse("reports:mine_pdf"))

    assert response.status_code == OK
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="report-owner.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF") and len(response.content) > 5_000
    (html,) = rendered
    assert "Working on Level 1: Foundations." in html
    assert "size: A4" in html
    assert "http://" not in html.replace("http://www.w3.org/", "") and "https://" not in html


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with its compressed streams inflated (page dictionaries live in object streams)."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return pdf + b"".join(inflated)


def test_it_prints_the_pdf_on_a4_pages_with_the_charts_drawn(busy_learner):  # noqa: F811
    response = page_client(busy_learner).get(reverse("reports:mine_pdf"))
    objects = pdf_objects(response.content)
    boxes = set(re.findall(rb"/MediaBox\s*\[([^\]]*)\]", objects))
    assert boxes == {b"0 0 595.275591 841.889764"}  # A4 in points
    assert len(re.findall(rb"/Type\s*/Page\b", objects)) >= 2
    assert b"/Subtype /Form" in objects  # the SVG charts, drawn as form XObjects (a report without any has none)


def test_it_limits_how_many_pdfs_a_user_draws(owner, monkeypatch):
    """A PDF costs a second or more of CPU: past ``THROTTLE_REPORT_PDF_RATE`` the page answers 429 with the way
    back to the report, and draws nothing."""
    from myApp.analytics.throttling import ReportPdfRateThrottle

    monkeypatch.setattr(ReportPdfRateThrottle, "THROTTLE_RATES", {"report_pdf": "2/hour"})
    drawn = []
    monkeypatch.setattr(report_views, "html_to_pdf", lambda html: drawn.append(1) or b"%PDF-1.7 stub")
    browser = page_client(owner)
    answers = [browser.get(reverse("reports:mine_pdf")) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [OK, OK, 429] and len(drawn) == 2
    assert answers[2]["Retry-After"] and reverse("reports:mine").encode() in answers[2].content


def test_it_fetches_nothing_but_data_uris_for_the_pdf():
    fetcher = report_pdf.no_remote_fetcher()
    for url in ("http://127.0.0.1:9/x.png", "https://example.org/x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"  # the charts are data: URIs


def test_it_lists_the_report_endpoints_in_the_openapi_schema():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/me/report/", "/api/v1/learners/{user_id}/report/"):
        assert paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/LearnerReport"
        )


def test_it_answers_the_reports_figures_as_json(busy_learner, api_as):  # noqa: F811
    body = api_as(busy_learner).get(reverse("api-me-report")).json()
    assert body["learning"]["current_level"] == {"number": 1, "title": "Foundations"}
    assert [row["date"] for row in body["learning"]["xp_over_time"]] == ["2026-03-01", "2026-03-03"]
    assert body["wellbeing"]["moods"]["recent"][0] == {"date": "2026-03-01", "mood": "Calm"}
    assert [row["band"]["key"] for row in body["wellbeing"]["self_checks"]["recent"]][-1] == "hard"


def test_it_links_a_parent_from_the_childs_progress_to_the_report(owner, member):
    page = page_client(member).get(reverse("accounts:child_progress", args=[owner.pk]))
    assert reverse("reports:learner", args=[owner.pk]).encode() in page.content


def test_it_answers_404_for_ids_that_name_nobody(owner, staff, api_as):
    for pk in (0, 2**63, 2**70):
        assert page_client(staff).get(f"/report/{pk}/").status_code == HIDDEN
        assert api_as(owner).get(f"/api/v1/learners/{pk}/report/").status_code == HIDDEN


def test_it_reads_as_many_queries_for_a_busy_learner_as_for_an_empty_one_on_every_surface(busy_learner, api_as):  # noqa: F811
    empty = UserFactory(username="newcomer")
    for surface in ("mine", "mine_pdf", "api"):
        counts = []
        for user in (empty, busy_learner):
            client = api_as(user) if surface == "api" else page_client(user)
            url = reverse("api-me-report") if surface == "api" else reverse(f"reports:{surface}")
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == OK
            counts.append(len(queries.captured_queries))
        assert counts[0] == counts[1], (surface, counts)


def test_it_tells_each_viewer_why_they_see_someone_elses_report(everyone, owner):
    """A clinician was told the learner 'shares this with you', which the learner never chose (new-user review): the
    link to their clinician is named as what it is."""
    clinician_page = page_client(everyone["clinician_linked"]).get(reverse("reports:learner", args=[owner.pk]))
    assert "linked to you as their clinician" in clinician_page.content.decode()
    assert "shares this with you" not in clinician_page.content.decode()
    parent_page = page_client(everyone["parent_with_consent"]).get(reverse("reports:learner", args=[owner.pk]))
    assert "shares this with you" in parent_page.content.decode()
