"""Driving the quest builder through its service, answer by answer, as a parent would."""

from myApp.quests import services

ANSWERS = (
    "She is 8",
    "Dragons and drawing",
    "We built a sandcastle at the beach last summer",
    "She worries a lot before school",
    "A castle in the clouds",
)


def builder_answer_all(session, user, answers=ANSWERS):
    for answer in answers:
        session, _ = services.builder_chat(session=session, by=user, message=answer)
    return session


def builder_ready(user):
    """A session at quest_ready (every question answered, the draft approved)."""
    session = builder_answer_all(services.builder_session_create(user=user), user)
    session, _ = services.builder_chat(session=session, by=user, message="Looks good")
    return session
