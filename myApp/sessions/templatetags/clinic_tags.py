"""Clinic pages' figures that are the services' rules, so a page never states a rule of its own."""

from django import template

from myApp.sessions.services.clinical.insights import REJECT_URGENT_REASON_MIN, rejecting_needs_reason

register = template.Library()


@register.simple_tag
def reject_reason_min() -> int:
    """How many characters the reason for rejecting an urgent insight needs (``insights._decision_note``)."""
    return REJECT_URGENT_REASON_MIN


@register.filter
def needs_reason_to_reject(insight) -> bool:
    """``insights.rejecting_needs_reason``: the decision form asks for the reason only where the service needs it."""
    return rejecting_needs_reason(insight)
