"""Django's message middleware, with each request's message storage built when something first uses it."""

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    """Most requests (every API call) never add or show a message, yet Django's middleware builds the storage
    (three objects) on each and asks it to save. Here the storage is built on first use (``messages.success``, a
    template listing ``messages``), and a response whose request never used it has nothing to save."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response
        return super().process_response(request, response)
