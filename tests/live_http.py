"""A small HTTP client for a server the tests started (gunicorn on loopback): keeps cookies as a browser does."""

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request


class HttpResponse:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


class HttpClient:
    """A client of the app under gunicorn that keeps cookies as a browser does (``forget`` drops one)."""

    def __init__(self, base: str, *, token: str | None = None):
        self.base, self.token = base, token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    @property
    def cookies(self) -> dict[str, str]:
        return {cookie.name: cookie.value for cookie in self.jar}

    def forget(self, name: str) -> None:
        for cookie in [cookie for cookie in self.jar if cookie.name == name]:
            self.jar.clear(cookie.domain, cookie.path, cookie.name)

    def request(self, method: str, path: str, *, json_body=None, form=None) -> HttpResponse:
        headers, data = {}, None
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if json_body is not None:
            data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return HttpResponse(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, error.headers, error.read())

    def get(self, path: str) -> HttpResponse:
        return self.request("GET", path)

    def post(self, path: str, **kwargs) -> HttpResponse:
        return self.request("POST", path, **kwargs)
