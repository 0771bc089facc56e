"""Who may reach every object: each route that names an object (a pk, id, slug or number in its URL),
generated from the API router and the URL patterns, asked by each persona.

``EXPECTED`` declares, per route and method, who may reach the owner's object. A route that names an
object and has no entry fails ``test_it_declares_who_may_reach_every_object_route``: nobody adds an
endpoint or a page without saying who sees it. The admin is staff operations (``tests/test_admin.py``).
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from myApp.accounts import services as account_services
from myApp.accounts.models import AccessRecord, ChildPrivacySettings
from myApp.curriculum import services as curriculum_services
from myApp.quests import daily_rules
from myApp.quests import services as quest_services
from myApp.quests.models import QuestBuilderSession
from myApp.quests.services import daily as daily_quest_services
from myApp.sessions import services as chat_services
from tests import clinical_helpers
from tests.factories import CourseFactory, ParentFactory
from tests.quest_helpers import psychologist_create, quest_draft, quest_listed, quest_reviewed
from tests.speech_helpers import amphitheatre_recording

OK, HIDDEN, FORBIDDEN = "ok", "404", "403"
PERSONAS = ("outsider", "parent_without_consent", "parent_with_consent", "owner", "staff")  # the owner acts late


def _only(allowed: dict[str, str], default: str = HIDDEN) -> dict[str, str]:
    return {persona: allowed.get(persona, default) for persona in PERSONAS}


OWN = _only({"owner": OK})  # the owner's rows: everyone else, staff included, gets 404
EVERYONE = _only({}, default=OK)  # content and catalogue: every signed-in user
STAFF_WRITES = _only({"staff": OK}, default=FORBIDDEN)  # content that staff manage
LINK_PARTIES = _only({"owner": OK, "parent_with_consent": OK})  # a parent-child link is both people's own
CHILD_DECIDES = _only({"owner": OK, "parent_with_consent": FORBIDDEN})  # only the child changes consent
SHARED_WITH_PARENT = _only({"owner": OK, "parent_with_consent": OK})  # the child's consent, nobody else
REPORT_PAGE = _only({"owner": OK, "parent_with_consent": OK, "staff": OK})  # + staff operations (recorded)
PSYCHOLOGISTS_ONLY = _only({}, default=FORBIDDEN)  # quest reviews: none of the personas is a psychologist
# A clinician's records of a client (the owner's own platform account is that client): the clinician (no persona;
# tests/test_clinical_access.py) and staff (reads only, recorded) see them; the client themselves does not.
CLINICAL_READ = _only({"staff": OK})
CLINICAL_WRITE = _only({})


@dataclass(frozen=True)
class Route:
    kwargs: str  # the world's object the URL names (see ``_kwargs``)
    methods: dict[str, dict[str, str]]
    recorded: frozenset[str] = field(default_factory=frozenset)  # personas whose look is written to the log


def own(kwargs: str, *methods: str) -> Route:
    return Route(kwargs, {method: OWN for method in methods})


def everyone(kwargs: str, *methods: str) -> Route:
    return Route(kwargs, {method: EVERYONE for method in methods})


def content(kwargs: str) -> Route:
    writes = dict.fromkeys(("put", "patch", "delete"), STAFF_WRITES)
    return Route(kwargs, {"get": EVERYONE, **writes})


OTHERS_WHO_SEE = frozenset({"parent_with_consent", "staff"})

EXPECTED: dict[str, Route] = {
    # API: /api/v1/ (the router)
    "device-detail": Route("device", {"get": OWN, "delete": OWN}),
    "child-link-detail": Route("link", {"get": LINK_PARTIES}),
    "child-link-grant-consent": Route("link", {"post": CHILD_DECIDES}),
    "child-link-revoke-consent": Route("link", {"post": CHILD_DECIDES}),
    "child-progress": Route("child", {"get": SHARED_WITH_PARENT}, OTHERS_WHO_SEE),
    "child-report": Route("child", {"get": SHARED_WITH_PARENT}, OTHERS_WHO_SEE),
    "api-learner-report": Route("user_id", {"get": REPORT_PAGE}, OTHERS_WHO_SEE),
    "level-detail": content("level"),
    "module-detail": content("module"),
    "lesson-detail": content("lesson"),
    "knowledge-block-detail": content("knowledge_block"),
    "course-detail": Route("course", {"get": EVERYONE, "put": STAFF_WRITES, "patch": STAFF_WRITES}),
    "course-enroll": everyone("course", "post"),
    "course-purchase": everyone("course", "post"),
    "enrollment-detail": own("enrollment", "get"),
    "progress-detail": own("progress", "get"),
    "lesson-session-detail": own("lesson_session", "get"),
    "lesson-session-answer": own("lesson_session", "post"),
    "lesson-session-finish": own("lesson_session", "post"),
    "lesson-session-abandon": own("lesson_session", "post"),
    "milestone-detail": own("milestone", "get"),
    "milestone-request-review": own("milestone", "post"),
    "milestone-withdraw-review": own("milestone", "post"),
    "recording-detail": own("recording", "get", "patch"),
    "recording-reanalyse": own("recording", "post"),
    "recording-audio": own("recording", "get"),
    "district-detail": everyone("district", "get"),
    "venue-detail": everyone("venue", "get"),
    "venue-enter": everyone("venue", "post"),
    "venue-entry-detail": own("venue_entry", "get"),
    "venue-entry-finish": own("venue_entry", "post"),
    "venue-entry-attempt": own("venue_entry", "post"),
    "exercise-attempt-detail": own("exercise_attempt", "get"),
    "amphitheatre-session-detail": own("amphitheatre", "get"),
    "amphitheatre-session-submit": own("amphitheatre", "post"),
    "amphitheatre-session-end": own("amphitheatre", "post"),
    "conversation-detail": own("conversation", "get"),
    "conversation-messages": own("conversation", "get"),
    "conversation-report": own("conversation", "get"),
    "message-detail": own("message", "get"),
    "module-completion-detail": own("completion", "get"),
    "daily-quest-detail": own("daily_quest", "get"),
    # API: seed 000's module routes
    "api-modules": own("conversation_id", "get"),
    "api-module-complete": own("conversation_module", "post"),
    "api-module-recommend": own("conversation_module", "post"),
    # API: seed 001's quest routes (a listed quest is everyone's to add and rate; reviews are psychologists')
    "api-quest-library-add": everyone("quest_listed", "post"),
    "api-quest-rate": everyone("quest_listed", "post"),
    "api-quest-review": Route("quest_pending", {"get": PSYCHOLOGISTS_ONLY, "post": PSYCHOLOGISTS_ONLY}),
    "api-quest-review-approve": Route("quest_pending", {"post": PSYCHOLOGISTS_ONLY}),
    "api-quest-review-reject": Route("quest_pending", {"post": PSYCHOLOGISTS_ONLY}),
    # API: /api/v1/ quests (the owner's own; a child's progress for the parent they share with)
    "quest-detail": own("quest_own", "get", "put", "patch"),
    "quest-submit": own("quest_own", "post"),
    "quest-play-start": own("quest_own", "post"),
    "quest-play-advance": own("quest_own", "post"),
    "quest-play-reveal": own("quest_own", "post"),
    "quest-progress-detail": own("quest_progress", "get"),
    "child-quest-progress-detail": Route("child", {"get": SHARED_WITH_PARENT}, OTHERS_WHO_SEE),
    "quest-library-detail": own("quest_library", "get"),
    "quest-rating-detail": own("quest_rating", "get"),
    "quest-review-detail": own("quest_review", "get"),
    "user-track-detail": own("user_track", "get"),
    "quest-builder-session-detail": own("builder_session", "get"),
    # API: clinical records (seed 003), the owner being the client of a clinician who is no persona
    "client-detail": Route("clinical_client", {"get": CLINICAL_READ, "patch": CLINICAL_WRITE}, frozenset({"staff"})),
    "client-sessions": Route("clinical_client", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "client-keyword-search": Route("clinical_client", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "client-search": Route("clinical_client", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "client-emotion-trends": Route("clinical_client", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "client-progress-metrics": Route("clinical_client", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "client-summary": Route("clinical_client", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "client-discharge": Route("clinical_client", {"post": CLINICAL_WRITE}),
    "client-reopen": Route("clinical_client", {"post": CLINICAL_WRITE}),
    "api-client-sessions": Route("clinical_client_id", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "therapy-session-detail": Route("therapy_session", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "therapy-session-transcript": Route(
        "therapy_session", {"get": CLINICAL_READ, "post": CLINICAL_WRITE}, frozenset({"staff"})
    ),
    "therapy-session-transcript-file": Route("therapy_session", {"post": CLINICAL_WRITE}),
    "therapy-session-set-status": Route("therapy_session", {"post": CLINICAL_WRITE}),
    "therapy-session-analyse": Route("therapy_session", {"post": CLINICAL_WRITE}),
    "session-insight-detail": Route("session_insight", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "session-insight-decisions": Route("session_insight", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "session-insight-approve": Route("session_insight", {"post": CLINICAL_WRITE}),
    "session-insight-reject": Route("session_insight", {"post": CLINICAL_WRITE}),
    # A clinician's notifications are their own rows; the clinician is no persona, so everyone here gets 404
    "clinician-notification-detail": Route("clinician_notification", {"get": CLINICAL_WRITE}),
    "clinician-notification-read": Route("clinician_notification", {"post": CLINICAL_WRITE}),
    # API: seed 001's builder routes, and the builder's pages (the session's owner only)
    "api-builder-session": own("builder_session", "get", "patch"),
    "api-builder-session-chat": own("builder_session", "post"),
    "api-builder-session-finish": own("builder_session", "post"),
    "quest_builder:session": own("builder_session", "get", "post"),
    "quest_builder:finish": own("builder_session", "post"),
    # Pages: therapeutic quests (a draft is its creator's alone; a listed quest is everyone's to add and rate)
    "quests:detail": own("quest_own", "get"),
    "quests:submit": own("quest_own", "post"),
    "quests:revise": own("quest_own", "get", "post"),  # staff too: 404 (own rows, no staff bypass)
    "quests:play": own("quest_own", "get"),
    "quests:play_start": own("quest_own", "post"),
    "quests:play_advance": own("quest_own", "post"),
    "quests:library_add": everyone("quest_listed", "post"),
    "quests:rate": everyone("quest_listed", "post"),
    "quests:review": Route("quest_pending", {"get": PSYCHOLOGISTS_ONLY, "post": PSYCHOLOGISTS_ONLY}),
    # Pages: a clinician's records of their client (see the API's clinical routes above)
    "clinic:client": Route("clinical_client", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "clinic:session": Route("therapy_session", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "clinic:client_discharge": Route("clinical_client", {"post": CLINICAL_WRITE}),
    "clinic:client_reopen": Route("clinical_client", {"post": CLINICAL_WRITE}),
    "clinic:insight_decide": Route("session_insight", {"post": CLINICAL_WRITE}),
    "clinic:insight_review": Route("session_insight", {"get": CLINICAL_READ}, frozenset({"staff"})),
    "clinic:notification_read": Route("clinician_notification", {"post": CLINICAL_WRITE}),
    "clinic:transcript_upload": Route("therapy_session", {"post": CLINICAL_WRITE}),
    "clinic:session_analyse": Route("therapy_session", {"post": CLINICAL_WRITE}),
    "clinic:session_new": Route("clinical_client", {"get": CLINICAL_WRITE, "post": CLINICAL_WRITE}),
    "clinic:session_status": Route("therapy_session", {"post": CLINICAL_WRITE}),
    # Pages
    "accounts:family_consent": Route("link_id", {"post": CHILD_DECIDES}),
    "accounts:child_progress": Route("child_id", {"get": SHARED_WITH_PARENT}, OTHERS_WHO_SEE),
    "chat:report_user": Route("user_id", {"get": REPORT_PAGE}, OTHERS_WHO_SEE),
    "reports:learner": Route("user_id", {"get": REPORT_PAGE}, OTHERS_WHO_SEE),
    "reports:learner_pdf": Route("user_id", {"get": REPORT_PAGE}, OTHERS_WHO_SEE),
    "chat:detail": own("conversation", "get"),
    "chat:completion": own("completion", "get"),
    "chat:end": own("conversation", "post"),
    "chat:conversation_module": own("conversation_page", "get", "post"),
    "chat:module": everyone("module_page", "get"),
    "curriculum:module": everyone("module", "get"),
    "curriculum:lesson_start": everyone("lesson", "post"),
    "curriculum:session": own("lesson_session", "get"),
    "curriculum:session_answer": own("lesson_session", "post"),
    "curriculum:session_finish": own("lesson_session", "post"),
    "curriculum:session_abandon": own("lesson_session", "post"),
    "curriculum:milestone": everyone("level_number", "get"),
    "curriculum:milestone_result": own("milestone", "get"),
    "curriculum:milestone_review_request": own("milestone", "post"),
    "curriculum:milestone_review_withdraw": own("milestone", "post"),
    # The owner shared the world's milestone for review: their teachers (no persona; tests/test_milestone_review.py)
    # and staff (recorded) review it; nobody reviews their own attempt.
    "curriculum:review_attempt": Route(
        "milestone", {"get": _only({"staff": OK}), "post": _only({"staff": OK})}, frozenset({"staff"})
    ),
    "curriculum:recording_audio": own("recording", "get"),
    "curriculum:venue": everyone("venue_slug", "get"),
    "curriculum:venue_enter": everyone("venue_slug", "post"),
    "curriculum:visit_finish": own("venue_entry", "post"),
    "curriculum:visit_attempt": own("venue_entry", "post"),
    "curriculum:module_stakes": everyone("module", "post"),  # the caller's own situations for a module
    "curriculum:amphitheatre_submit": own("amphitheatre", "post"),
    "curriculum:recording": own("recording", "get"),  # the feedback page of a recorded talk
    "curriculum:recording_transcript": own("recording", "post"),
    "curriculum:recording_reanalyse": own("recording", "post"),
    "curriculum:amphitheatre_end": own("amphitheatre", "post"),
    "curriculum:course_enroll": everyone("course", "post"),
    "curriculum:course_buy": everyone("course", "post"),
}

# Routes with an argument that names no one's object: the admin (staff operations, its own tests) and
# uploaded files served in development.
NOT_OBJECT_ROUTES = re.compile(r"^(admin/|\^media/)")
NOT_OBJECT_KWARGS = {"format"}


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def _object_kwargs(route: str) -> set[str]:
    return (set(re.findall(r"<(?:\w+:)?(\w+)>", route)) | set(re.findall(r"\(\?P<(\w+)>", route))) - NOT_OBJECT_KWARGS


def object_routes() -> dict[str, URLPattern]:
    """Every named URL pattern (router and pages) whose URL names an object."""
    found: dict[str, URLPattern] = {}
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if NOT_OBJECT_ROUTES.match(route) or not _object_kwargs(route):
            continue
        assert name, f"unnamed object route {route}: name it and declare it in EXPECTED"
        found.setdefault(name, pattern)
    return found


def _api_methods(pattern: URLPattern) -> set[str] | None:
    """The methods an API route answers (None for a page: Django views do not say)."""
    callback = pattern.callback
    if getattr(callback, "actions", None):
        return set(callback.actions) - {"head", "options"}
    view_class = getattr(callback, "cls", None)
    if view_class is None:
        return None
    return {method for method in view_class.http_method_names if method not in {"options", "head"}} & set(
        dir(view_class)
    )


ROUTES = object_routes()


def test_it_declares_who_may_reach_every_object_route():
    undeclared = sorted(set(ROUTES) - set(EXPECTED))
    assert not undeclared, f"declare who may reach these routes in EXPECTED: {undeclared}"
    gone = sorted(set(EXPECTED) - set(ROUTES))
    assert not gone, f"EXPECTED names routes that no longer exist: {gone}"


def test_it_declares_every_method_of_every_api_object_route():
    for name, pattern in ROUTES.items():
        methods = _api_methods(pattern)
        if methods is not None and name in EXPECTED:
            assert methods == set(EXPECTED[name].methods), name


# --- The owner's world -------------------------------------------------------------------------


@pytest.fixture
def world(personas, curriculum, complete_lesson, monkeypatch):
    """One object of every kind, the owner's (and the owner is the consenting child of a parent)."""
    owner = personas["owner"]
    curriculum_services.curriculum_start(user=owner)
    for lesson in [*curriculum.lessons_a, *curriculum.lessons_b]:
        complete_lesson(owner, lesson)
    milestone = curriculum_services.milestone_submit(
        user=owner,
        level=curriculum.level,
        rubric_scores={"clarity": 90, "structure": 90},
        audio_url="https://example.com/a.mp3",
    )
    curriculum_services.milestone_review_request(user=owner, attempt=milestone)
    lesson_session, _ = curriculum_services.lesson_session_start(user=owner, lesson=curriculum.lessons_a[0])
    account_services.profile_adjust_balance(user=owner, tickets=5)
    curriculum.venue_a.task_sheets.create(title="Warm-up", exercises=[{"key": "greet", "title": "Greet a stranger"}])
    venue_entry, _ = curriculum_services.venue_enter(user=owner, venue=curriculum.venue_a)
    exercise_attempt = curriculum_services.venue_exercise_attempt(
        user=owner, entry=venue_entry, exercise_key="greet", score=70
    )
    amphitheatre, _ = curriculum_services.amphitheatre_hub(user=owner)
    recording = amphitheatre_recording(owner)
    course = CourseFactory(price=Decimal("0.00"))
    enrollment, _ = curriculum_services.course_enroll(user=owner, course=course)
    conversation = chat_services.conversation_create(user=owner)
    message = chat_services.message_add(conversation=conversation, role="user", content="hello")
    chat_services.conversation_module_complete(
        conversation=conversation,
        user=owner,
        module_id="emotion_labeling",
        completion_data={"mood": "Calm", "note": "Ready"},
    )
    completion = owner.module_completions.get()
    device, _ = account_services.device_token_create(user=owner, name="Phone")
    link = ChildPrivacySettings.objects.get(parent=personas["parent_with_consent"], child=owner)
    knowledge_block = curriculum.module_a.knowledge_blocks.create(order=1, title="Opening", body="Start well.")
    monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: list(daily_rules.QUEST_TYPES)[:3])
    daily_quest = daily_quest_services.offers_ensure(user=owner, day=datetime.date(2026, 3, 10))[0]
    quest_author = ParentFactory(username="matrix_author")
    quest_listed_ = quest_listed(quest_author, psychologist_create("matrix_psychologist"))
    quest_pending = quest_services.quest_submit_for_review(quest=quest_draft(quest_author), by=quest_author)
    # The owner persona is a child; quests are written by parents (services.quest_writing_refused_for). The
    # matrix is about who reaches a quest the owner holds (one written before that rule), so for these two
    # the rule is lifted while they are written.
    with monkeypatch.context() as lifted:
        lifted.setattr(quest_services.quests, "quest_writing_refused_for", lambda user: None)
        quest_own = quest_draft(owner, is_public=False)
        quest_reviewed_ = quest_reviewed(quest_draft(owner, title="Reviewed"), psychologist_create("matrix_reviewer"))
    quest_progress = quest_services.quest_play_start(user=owner, quest=quest_reviewed_)
    library_entry, _ = quest_services.library_add(user=owner, quest=quest_listed_)
    quest_services.quest_play_start(user=owner, quest=quest_listed_)
    quest_rating = quest_services.quest_rate(user=owner, quest=quest_listed_, rating=5)
    # The owner persona is a child, and only parents may start builder sessions (services.may_build_quests);
    # the matrix is about who reaches an existing session, so the row is written directly.
    builder_session = QuestBuilderSession.objects.create(user=owner)
    clinical_client = clinical_helpers.client_create(clinical_helpers.clinician_create("matrix_clinician"), user=owner)
    therapy_session = clinical_helpers.session_with_transcript(clinical_client)
    session_insight = clinical_helpers.draft_insight(therapy_session)
    clinician_notification = clinical_helpers.urgent_notification(therapy_session)
    return {
        "device": {"pk": device.pk},
        "link": {"pk": link.pk},
        "link_id": {"link_id": link.pk},
        "child": {"pk": owner.pk},
        "child_id": {"child_id": owner.pk},
        "user_id": {"user_id": owner.pk},
        "level": {"pk": curriculum.level.pk},
        "level_number": {"number": curriculum.level.number},
        "module": {"pk": curriculum.module_a.pk},
        "lesson": {"pk": curriculum.lessons_a[0].pk},
        "knowledge_block": {"pk": knowledge_block.pk},
        "course": {"pk": course.pk},
        "enrollment": {"pk": enrollment.pk},
        "progress": {"pk": owner.module_progress.get(module=curriculum.module_a).pk},
        "lesson_session": {"pk": lesson_session.pk},
        "milestone": {"pk": milestone.pk},
        "district": {"pk": curriculum.district.pk},
        "venue": {"pk": curriculum.venue_a.pk},
        "venue_slug": {"slug": curriculum.venue_a.slug},
        "venue_entry": {"pk": venue_entry.pk},
        "exercise_attempt": {"pk": exercise_attempt.pk},
        "amphitheatre": {"pk": amphitheatre.pk},
        "recording": {"pk": recording.pk},
        "conversation": {"pk": conversation.pk},
        "conversation_id": {"conversation_id": conversation.pk},
        "conversation_module": {"conversation_id": conversation.pk, "module_id": "breathing_exercise"},
        "conversation_page": {"pk": conversation.pk, "slug": "breathing"},
        "module_page": {"slug": "breathing"},
        "message": {"pk": message.pk},
        "completion": {"pk": completion.pk},
        "daily_quest": {"pk": daily_quest.pk},
        "quest_listed": {"pk": quest_listed_.pk},
        "quest_pending": {"pk": quest_pending.pk},
        "quest_own": {"pk": quest_own.pk},
        "quest_progress": {"pk": quest_progress.pk},
        "quest_library": {"pk": library_entry.pk},
        "quest_rating": {"pk": quest_rating.pk},
        "quest_review": {"pk": quest_reviewed_.psychologist_review_id},
        "user_track": {"pk": owner.user_tracks.get(track_type="self_work").pk},
        "builder_session": {"pk": builder_session.pk},
        "clinical_client": {"pk": clinical_client.pk},
        "clinical_client_id": {"client_id": clinical_client.pk},
        "therapy_session": {"pk": therapy_session.pk},
        "session_insight": {"pk": session_insight.pk},
        "clinician_notification": {"pk": clinician_notification.pk},
    }


