"""Teachers' review of milestone attempts their learners shared: the queue and one attempt's review page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from myApp.curriculum import review_selectors, services
from myApp.curriculum.forms import MilestoneReviewForm
from myApp.curriculum.speech import rubric
from myApp.curriculum.views.common import refuse
from myApp.curriculum.views.speech import measures_context
from myApp.lib.exceptions import ServiceError
from myApp.lib.forms import add_service_errors


@login_required
@require_GET
def review_queue(request):
    queue = review_selectors.milestone_review_queue(viewer=request.user, where="page:review_queue")
    return render(request, "curriculum/review_queue.html", {"queue": queue})


@login_required
@require_http_methods(["GET", "POST"])
def review_attempt(request, pk: int):
    where = "page:review_attempt"
    form = MilestoneReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_review_create(
                reviewer=request.user,
                attempt_id=pk,
                comments=form.cleaned_data["comments"],
                scores=form.scores(),
                where=where,
            )
        except ServiceError as error:
            if error.status_code != 400:
                return refuse(
                    request, error, back_url=reverse("curriculum:review_queue"), back_label="Back to the reviews"
                )
            add_service_errors(form, error)
        else:
            messages.success(request, "Review sent: the learner sees it on their milestone result.")
            return redirect("curriculum:review_attempt", pk=pk)
    attempt = review_selectors.milestone_attempt_for_reviewer(viewer=request.user, pk=pk, where=where)
    reviews = list(attempt.reviews.all())
    recording = services.milestones.attempt_recording(attempt)
    context = {
        "attempt": attempt,
        "level": attempt.level,
        "form": form,
        "reviews": reviews,
        "evaluation": services.attempt_evaluation(attempt, reviews=reviews),
        "awaiting": services.awaiting_measures(attempt),
        "recording": recording,
        "recording_url": reverse("curriculum:recording_audio", args=[recording.pk]) if recording else "",
        "rules": rubric.RULES,
        **(measures_context(recording) if recording else {}),
    }
    return render(request, "curriculum/review_attempt.html", context, status=400 if form.errors else 200)
