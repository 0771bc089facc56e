"""Staff ticket grants: the one amount (``economy.STAFF_TICKET_GRANT``) every admin action gives."""

from collections.abc import Iterable

from django.db import transaction

from myApp.accounts.models import User
from myApp.accounts.services import profile_adjust_balance
from myApp.analytics import events
from myApp.analytics.services import track
from myApp.curriculum import economy


@transaction.atomic
def tickets_grant(*, learners: Iterable[User], by: User) -> int:
    """Give each learner ``STAFF_TICKET_GRANT`` tickets once (a learner listed twice is granted
    once); each grant is logged with the staff member who made it. Returns how many learners."""
    granted = 0
    for learner in {learner.pk: learner for learner in learners}.values():
        profile_adjust_balance(user=learner, tickets=economy.STAFF_TICKET_GRANT)
        track(
            event_type=events.TICKETS_GRANTED,
            user=learner,
            data={"tickets": economy.STAFF_TICKET_GRANT, "by": by.pk},
        )
        granted += 1
    return granted
