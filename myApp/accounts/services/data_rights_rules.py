"""The data-rights registry's declarations: for every model with a path to the user, its export and its erasure.

Decisions (issue 12 leaves them to us), in one place so that a reviewer reads them together:

- **The user row is anonymised, not deleted** (``erased-<id>``, no email or names, an unusable password,
  inactive, no staff rights). Enrolments and purchases (the dashboard's enrolment and revenue totals), ratings
  (quest averages), quests other families play, the clinician's own clinical records and the audit log all point
  at the user's id; deleting the row would cascade into other people's data or leave the audit pointing at an
  id a new account could not take but a reader could not explain. Inactive with an unusable password means no
  login, no session and no token can ever act as it again.
- **Personal rows are deleted**: chat (conversations, their messages including the assistant's turns, module
  completions), lessons, attempts, milestones, quests progress, daily quests, devices, pairing codes, family links.
- **Kept, attached to the anonymised account**: enrolments and purchases (aggregates), the clinician's clinical
  records when the clinician is erased (clinical records follow the clinician's retention policy, not erasure),
  quests the user wrote that another person has in their library or plays (their progress needs them), admin
  log entries the user made as staff.
- **Unlinked** (``SET_NULL``): analytics and telemetry events (counts stay), a clinician's client record of the
  erased person (the notes stay with the clinician), reviews, decisions and status changes made by the user,
  courses the user taught or created (others bought them).
- **Pseudonymised in place**: the audit log's copied usernames (the rows stay: who looked, whose, when).

Export: the user's own rows of every model below. Another person's rows never appear: a parent's export has
the family link, not the child's chat; a linked client's export has the link to their clinician, not the
clinician's notes (those are the clinician's records, reached through the clinician); a clinician's export
holds their client records, sessions and insights in full (their own professional records) with the client's
account id left out. A conversation is the user's, so the assistant's messages in it are exported too.
"""

import re
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef
from django.utils import timezone

from myApp.lib.data_rights import ANONYMISE, CUSTOM, DELETE, KEEP, SET_NULL, Erase, Export, register


def pseudonym(user) -> str:
    """What an erased account is called from then on: its id only, nothing a person chose."""
    return f"erased-{user.pk}"


# --- Custom steps --------------------------------------------------------------------------------------------


def _sessions_of(user) -> list[Session]:
    """The user's live page sessions. Django keeps the user only inside the encoded data, so this decodes the
    unexpired ones; erasure is rare, and the unusable password invalidates any session missed here anyway."""
    wanted = str(user.pk)
    found = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        if str(session.get_decoded().get("_auth_user_id")) == wanted:
            found.append(session)
    return found


def _sessions_revoke(user) -> int:
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = _sessions_of(user)
    for session in sessions:
        store(session_key=session.session_key).delete()  # the database row and the cached copy
    return len(sessions)


def _axes_rows(model_label: str):
    def rows(user) -> Any:
        from django.apps import apps

        model = apps.get_model(model_label)
        columns = [f.attname for f in model._meta.concrete_fields]
        return model.objects.filter(username=user.username).order_by("pk").values(*columns).iterator(chunk_size=2000)

    return rows


def _axes_delete(model_label: str):
    def run(user) -> int:
        from django.apps import apps

        deleted, _ = apps.get_model(model_label).objects.filter(username=user.username).delete()
        return deleted

    return run


def _access_records_pseudonymise(user) -> int:
    from myApp.accounts.models import AccessRecord

    return AccessRecord.objects.pseudonymise(user_id=user.pk, username=pseudonym(user))


def _admin_log_pseudonymise(user) -> int:
    """Admin log lines copy a row's name into ``object_repr``, and in every app rows name their person ("Profile of
    ana", "ana bought Talks for 9.00 EUR"): the erased name becomes the pseudonym wherever it stands as a whole
    name. Only as a whole name: erasing "jo" left "erased-2nas" in a line about jonas (attack review). The few
    lines that hold the name are rewritten one by one (a regular expression in Python, on every database)."""
    name = re.compile(rf"(?<![\w.@+-]){re.escape(user.username)}(?![\w.@+-])")
    changed = []
    for entry in LogEntry.objects.filter(object_repr__contains=user.username).only("pk", "object_repr"):
        renamed = name.sub(pseudonym(user), entry.object_repr)
        if renamed != entry.object_repr:
            entry.object_repr = renamed
            changed.append(entry)
    LogEntry.objects.bulk_update(changed, ["object_repr"], batch_size=500)
    return len(changed)


