"""Curriculum pages, mounted under /learn/ (the home dashboard is accounts:home at /)."""

from django.urls import path

from myApp.curriculum import views

app_name = "curriculum"

urlpatterns = [
    path("modules/<int:pk>/", views.module_detail, name="module"),
    path("modules/<int:pk>/stakes/", views.module_stakes, name="module_stakes"),
    path("lessons/<int:pk>/start/", views.lesson_start, name="lesson_start"),
    path("sessions/<uuid:pk>/", views.session_detail, name="session"),
    path("sessions/<uuid:pk>/answer/", views.session_answer, name="session_answer"),
    path("sessions/<uuid:pk>/finish/", views.session_finish, name="session_finish"),
    path("sessions/<uuid:pk>/abandon/", views.session_abandon, name="session_abandon"),
    path("levels/<int:number>/milestone/", views.milestone, name="milestone"),
    path("milestones/<int:pk>/", views.milestone_result, name="milestone_result"),
    path("milestones/<int:pk>/request-review/", views.milestone_review_request, name="milestone_review_request"),
    path("milestones/<int:pk>/withdraw-review/", views.milestone_review_withdraw, name="milestone_review_withdraw"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/", views.review_attempt, name="review_attempt"),
    path("recordings/<int:pk>/audio.wav", views.recording_audio, name="recording_audio"),
    path("districts/", views.district_map, name="district_map"),
    path("venues/<slug:slug>/", views.venue_detail, name="venue"),
    path("venues/<slug:slug>/enter/", views.venue_enter, name="venue_enter"),
    path("visits/<int:pk>/finish/", views.visit_finish, name="visit_finish"),
    path("visits/<int:pk>/attempt/", views.visit_attempt, name="visit_attempt"),
    path("amphitheatre/", views.amphitheatre_hub, name="amphitheatre"),
    path("amphitheatre/history/", views.amphitheatre_history, name="amphitheatre_history"),
    path("amphitheatre/<int:pk>/submit/", views.amphitheatre_submit, name="amphitheatre_submit"),
    path("amphitheatre/<int:pk>/end/", views.amphitheatre_end, name="amphitheatre_end"),
    path("recordings/<int:pk>/", views.recording, name="recording"),
    path("recordings/<int:pk>/transcript/", views.recording_transcript, name="recording_transcript"),
    path("recordings/<int:pk>/reanalyse/", views.recording_reanalyse, name="recording_reanalyse"),
    path("speech/", views.speech_progress, name="speech_progress"),
    path("courses/", views.course_list, name="courses"),
    path("courses/<int:pk>/enroll/", views.course_enroll, name="course_enroll"),
    path("courses/<int:pk>/buy/", views.course_buy, name="course_buy"),
]
