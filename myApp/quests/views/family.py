"""A parent's view of their children's quests (only what each child consents to share) and a
learner's recovery tracks."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from myApp.quests.selectors import pages


@login_required
@require_GET
def family(request):
    rows = pages.family_quest_progress(parent=request.user, where=request.path)
    return render(request, "quests/family.html", {"rows": rows})


@login_required
@require_GET
def tracks(request):
    return render(request, "quests/tracks.html", {"rows": pages.tracks_of(user=request.user)})