def _quests_delete_unused(user) -> int:
    """Delete the quests the user wrote that nobody else has in their library or plays; keep the others (their
    progress needs them), attributed to the anonymised account."""
    from myApp.quests.models import Quest, QuestProgress, UserQuestLibrary

    others_library = UserQuestLibrary.objects.filter(quest=OuterRef("pk")).exclude(user=user)
    others_progress = QuestProgress.objects.filter(quest=OuterRef("pk")).exclude(user=user)
    deleted, _ = Quest.objects.filter(creator=user).exclude(Exists(others_library) | Exists(others_progress)).delete()
    return deleted


def _user_values(user) -> dict[str, Any]:
    return {
        "username": pseudonym(user),
        "email": "",
        "first_name": "",
        "last_name": "",
        "password": make_password(None),
        "is_active": False,
        "is_staff": False,
        "is_superuser": False,
        "last_login": None,
    }


def _user_memberships_clear(user) -> int:
    user.groups.clear()
    user.user_permissions.clear()
    return 1


PROFILE_CLEARED = {
    "role": "",
    "main_goal": "",
    "audience": "",
    "comfort_one_on_one": None,
    "comfort_small_group": None,
    "comfort_large_audience": None,
    "parent_name": "",
    "time_zone": "UTC",
    "previous_time_zone": "",
    "time_zone_changed_at": None,
    "time_zone_changed_on": None,
}

# --- accounts -----------------------------------------------------------------------------------------------
# Declared children first: the erasure walks this order, so links are gone before the rows they point at.

register(
    "accounts.DeviceToken",
    export=Export(paths=("user",), omit=("digest", "token_key")),
    erase=[Erase("user", DELETE)],
)
register(
    "accounts.PairingCode",
    export=Export(paths=("child",), omit=("digest",)),
    erase=[Erase("child", DELETE), Erase("used_by", SET_NULL)],
)
register(
    "accounts.ChildPrivacySettings",
    export=Export(paths=("parent", "child")),
    erase=[Erase("parent", DELETE), Erase("child", DELETE), Erase("consent_changed_by", SET_NULL)],
)
register(
    "accounts.AccessRecord",
    export=Export(paths=("subject", "viewer")),
    erase=[
        Erase(
            "subject",
            CUSTOM,
            why="The audit log is append-only: the rows stay, their copied usernames become the pseudonym.",
            run=_access_records_pseudonymise,
        ),
        Erase("viewer", KEEP, why="Pseudonymised by the subject step (one statement covers both columns)."),
    ],
)
register(
    "accounts.ErasureRecord",
    export=Export(paths=("erased_by",)),
    erase=[Erase("erased_by", KEEP, why="Who erased whom stays; the row holds ids and counts, no personal data.")],
)
register(
    "sessions.Session",
    # Not exported: a page session holds only the login's id and expiry (the key is a secret), and finding a
    # person's sessions means decoding every live one, which an export (2 s for a heavy user) cannot afford.
    export=Export(paths=(), why="A login's id and expiry only; revoked on erasure."),
    erase=[Erase("_auth_user_id", CUSTOM, why="Revoked at once, database row and cached copy.", run=_sessions_revoke)],
)
for _label in ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"):
    register(
        _label,
        export=Export(paths=(), rows=_axes_rows(_label), why="Login attempts are kept by username, not by key."),
        erase=[Erase("username", CUSTOM, why="Deleted by username.", run=_axes_delete(_label))],
    )
register(
    "axes.AccessAttemptExpiration",
    export=Export(paths=(), why="An attempt's lock expiry: part of the attempt exported above."),
    erase=[Erase("access_attempt", KEEP, why="Deleted with its attempt (cascade).")],
)
register(
    "admin.LogEntry",
    export=Export(paths=("user",)),
    erase=[
        Erase("user", KEEP, why="What a staff member changed in the admin stays attributed to the pseudonym."),
        Erase("object_repr", CUSTOM, why="Lines about the user's rows name them.", run=_admin_log_pseudonymise),
    ],
)

# --- analytics: counts stay, unlinked --------------------------------------------------------------------------

