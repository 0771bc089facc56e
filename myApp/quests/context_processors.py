"""What every page's navigation needs to know about the viewer: which of the role-bound pages to offer them.
The rules are the services' own (who reviews quests, who builds them, who links children, who uses the family
links page); templates only read these flags and never compare roles themselves."""


def quest_navigation(request) -> dict:
    # services load the models; settings load this module
    from myApp.accounts.services import may_link_children, uses_family_links
    from myApp.quests.services import is_psychologist, may_build_quests

    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "reviews_quests": is_psychologist(user),
        "builds_quests": signed_in and may_build_quests(user),
        "links_children": signed_in and may_link_children(user),
        "uses_family_links": signed_in and uses_family_links(user),
    }
