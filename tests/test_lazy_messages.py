"""The message middleware (myApp/lib/messages.py) builds a request's storage only when the request uses it."""

from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from myApp.lib.messages import LazyMessageMiddleware

BUILT = []


class CountingStorage(CookieStorage):
    def __init__(self, request, *args, **kwargs):
        BUILT.append(request)
        super().__init__(request, *args, **kwargs)


COUNTING = {"MESSAGE_STORAGE": "tests.test_lazy_messages.CountingStorage"}


@override_settings(**COUNTING)
def test_a_request_that_never_uses_messages_builds_no_storage():
    BUILT.clear()
    response = LazyMessageMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/api/x"))
    assert response.status_code == 200 and BUILT == []
    assert "messages" not in response.cookies


@override_settings(**COUNTING)
def test_a_message_added_is_stored_and_read_back_on_the_next_request():
    BUILT.clear()

    def adds(request):
        messages.success(request, "Saved.")
        return HttpResponse("ok")

    response = LazyMessageMiddleware(adds)(RequestFactory().get("/"))
    assert len(BUILT) == 1 and response.cookies["messages"].value

    shown = []

    def shows(request):
        shown.extend(str(message) for message in messages.get_messages(request))
        return HttpResponse("ok")

    following = RequestFactory().get("/")
    following.COOKIES["messages"] = response.cookies["messages"].value
    after = LazyMessageMiddleware(shows)(following)
    assert shown == ["Saved."]
    assert after.cookies["messages"].value == ""  # read, so cleared
