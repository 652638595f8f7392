from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils import translation


class ChosenLanguageMiddleware:
    """Vietnamese unless the user picked another language with the switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show
    English to a commune official whose browser happens to be set up in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class CompressionMiddleware(GZipMiddleware):
    """Pages and answers gzipped (25–32 KB of HTML becomes about 4 KB on a slow link).

    BREACH (guessing a secret in a compressed page from its length) is handled by Django's
    own defences, which stay on: the CSRF token is masked afresh for every response, and
    GZipMiddleware pads each gzipped body with a random number of bytes. Files that are
    already compressed (.xlsx and .docx are zip archives) are sent as they are, so a large
    export does not cost the server a second compression for nothing.
    """

    ALREADY_COMPRESSED = ("application/vnd.openxmlformats", "application/zip", "image/")

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith(self.ALREADY_COMPRESSED):
            return response
        return super().process_response(request, response)
