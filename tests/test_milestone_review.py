"""Teachers reviewing milestone attempts their learners shared: who may see them, the queue, the API, the pages,
and how a review decides the attempt (myApp.curriculum.services.milestones, review_selectors)."""

import pytest
from django.urls import reverse

from myApp.accounts.models import AccessRecord, Profile, Role
from myApp.curriculum import services
from myApp.curriculum.models import MilestoneAttempt
from myApp.curriculum.models.speech import AnalysisStatus, MilestoneReview, SpeechRecording
from myApp.lib import access
from myApp.lib.exceptions import Conflict
from tests.factories import UserFactory
from tests.milestone_review_helpers import (
    FLAT_ACOUSTIC,
    GOOD_ACOUSTIC,
    attach_recording,
    complete_analysis,
    linked_attempt,
    ready_for_milestone,
    teacher_of,
)

pytestmark = pytest.mark.django_db

ALL_HIGH = {"clarity": 90, "structure": 90, "pacing": 90, "confidence": 90, "engagement": 90}


@pytest.fixture
def ready(owner, curriculum, complete_lesson):
    ready_for_milestone(owner, curriculum, complete_lesson)
    return curriculum.level


@pytest.fixture
def teacher(owner):
    return teacher_of(owner, username="teacher")


@pytest.fixture
def other_teacher(outsider):
    return teacher_of(outsider, username="other_teacher")


def looks(viewer) -> list[AccessRecord]:
    return list(AccessRecord.objects.filter(viewer=viewer, what=access.MILESTONE_REVIEW))


# --- who may see an attempt for review -------------------------------------------------------------------


def test_it_shows_a_shared_attempt_to_the_learners_teacher_and_records_the_look(client, owner, teacher, ready):
    attempt = linked_attempt(owner, ready)
    client.force_login(teacher)
    response = client.get(reverse("curriculum:review_attempt", args=[attempt.pk]))
    assert response.status_code == 200
    assert b'data-testid="review-form"' in response.content
    [record] = looks(teacher)
    assert (record.subject_id, record.through) == (owner.pk, "teacher_of_course")


def test_it_hides_an_unshared_attempt_from_the_same_teacher(client, owner, teacher, ready):
    attempt = linked_attempt(owner, ready, shared=False)
    client.force_login(teacher)
    assert client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).status_code == 404
    assert looks(teacher) == []


def test_it_hides_a_withdrawn_attempt(client, owner, teacher, ready):
    attempt = linked_attempt(owner, ready)
    services.milestone_review_withdraw(user=owner, attempt=attempt)
    client.force_login(teacher)
    assert client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).status_code == 404


@pytest.mark.parametrize("who", ["other_teacher", "outsider"])
def test_it_hides_a_shared_attempt_from_anyone_else(request, client, owner, ready, who):
    attempt = linked_attempt(owner, ready)
    viewer = request.getfixturevalue(who)
    client.force_login(viewer)
    assert client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("curriculum:review_attempt", args=[attempt.pk]), {"comments": "Nice"}).status_code == 404
    assert not MilestoneReview.objects.exists()


def test_a_teacher_who_lost_the_enrolment_or_the_role_sees_nothing(client, owner, teacher, ready):
    attempt = linked_attempt(owner, ready)
    client.force_login(teacher)
    url = reverse("curriculum:review_attempt", args=[attempt.pk])
    assert client.get(url).status_code == 200
    enrolment = owner.enrollments.get()
    enrolment.delete()
    assert client.get(url).status_code == 404
    services.course_enroll(user=owner, course=enrolment.course)
    assert client.get(url).status_code == 200
    teacher.role = Role.LEARNER
    teacher.save(update_fields=["role"])
    assert client.get(url).status_code == 404


def test_a_learner_enrolled_in_a_teachers_course_is_not_a_teacher(client, owner, ready, curriculum):
    """A learner who happens to be set as a course's teacher without the role is no reviewer."""
    fake = teacher_of(owner, username="learner_teacher")
    fake.role = Role.LEARNER
    fake.save(update_fields=["role"])
    attempt = linked_attempt(owner, ready)
    client.force_login(fake)
    assert client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).status_code == 404


def test_staff_review_any_shared_attempt_as_a_recorded_operation(client, owner, staff, ready):
    attempt = linked_attempt(owner, ready)
    client.force_login(staff)
    assert client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).status_code == 200
    [record] = looks(staff)
    assert record.through == access.STAFF_OPERATIONS
    unshared = linked_attempt(owner, ready, shared=False)
    assert client.get(reverse("curriculum:review_attempt", args=[unshared.pk])).status_code == 404