register("analytics.AnalyticsEvent", export=Export(paths=("user",)), erase=[Erase("user", SET_NULL)])
# Telemetry properties are whatever a client sent (free text included: attack review): the rows stay for the
# counts, unlinked and without their properties. Analytics events hold only codes and ids (``analytics.events``).
register(
    "analytics.TelemetryEvent",
    export=Export(paths=("user",)),
    erase=[Erase("user", ANONYMISE, values={"user": None, "properties": {}})],
)

# --- chat and clinical -----------------------------------------------------------------------------------------

register(
    "usersessions.ModuleCompletion",
    export=Export(paths=("user",)),
    erase=[Erase("user", DELETE), Erase("conversation__user", DELETE)],
)
register(
    "usersessions.Message",
    # The conversation is the user's: the assistant's turns in it are exported with the user's own.
    export=Export(paths=("conversation__user",)),
    erase=[Erase("user", DELETE), Erase("conversation__user", DELETE)],
)
register("usersessions.Conversation", export=Export(paths=("user",)), erase=[Erase("user", DELETE)])
register(
    "usersessions.ClinicianNotification",
    export=Export(paths=("recipient",)),
    erase=[
        Erase("recipient", DELETE),
        Erase("insight__client__clinician", KEEP, why="The clinician's records stay (clinical retention)."),
        Erase("insight__client__user", KEEP, why="The clinician's alert; unlinked with the client record."),
    ],
)
_CLINICAL_KEEP = (
    "A clinician's records: kept with the clinician (clinical retention policy), unlinked from an erased client "
    "by the client step."
)


def _alert_evidence_clear(user) -> int:
    """A risk alert raised from a linked client's chat message or self-check copies their words into its evidence
    (``services.clinical.risk``): erasing the client clears that copy. The alert stays with the clinician; an
    insight drawn from a session transcript quotes the clinician's own record and keeps its evidence."""
    from myApp.sessions.models import InsightSource, SessionInsight

    return (
        SessionInsight.objects.filter(client__user=user)
        .exclude(source=InsightSource.TRANSCRIPT)
        .update(evidence="", evidence_sentence=None)
    )


register(
    "usersessions.SessionInsight",
    # Evidence quotes the client (their chat, their self-check, their words in a session): the clinician reads it in
    # the product while the client is theirs, each read recorded; it does not leave in a file (attack review).
    export=Export(paths=("client__clinician",), omit=("evidence",)),
    erase=[
        Erase("client__clinician", KEEP, why=_CLINICAL_KEEP),
        Erase(
            "client__user",
            CUSTOM,
            why="Kept with the clinician, without the client's own words.",
            run=_alert_evidence_clear,
        ),
        Erase("reviewed_by", SET_NULL),
    ],
)
for _label, _to_client, _people in (
    ("usersessions.InsightDecision", "insight__client", ("decided_by",)),
    ("usersessions.SessionSentence", "session__client", ()),
    ("usersessions.SessionStatusChange", "session__client", ("by",)),
    ("usersessions.TherapySession", "client", ()),
    ("usersessions.ClientProfile", "client", ()),
):
    register(
        _label,
        export=Export(paths=(f"{_to_client}__clinician",)),
        erase=[
            Erase(f"{_to_client}__clinician", KEEP, why=_CLINICAL_KEEP),
            Erase(f"{_to_client}__user", KEEP, why=_CLINICAL_KEEP),
            # Who decided or reviewed: the record stays, without the erased person.
            *(Erase(person, SET_NULL) for person in _people),
        ],
    )
register(
    "usersessions.ClinicalRetentionPolicy",
    export=Export(paths=("clinician",)),
    erase=[
        Erase(
            "clinician",
            KEEP,
            why="It says how long the erased clinician's kept records are kept: retention goes on applying it.",
        )
    ],
)
register(
    "usersessions.Client",
    export=Export(paths=("clinician",), omit=("user",)),
    erase=[
        Erase("user", SET_NULL, why="The clinician's notes about an erased client stay with them, unlinked."),
        Erase("clinician", KEEP, why=_CLINICAL_KEEP),
    ],
)

# --- curriculum --------------------------------------------------------------------------------------------------

# A teacher's review of a learner's milestone attempt: in the learner's export (unlike a psychologist's review of a
# quest, it is an assessment of the learner, addressed to them and shown to them, and its scores decide their
# attempt) and in the teacher's (their own words). Erasing the learner deletes it with the attempt; erasing the
# teacher keeps the review for the learner (their feedback and the scores that decided the attempt), unlinked.
register(
    "curriculum.MilestoneReview",
    export=Export(paths=("attempt__user", "reviewer")),
    erase=[Erase("attempt__user", DELETE), Erase("reviewer", SET_NULL)],
)


