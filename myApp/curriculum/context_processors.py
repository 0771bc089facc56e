"""What every page's navigation needs from the curriculum: whether to offer the milestone review queue (the
rule is ``review_selectors.reviews_milestones``; templates never compare roles)."""


def curriculum_navigation(request) -> dict:
    from myApp.curriculum.review_selectors import reviews_milestones  # settings load this module before the models

    user = getattr(request, "user", None)
    return {"reviews_milestones": reviews_milestones(user)}
