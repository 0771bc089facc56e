"""The analytics vocabulary: every ``AnalyticsEvent.event_type`` the product records, one constant each.

``track`` refuses any other name, so a typo at a call site fails its tests instead of quietly starting a new
series on the dashboards. The strings are stored in the database: never rename one (rows already hold it);
add a new constant instead, with a test in ``tests/test_analytics_events.py`` (which fails until it has one).

What ``event_data`` may hold: small facts (ids of product rows, counts, codes, sources). Never text a person
wrote, names, e-mail addresses, notes or transcripts.

Clinical events carry no client, therapy-session or insight ids: analytics rows are kept longer than a
clinician's retention policy keeps clinical rows, and an id that outlives its record would still say "this
clinician saw client 17 on these days". They name the acting clinician (the event's user) and codes and counts
only, which is what the dashboards count.
"""

MEANINGS: dict[str, str] = {}


def _event(name: str, meaning: str) -> str:
    """Register ``name`` with its one-line meaning and return it (the constant's value)."""
    if name in MEANINGS or not 0 < len(name) <= 64:  # AnalyticsEvent.event_type holds 64 characters
        raise ValueError(f"event type {name!r} defined twice or longer than 64 characters")
    MEANINGS[name] = meaning
    return name


# accounts
USER_SIGNUP = _event("user_signup", "An account was created (sign-up page or API); data: source, role.")
USER_LOGIN = _event("user_login", "A person logged in; data: source (web or api).")
USER_LOGOUT = _event("user_logout", "A person logged out; data: source, scope (session, device, everywhere).")
ONBOARDING_COMPLETED = _event("onboarding_completed", "The onboarding form was saved; data: mode.")
PAIRING_CODE_CREATED = _event("pairing_code_created", "A child made a code to link a parent; data: pairing_code_id.")
CHILD_LINK_CREATED = _event("child_link_created", "A parent linked a child; data: link_id, via.")
CHILD_CONSENT_GRANTED = _event("child_consent_granted", "A child's data became visible to the parent; data: link_id.")
CHILD_CONSENT_REVOKED = _event("child_consent_revoked", "A child's data stopped being visible; data: link_id.")

# curriculum
COURSE_CREATED = _event("course_created", "Staff or a teacher created a course; data: course_id.")
COURSE_UPDATED = _event("course_updated", "A course was changed; data: course_id, fields.")
COURSE_ENROLLED = _event("course_enrolled", "A learner enrolled in a course; data: course_id.")
COURSE_PURCHASED = _event("course_purchased", "A learner bought a course; data: course_id, amount, currency.")
LESSON_STARTED = _event("lesson_started", "A lesson run began; data: lesson_id, session_id.")
LESSON_COMPLETED = _event("lesson_completed", "A lesson run finished; data: lesson_id, first.")
MODULE_UNLOCKED = _event("module_unlocked", "A curriculum module opened for a learner; data: module_id.")
MODULE_COMPLETED = _event("module_completed", "A learner finished a curriculum module; data: module_id and rewards.")
MILESTONE_SUBMITTED = _event("milestone_submitted", "A milestone attempt was submitted; data: ids, score, passed.")
STAKES_MAP_SET = _event("stakes_map_set", "A learner saved a module's stakes map; data: module_id, count.")
TICKETS_GRANTED = _event("tickets_granted", "Tickets were granted to a learner; data: amount, reason code.")
VENUE_ENTERED = _event("venue_entered", "A learner entered a venue; data: venue_id, tickets.")
VENUE_FINISHED = _event("venue_finished", "A learner finished a venue visit; data: venue ids and rewards.")
VENUE_EXERCISE_ATTEMPTED = _event("venue_exercise_attempted", "A venue exercise was attempted; data: ids, score.")
AMPHITHEATRE_OPENED = _event("amphitheatre_opened", "An amphitheatre visit opened; data: visit, paying.")
AMPHITHEATRE_SUBMITTED = _event(
    "amphitheatre_submitted", "An amphitheatre exercise was submitted; data: visit, exercise, paid, xp."
)
AMPHITHEATRE_ENDED = _event("amphitheatre_ended", "An amphitheatre visit was ended; data: visit, exercises, points.")