def test_nobody_reviews_their_own_attempt(client, owner, ready):
    attempt = linked_attempt(owner, ready)
    client.force_login(owner)
    assert client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).status_code == 404


def test_the_owner_sees_the_evaluation_and_the_reviews(client, owner, teacher, ready):
    attempt = linked_attempt(owner, ready, score=60)
    services.milestone_review_create(reviewer=teacher, attempt_id=attempt.pk, comments="Slow down.", scores={})
    client.force_login(owner)
    response = client.get(reverse("curriculum:milestone_result", args=[attempt.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Slow down." in body and 'data-testid="criterion-clarity"' in body
    assert "A linked recording cannot be measured" in body
    assert 'data-testid="withdraw-review"' not in body  # reviewed: the request stays


# --- the queue -------------------------------------------------------------------------------------------


def test_the_queue_lists_shared_attempts_of_the_teachers_learners_only(client, owner, outsider, teacher, ready):
    shared = linked_attempt(owner, ready)
    unshared = linked_attempt(owner, ready, shared=False)
    client.force_login(teacher)
    body = client.get(reverse("curriculum:review_queue")).content.decode()
    assert f'data-testid="queue-{shared.pk}"' in body
    assert f'data-testid="queue-{unshared.pk}"' not in body
    client.force_login(outsider)
    assert 'data-testid="queue-empty"' in client.get(reverse("curriculum:review_queue")).content.decode()


def test_the_queue_api_costs_the_same_for_many_learners(
    api_as, owner, teacher, ready, curriculum, complete_lesson, django_assert_num_queries
):
    linked_attempt(owner, ready)
    api = api_as(teacher)
    with django_assert_num_queries(3) as first:  # the token, the attempts, the looks recorded
        assert len(api.get("/api/v1/milestone-reviews/").json()) == 1
    for n in range(3):
        learner = UserFactory(username=f"learner{n}")
        services.course_enroll(user=learner, course=owner.enrollments.get().course)
        ready_for_milestone(learner, curriculum, complete_lesson)
        attach_recording(linked_attempt(learner, ready))
    with django_assert_num_queries(len(first.captured_queries)):
        rows = api.get("/api/v1/milestone-reviews/").json()
    assert len(rows) == 4
    assert {row["learner"] for row in rows} == {"owner", "learner0", "learner1", "learner2"}
    assert AccessRecord.objects.filter(viewer=teacher, what=access.MILESTONE_REVIEW).count() == 1 + 4


# --- the API ---------------------------------------------------------------------------------------------


def test_the_learner_requests_and_withdraws_a_review_through_the_api(api_as, owner, outsider, ready):
    attempt = linked_attempt(owner, ready, shared=False)
    api = api_as(owner)
    response = api.post(f"/api/v1/milestones/{attempt.pk}/request-review/")
    assert response.status_code == 200 and response.json()["review_requested_at"]
    assert api_as(outsider).post(f"/api/v1/milestones/{attempt.pk}/withdraw-review/").status_code == 404
    response = api.post(f"/api/v1/milestones/{attempt.pk}/withdraw-review/")
    assert response.status_code == 200 and response.json()["review_requested_at"] is None


def test_a_reviewed_attempt_keeps_its_request(api_as, owner, teacher, ready):
    attempt = linked_attempt(owner, ready)
    services.milestone_review_create(reviewer=teacher, attempt_id=attempt.pk, comments="Good.", scores={})
    response = api_as(owner).post(f"/api/v1/milestones/{attempt.pk}/withdraw-review/")
    assert response.status_code == 409
    with pytest.raises(Conflict):
        services.milestone_review_withdraw(user=owner, attempt=attempt)


def test_a_review_through_the_api_lifts_the_attempt_to_a_pass_and_pays_once(api_as, owner, teacher, ready):
    attempt = linked_attempt(owner, ready, score=40)
    assert not attempt.pass_bool
    xp_before = Profile.objects.get(user=owner).xp
    api = api_as(teacher)
    body = {"attempt": attempt.pk, "comments": "Much better than you think.", "scores": ALL_HIGH}
    assert api.post("/api/v1/milestone-reviews/", body, format="json").status_code == 201
    assert api.post("/api/v1/milestone-reviews/", body, format="json").status_code == 201
    attempt.refresh_from_db()
    assert (attempt.pass_bool, attempt.rewarded, attempt.score) == (True, True, 90)
    assert Profile.objects.get(user=owner).xp == xp_before + ready.milestone_xp_reward
    detail = api_as(owner).get(f"/api/v1/milestones/{attempt.pk}/").json()
    assert {row["source"] for row in detail["evaluation"]["criteria"] if row["score"] is not None} == {"teacher"}
    assert len(detail["reviews"]) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"comments": ""}, "comments"),
        ({"comments": "x" * 4001}, "comments"),
        ({"comments": "ok", "scores": {"clarity": 101}}, "scores.clarity"),
        ({"comments": "ok", "scores": {"humour": 50}}, "scores"),
        ({"comments": "ok", "scores": {"clarity": True}}, "scores.clarity"),
        ({"comments": "ok", "scores": "[1]"}, "scores"),
        ({"comments": "nul\x00"}, "comments"),
    ],
)
def test_a_bad_review_is_a_400_naming_the_field(api_as, owner, teacher, ready, body, field):
    attempt = linked_attempt(owner, ready)
    response = api_as(teacher).post("/api/v1/milestone-reviews/", {"attempt": attempt.pk, **body}, format="json")
    assert response.status_code == 400, response.content
    assert field in str(response.json())
    assert not MilestoneReview.objects.exists()


