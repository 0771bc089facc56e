"""The admin index's notice of urgent insights that no clinician sees (``risk_selectors``)."""

from django import template

from myApp.sessions import risk_selectors

register = template.Library()


@register.inclusion_tag("admin/includes/unseen_urgent.html")
def unseen_urgent_insights() -> dict:
    return {"count": risk_selectors.urgent_insights_seen_by_no_clinician().count()}