# quests
DAILY_QUEST_COMPLETED = _event("daily_quest_completed", "A daily quest reached its target; data: quest_type, xp.")
STREAK_FREEZE_BOUGHT = _event("streak_freeze_bought", "A streak freeze was bought with coins; data: coins.")
VACATION_STARTED = _event("vacation_started", "Streak vacation was switched on; data: starts_on.")
VACATION_ENDED = _event("vacation_ended", "Streak vacation was switched off; data: ends_on.")
QUEST_BUILDER_STARTED = _event("quest_builder_started", "A quest builder session was opened; data: builder_session_id.")
QUEST_CREATED = _event("quest_created", "A draft quest was written (by hand or builder); data: quest_id.")
QUEST_REVISED = _event("quest_revised", "A quest's creator changed it; data: quest_id, fields, status.")
QUEST_SUBMITTED = _event("quest_submitted", "A quest was sent for a psychologist's review; data: quest_id.")
QUEST_REVIEWED = _event("quest_reviewed", "A psychologist reviewed a quest (scores given); data: quest_id, review_id.")
QUEST_APPROVED = _event("quest_approved", "A psychologist approved a quest's review; data: quest_id, review_id.")
QUEST_REJECTED = _event("quest_rejected", "A psychologist rejected a quest's review; data: quest_id, review_id.")
QUEST_LIBRARY_ADDED = _event("quest_library_added", "A quest was added to a person's library; data: quest_id.")
QUEST_STARTED = _event("quest_started", "A person started or resumed a quest; data: quest_id, first.")
QUEST_STEP_COMPLETED = _event("quest_step_completed", "A quest step was taken; data: quest_id, step.")
QUEST_FINISHED = _event("quest_finished", "A quest play reached an ending; data: quest_id, first.")
QUEST_RATED = _event("quest_rated", "A player rated a quest; data: quest_id, rating, replaced, with_text.")

# sessions: chat and wellbeing modules
CHAT_SESSION_STARTED = _event("chat_session_started", "A chat conversation began; data: session_id.")
CHAT_SESSION_ENDED = _event(
    "chat_session_ended", "A person ended a chat conversation (not the automatic close); data: session_id, messages."
)
CHAT_MESSAGE = _event("chat_message", "A chat turn was answered; data: lengths, backend, confidence.")
CHAT_SAFETY_FLAG = _event("chat_safety_flag", "A chat message met the safety layer; data: flag code.")
WELLBEING_MODULE_COMPLETED = _event("wellbeing_module_completed", "A wellbeing module was completed; data: module_id.")

# sessions: clinical (no client, session or insight ids: see the module's docstring)
CLINICAL_CLIENT_CREATED = _event("clinical_client_created", "A clinician added a client; data: linked (has account).")
THERAPY_SESSION_CREATED = _event("therapy_session_created", "A clinician scheduled a session; data: session_type.")
TRANSCRIPT_SAVED = _event("transcript_saved", "A transcript was stored or appended; data: mode, added, total.")
TRANSCRIPT_ANALYSIS_REQUESTED = _event(
    "transcript_analysis_requested", "A clinician asked for a transcript analysis; data: previous_status."
)
TRANSCRIPT_ANALYSIS_FINISHED = _event(
    "transcript_analysis_finished", "A transcript analysis run ended; data: outcome, sentences, insights."
)
CLINICAL_INSIGHT_DECIDED = _event(
    "clinical_insight_decided", "A clinician approved or rejected an insight; data: status, priority, insight_type."
)

# The types whose data name no row, so two distinct actions may log the very same facts (two sessions scheduled
# by one clinician on one day): a check for repeated events must leave them out.
WITHOUT_ROW_IDS = frozenset(
    {
        CLINICAL_CLIENT_CREATED,
        THERAPY_SESSION_CREATED,
        TRANSCRIPT_SAVED,
        TRANSCRIPT_ANALYSIS_REQUESTED,
        TRANSCRIPT_ANALYSIS_FINISHED,
        CLINICAL_INSIGHT_DECIDED,
    }
)
