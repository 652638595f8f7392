"""Every text a request brings, made NFC (common.text.clean_text) before any view reads it.

One place for every form, the admin and the login page, so that no form can forget it.
Passwords are left exactly as typed: normalising one would lock out a person whose
password was set before this rule, typed in the other form.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.http.multipartparser import MultiPartParserError

from .text import clean_text


def _cleaned(data: QueryDict) -> Any:
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        if "password" in key:
            cleaned.setlist(key, values)
        else:
            cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


class CleanTextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.GET:
            request.GET = _cleaned(request.GET)
        if request.method == "POST":
            try:
                post = request.POST
            except MultiPartParserError:  # a body no browser sends: refused, not a 500
                return HttpResponseBadRequest()
            if post:
                request.POST = _cleaned(post)
        return self.get_response(request)