def test_reviewing_what_you_may_not_see_is_a_404(api_as, owner, other_teacher, ready):
    attempt = linked_attempt(owner, ready)
    body = {"attempt": attempt.pk, "comments": "Hello"}
    assert api_as(other_teacher).post("/api/v1/milestone-reviews/", body, format="json").status_code == 404
    assert (
        api_as(other_teacher).post("/api/v1/milestone-reviews/", {**body, "attempt": 2**62}, format="json").status_code
        == 404
    )


# --- deciding --------------------------------------------------------------------------------------------


def test_an_attempt_awaits_its_measures_then_is_decided_on_them(client, owner, ready):
    attempt = linked_attempt(owner, ready, score=70, shared=False)
    MilestoneAttempt.objects.filter(pk=attempt.pk).update(pass_bool=False, rewarded=False)
    recording = attach_recording(attempt)
    assert services.awaiting_measures(MilestoneAttempt.objects.get(pk=attempt.pk))
    services.milestone_decide(attempt_id=attempt.pk)  # too early: nothing changes
    attempt.refresh_from_db()
    assert not attempt.pass_bool
    client.force_login(owner)
    body = client.get(reverse("curriculum:milestone_result", args=[attempt.pk])).content.decode()
    assert 'data-testid="awaiting"' in body and 'http-equiv="refresh"' in body
    complete_analysis(recording, FLAT_ACOUSTIC)  # pitch variety 0, pauses 100 → measured 50
    services.milestone_decide(attempt_id=attempt.pk)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.pass_bool) == (60, False)
    body = client.get(reverse("curriculum:milestone_result", args=[attempt.pk])).content.decode()
    assert 'data-testid="awaiting"' not in body and 'data-testid="criterion-pitch_variety"' in body


def test_a_failed_analysis_is_decided_on_what_is_known(owner, ready):
    attempt = linked_attempt(owner, ready, score=75, shared=False)
    MilestoneAttempt.objects.filter(pk=attempt.pk).update(pass_bool=False, rewarded=False)
    attach_recording(attempt, status=AnalysisStatus.FAILED)
    xp_before = Profile.objects.get(user=owner).xp
    services.milestone_decide(attempt_id=attempt.pk)
    services.milestone_decide(attempt_id=attempt.pk)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.pass_bool, attempt.rewarded) == (75, True, True)
    assert Profile.objects.get(user=owner).xp == xp_before + ready.milestone_xp_reward


def test_good_measures_lift_a_middling_self_score(owner, ready):
    attempt = linked_attempt(owner, ready, score=50, shared=False)
    attach_recording(attempt, status=AnalysisStatus.COMPLETED, acoustic=GOOD_ACOUSTIC)
    decided = services.milestone_decide(attempt_id=attempt.pk)
    assert (decided.score, decided.pass_bool) == (75, True)