def _recordings_erase(user) -> int:
    from myApp.curriculum.services.speech import recordings_erase

    return recordings_erase(user=user)


# Before the milestone attempts and amphitheatre records (whose deletion would cascade to the rows but leave the
# audio files behind). The export carries the recording's details, measures and transcript, not the audio: base64
# WAV (up to ~10 MB a talk) would swell the one JSON document many times over, and the learner can download each
# recording from its audio link (``/learn/recordings/<id>/audio.wav``) for as long as the account exists.
register(
    "curriculum.SpeechRecording",
    export=Export(paths=("user",), omit=("audio",)),
    erase=[
        Erase(
            "user",
            CUSTOM,
            why="The rows and the audio files both go (the files once it commits).",
            run=_recordings_erase,
        )
    ],
)

for _label in (
    "curriculum.ExerciseAttempt",
    "curriculum.ExerciseSubmission",
    "curriculum.MilestoneAttempt",
    "curriculum.UserProgress",
    "curriculum.StakesMap",
    "curriculum.LessonSessionContext",
    "curriculum.VenueEntry",
):
    register(_label, export=Export(paths=("user",)), erase=[Erase("user", DELETE)])
register(
    "curriculum.LessonStepResponse",
    export=Export(paths=("session__user",)),
    erase=[Erase("session__user", DELETE)],
)
register("curriculum.LessonSession", export=Export(paths=("user",)), erase=[Erase("user", DELETE)])
register(
    "curriculum.AmphitheatreExerciseRecord",
    export=Export(paths=("session__user",)),
    erase=[Erase("session__user", DELETE)],
)
register("curriculum.AmphitheatreSession", export=Export(paths=("user",)), erase=[Erase("user", DELETE)])
register(
    "curriculum.Enrollment",
    export=Export(paths=("user",)),
    erase=[Erase("user", KEEP, why="Enrolment counts per course (the dashboard) stay; the account is anonymised.")],
)
register(
    "curriculum.Purchase",
    export=Export(paths=("user",)),
    erase=[Erase("user", KEEP, why="Revenue totals and the accounts' books stay; the account is anonymised.")],
)
register(
    "curriculum.Course",
    export=Export(paths=("teacher", "created_by")),
    erase=[Erase("teacher", SET_NULL), Erase("created_by", SET_NULL)],
)

# --- quests -----------------------------------------------------------------------------------------------------

for _label in (
    "quests.QuestBuilderSession",
    "quests.DailyQuest",
    "quests.StreakFreeze",
    "quests.Vacation",
    "quests.UserQuestLibrary",
    "quests.QuestProgress",
    "quests.UserTrack",
):
    register(_label, export=Export(paths=("user",)), erase=[Erase("user", DELETE)])
register(
    "quests.QuestRating",
    export=Export(paths=("user",)),
    erase=[Erase("user", ANONYMISE, values={"review_text": ""}, why="The score stays in the quest's average.")],
)
register(
    "quests.PsychologistReview",
    export=Export(paths=("reviewer", "decided_by")),
    erase=[
        Erase("reviewer", SET_NULL),
        Erase("decided_by", SET_NULL),
        Erase("quest__creator", KEEP, why="Follows its quest (deleted with it, or kept with it)."),
    ],
)
register(
    "quests.Quest",
    export=Export(paths=("creator",)),
    erase=[
        Erase(
            "creator",
            CUSTOM,
            why="Deleted unless another person has it in their library or plays it; then kept, anonymised author.",
            run=_quests_delete_unused,
        )
    ],
)

# --- the account itself, last -------------------------------------------------------------------------------------

register(
    "accounts.Profile",
    export=Export(paths=("user",)),
    erase=[Erase("user", ANONYMISE, values=PROFILE_CLEARED, why="The economy (XP, coins) is not personal.")],
)
register(
    "accounts.User",
    export=Export(paths=("pk",), omit=("password",)),
    erase=[
        Erase("groups", CUSTOM, why="Group and permission memberships go.", run=_user_memberships_clear),
        Erase("pk", ANONYMISE, values=_user_values, why="Anonymised, not deleted: see this module's docstring."),
    ],
)