def _client_for(user, *, api: bool):
    if api:
        from rest_framework.test import APIClient

        client = APIClient()
        _, key = account_services.device_token_create(user=user, name="Matrix")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _outcome(method: str, status: int) -> str:
    if status in (403, 404):
        return str(status)
    assert status < 500, f"a 500 is a bug ({status})"
    if method == "get":
        assert status == 200, f"GET answered {status}"
    return OK


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_lets_only_the_declared_personas_reach_the_owners_object(name, personas, world):
    route = EXPECTED[name]
    url = reverse(name, kwargs=world[route.kwargs])
    api = _api_methods(ROUTES[name]) is not None
    owner = personas["owner"]
    for method, expected in route.methods.items():
        anonymous = getattr(Client(), method)(url)
        assert anonymous.status_code in ((401, 403) if api else (302,)), (name, method, "anonymous")
        for persona in PERSONAS:
            user = personas[persona]
            before = AccessRecord.objects.filter(viewer=user, subject=owner).count()
            response = getattr(_client_for(user, api=api), method)(url)
            assert _outcome(method, response.status_code) == expected[persona], (name, method, persona)
            recorded = AccessRecord.objects.filter(viewer=user, subject=owner).count() - before
            should_record = expected[persona] == OK and persona in route.recorded
            assert recorded == (1 if should_record else 0), (name, method, persona, "access records", recorded)
