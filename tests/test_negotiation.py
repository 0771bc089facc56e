"""The API's content negotiation (myApp/lib/negotiation.py) chooses what DRF's would, and skips the parsing in the
common case."""

import pytest
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from myApp.lib.negotiation import ContentNegotiation
from myApp.lib.renderers import JSONRenderer

ACCEPTS = [None, "*/*", "application/json", "application/json; indent=2", "text/html", "application/*", "", "x/y"]
RENDERER_LISTS = [[JSONRenderer], [JSONRenderer, BrowsableAPIRenderer], [BrowsableAPIRenderer, JSONRenderer]]


def request(accept, query=""):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    return Request(APIRequestFactory().get(f"/api/session/history{query}", **headers))


def choice(negotiation, accept, renderers, query="", suffix=None):
    try:
        renderer, media_type = negotiation.select_renderer(
            request(accept, query), [cls() for cls in renderers], format_suffix=suffix
        )
    except (exceptions.NotAcceptable, exceptions.NotFound) as refused:
        return type(refused).__name__
    except Exception as refused:  # Http404 from a format no renderer has
        return type(refused).__name__
    return type(renderer).__name__, media_type


@pytest.mark.parametrize("renderers", RENDERER_LISTS, ids=lambda r: "+".join(c.__name__ for c in r))
@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize(("query", "suffix"), [("", None), ("?format=json", None), ("?format=api", None), ("", "json")])
def test_it_chooses_what_drf_chooses(renderers, accept, query, suffix):
    ours = choice(ContentNegotiation(), accept, renderers, query, suffix)
    assert ours == choice(DefaultContentNegotiation(), accept, renderers, query, suffix)


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_the_common_case_parses_no_accept_header(accept):
    asked = request(accept)
    renderer, media_type = ContentNegotiation().select_renderer(asked, [JSONRenderer()])
    assert (type(renderer), media_type) == (JSONRenderer, "application/json")
    assert getattr(asked, "_parsed_accept_list", None) is None  # DRF's own negotiation would have parsed it
