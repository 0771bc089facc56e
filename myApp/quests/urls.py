"""Pages of therapeutic quests, under /quests/ (daily quests: ``daily_urls``, under /quests/daily/)."""

from django.urls import path

from myApp.quests.views import family, marketplace, mine, play, reviews

app_name = "quests"

urlpatterns = [
    path("", marketplace.marketplace, name="marketplace"),
    path("<int:pk>/", marketplace.detail, name="detail"),
    path("<int:pk>/library/", marketplace.library_add, name="library_add"),
    path("<int:pk>/rate/", marketplace.rate, name="rate"),
    path("<int:pk>/play/", play.play, name="play"),
    path("<int:pk>/play/start/", play.play_start, name="play_start"),
    path("<int:pk>/play/advance/", play.play_advance, name="play_advance"),
    path("mine/", mine.mine, name="mine"),
    path("mine/<int:pk>/edit/", mine.revise, name="revise"),
    path("<int:pk>/submit/", mine.submit, name="submit"),
    path("reviews/", reviews.queue, name="reviews"),
    path("reviews/<int:pk>/", reviews.review, name="review"),
    path("family/", family.family, name="family"),
    path("tracks/", family.tracks, name="tracks"),
]