def test_a_pass_stands_when_a_review_scores_lower(client, owner, teacher, ready):
    attempt = linked_attempt(owner, ready, score=90)
    assert attempt.pass_bool and attempt.rewarded
    services.milestone_review_create(
        reviewer=teacher, attempt_id=attempt.pk, comments="Not yet there.", scores={"clarity": 20}
    )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.pass_bool, attempt.rewarded) == (20, True, True)
    client.force_login(owner)
    body = client.get(reverse("curriculum:milestone_result", args=[attempt.pk])).content.decode()
    assert 'data-testid="pass-stands"' in body


def test_the_latest_review_wins_per_criterion(owner, teacher, ready):
    attempt = linked_attempt(owner, ready, score=50)
    services.milestone_review_create(reviewer=teacher, attempt_id=attempt.pk, comments="a", scores={"clarity": 60})
    services.milestone_review_create(reviewer=teacher, attempt_id=attempt.pk, comments="b", scores={"clarity": 65})
    attempt.refresh_from_db()
    assert attempt.score == 65


def test_the_review_page_form_adds_a_review(client, owner, teacher, ready):
    attempt = linked_attempt(owner, ready, score=40)
    client.force_login(teacher)
    url = reverse("curriculum:review_attempt", args=[attempt.pk])
    assert client.post(url, {"comments": "", "clarity": "80"}).status_code == 400
    response = client.post(url, {"comments": "Clear and calm.", "clarity": "80"})
    assert response.status_code == 302
    review = MilestoneReview.objects.get()
    assert (review.reviewer, review.scores) == (teacher, {"clarity": 80})
    attempt.refresh_from_db()
    assert attempt.pass_bool


# --- a recorded attempt end to end -----------------------------------------------------------------------


def recorded_attempt(user, level, *, score: int = 60):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.speech_helpers import SENTENCES, talk_wav

    audio = SimpleUploadedFile("my talk.wav", talk_wav(), content_type="audio/wav")
    return services.milestone_submit(
        user=user, level=level, rubric_scores={"clarity": score}, audio=audio, transcript=" ".join(SENTENCES)
    )


def test_an_uploaded_attempt_awaits_its_measures_until_the_analysis_decides_it(
    client, owner, ready, django_capture_on_commit_callbacks
):
    attempt = recorded_attempt(owner, ready)  # the analysis is queued on commit, which this test holds back
    client.force_login(owner)
    body = client.get(reverse("curriculum:milestone_result", args=[attempt.pk])).content.decode()
    assert 'data-testid="awaiting"' in body and '<dd data-testid="result">Awaiting measures</dd>' in body
    with django_capture_on_commit_callbacks(execute=True):
        attempt = recorded_attempt(owner, ready)
    attempt.refresh_from_db()
    assert attempt.recording.analysis_status == AnalysisStatus.COMPLETED
    evaluation = services.attempt_evaluation(attempt)
    assert {row.name for row in evaluation.measured if row.score is not None} == {
        "pace",
        "fillers",
        "pitch_variety",
        "pauses",
    }
    assert attempt.score == evaluation.score


def test_a_refused_upload_keeps_no_attempt(owner, ready):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from myApp.lib.exceptions import ServiceError

    notes = SimpleUploadedFile("talk.webm", b"my notes, not a recording", content_type="audio/webm")
    with pytest.raises(ServiceError) as refused:
        services.milestone_submit(user=owner, level=ready, rubric_scores={"clarity": 90}, audio=notes)
    assert list(refused.value.errors) == ["audio"]
    assert not MilestoneAttempt.objects.exists()


def test_the_reviewing_teacher_listens_and_others_do_not(client, owner, teacher, other_teacher, staff, ready):
    attempt = recorded_attempt(owner, ready)
    url = reverse("curriculum:recording_audio", args=[attempt.recording.pk])
    client.force_login(teacher)
    assert client.get(url).status_code == 404  # not shared yet
    services.milestone_review_request(user=owner, attempt=attempt)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert looks(teacher)[-1].subject_id == owner.pk
    page = client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).content.decode()
    assert f'src="{url}"' in page
    client.force_login(other_teacher)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert looks(staff)[-1].through == access.STAFF_OPERATIONS
    services.milestone_review_withdraw(user=owner, attempt=attempt)
    client.force_login(teacher)
    assert client.get(url).status_code == 404


def test_the_navigation_offers_the_review_queue_to_teachers_and_staff_only(client, owner, teacher, staff):
    queue = reverse("curriculum:review_queue")
    for user, offered in ((owner, False), (teacher, True), (staff, True)):
        client.force_login(user)
        assert (f'href="{queue}"' in client.get(reverse("curriculum:courses")).content.decode()) is offered


