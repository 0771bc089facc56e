"""What every page's navigation needs to know about quests: whether the viewer reviews them (the review queue
link), decided by the review services' own rule."""


def quest_navigation(request) -> dict:
    from myApp.quests.services import is_psychologist  # services load the models; settings load this module

    return {"reviews_quests": is_psychologist(getattr(request, "user", None))}
