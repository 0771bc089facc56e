"""Driving the quest builder through its service, answer by answer, as a parent would."""

from myApp.quests import services

# One answer per question, then the confirmation of the summary the builder shows before it builds.
QUESTION_ANSWERS = (
    "She is 8",
    "Dragons and drawing",
    "We built a sandcastle at the beach last summer",
    "She worries a lot before school",
    "A castle in the clouds",
)
CONFIRM = "Yes, build it"
ANSWERS = (*QUESTION_ANSWERS, CONFIRM)


def builder_answer_all(session, user, answers=ANSWERS):
    for answer in answers:
        session, _ = services.builder_chat(session=session, by=user, message=answer)
    return session


def builder_ready(user):
    """A session at quest_ready (every question answered, the summary confirmed, the draft approved)."""
    session = builder_answer_all(services.builder_session_create(user=user), user)
    session, _ = services.builder_chat(session=session, by=user, message="Looks good")
    return session
