"""Requests to the model servers an operator configures (chat assistant, quest builder, transcription).

They go only to the configured address: a redirect is refused (answered as the HTTP error it is), since
urllib would otherwise follow it, turning the POST into a GET to wherever it points and sending the
``Authorization`` header (the API key) there, then take that host's reply as the server's.
"""

import urllib.request


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError for the 3xx


_OPENER = urllib.request.build_opener(_RefuseRedirects)


def urlopen(request: urllib.request.Request, *, timeout: float):
    """``urllib.request.urlopen`` without following redirects."""
    return _OPENER.open(request, timeout=timeout)
