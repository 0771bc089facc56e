"""The course catalogue: filter by country and level, enroll in a course, buy a paid one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from myApp.curriculum import selectors, services
from myApp.curriculum.forms import CourseFilterForm
from myApp.curriculum.views.common import redirect_back, refuse
from myApp.lib.exceptions import ServiceError

COURSES_PER_PAGE = 20


@login_required
@require_GET
def course_list(request):
    form = CourseFilterForm(request.GET or None, countries=selectors.course_countries())
    filters = form.cleaned_data if form.is_valid() else {}
    courses = selectors.courses(country=filters.get("country"), level=filters.get("level"))
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # One query for the learner's own enrollments, whatever the number of courses shown.
    enrollments = dict(
        request.user.enrollments.filter(course__in=[course.pk for course in shown]).values_list("course_id", "is_paid")
    )
    rows = [
        {"course": course, "enrolled": course.pk in enrollments, "paid": enrollments.get(course.pk, False)}
        for course in shown
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "curriculum/course_list.html", context, status=400 if form.errors else 200)


def _refuse_for_course(request, error: ServiceError):
    return refuse(request, error, back_url=reverse("curriculum:courses"), back_label="Back to the courses")


@login_required
@require_POST
def course_enroll(request, pk: int):
    course = get_object_or_404(selectors.courses(), pk=pk)
    try:
        enrollment, created = services.course_enroll(user=request.user, course=course)
    except ServiceError as error:
        return _refuse_for_course(request, error)
    if not created:
        messages.info(request, f"You are already enrolled in “{course.title}”.")
    elif enrollment.is_paid:
        messages.success(request, f"You are enrolled in “{course.title}”.")
    else:
        messages.success(request, f"You are enrolled in “{course.title}”; buy it to open every lesson.")
    return redirect_back(request, reverse("curriculum:courses"))


@login_required
@require_POST
def course_buy(request, pk: int):
    course = get_object_or_404(selectors.courses(), pk=pk)
    try:
        purchase, created = services.course_purchase(user=request.user, course=course)
    except ServiceError as error:
        return _refuse_for_course(request, error)
    if created:
        messages.success(request, f"You bought “{course.title}” for {purchase.amount} {purchase.currency}.")
    else:
        messages.info(request, f"You already own “{course.title}”.")
    return redirect_back(request, reverse("curriculum:courses"))