def test_reviews_are_in_the_learners_export_and_survive_the_teachers_erasure(owner, teacher, staff, ready):
    from myApp.accounts.services.data_rights import account_erase, export_document

    attempt = linked_attempt(owner, ready)
    review = services.milestone_review_create(
        reviewer=teacher, attempt_id=attempt.pk, comments="Keep the pauses.", scores={"clarity": 80}
    )
    exported = export_document(user=owner)
    assert "Keep the pauses." in str(exported)
    account_erase(user=teacher, by=staff)
    review.refresh_from_db()
    assert (review.reviewer_id, review.comments, review.scores) == (None, "Keep the pauses.", {"clarity": 80})
    account_erase(user=owner, by=staff)
    assert not MilestoneReview.objects.exists()


def test_the_result_page_asks_for_and_withdraws_a_review(client, owner, outsider, ready):
    attempt = linked_attempt(owner, ready, shared=False)
    result = reverse("curriculum:milestone_result", args=[attempt.pk])
    client.force_login(outsider)
    assert client.post(reverse("curriculum:milestone_review_request", args=[attempt.pk])).status_code == 404
    client.force_login(owner)
    assert 'data-testid="request-review"' in client.get(result).content.decode()
    response = client.post(reverse("curriculum:milestone_review_request", args=[attempt.pk]))
    assert response.status_code == 302 and response["Location"] == result
    body = client.get(result).content.decode()
    assert 'data-testid="review-requested"' in body and 'data-testid="withdraw-review"' in body
    client.post(reverse("curriculum:milestone_review_withdraw", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.review_requested_at is None


def test_the_review_page_costs_the_same_with_more_reviews(client, owner, teacher, ready, django_assert_num_queries):
    attempt = linked_attempt(owner, ready)
    services.milestone_review_create(reviewer=teacher, attempt_id=attempt.pk, comments="One.", scores={})
    client.force_login(teacher)
    url = reverse("curriculum:review_attempt", args=[attempt.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(3):
        services.milestone_review_create(reviewer=teacher, attempt_id=attempt.pk, comments=f"More {n}.", scores={})
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).content.decode().count('data-testid="review-') >= 4


def test_the_milestone_page_lists_an_attempt_awaiting_its_measures(client, owner, ready):
    attempt = recorded_attempt(owner, ready)  # its analysis is held back (queued on commit)
    linked = linked_attempt(owner, ready, score=40, shared=False)
    client.force_login(owner)
    page = client.get(reverse("curriculum:milestone", args=[ready.number])).content.decode()
    row = page.split(f'data-testid="attempt-{attempt.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Awaiting measures" in row
    other = page.split(f'data-testid="attempt-{linked.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Not yet" in other


def test_the_teacher_sees_the_recordings_measures_in_the_teachers_words(client, owner, teacher, ready):
    """Review 1125: the learner's feedback page is the owner's alone, so the review page shows the measures, the
    timeline and the marked transcript itself, and calls the learner's scores the learner's."""
    attempt = linked_attempt(owner, ready, score=60)
    recording = attach_recording(
        attempt,
        status=AnalysisStatus.COMPLETED,
        acoustic={"duration_seconds": 60.0, "speaking_seconds": 50.0, "pauses_per_minute": 4.0, "pause_count": 4},
    )
    SpeechRecording.objects.filter(pk=recording.pk).update(transcript="So, um, I think the bridge should stay.")
    client.force_login(teacher)
    body = client.get(reverse("curriculum:review_attempt", args=[attempt.pk])).content.decode()
    assert "The recording's measures" in body
    assert 'data-testid="measure-pauses-value">4 per minute' in body
    assert 'data-testid="measure-hedges-value">1 (“I think”)' in body
    assert '<mark class="filler">um</mark>' in body and 'class="meta transcript-key"' in body
    assert "The learner's own score" in body and "Your own score" not in body


def test_a_sent_review_says_so_and_comes_back_as_a_get(client, owner, teacher, ready):
    attempt = linked_attempt(owner, ready, score=40)
    client.force_login(teacher)
    url = reverse("curriculum:review_attempt", args=[attempt.pk])
    response = client.post(url, {"comments": "Clear and calm.", "clarity": "80"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Review sent" in response.content.decode()
