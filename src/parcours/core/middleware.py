from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME
SUPPORTED = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    """French by default; a signed-in person's own choice, else the language cookie.

    The browser's Accept-Language is deliberately ignored: the product is French first,
    and a person switches to English once, from any page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(LANGUAGE_COOKIE)
        user = getattr(request, "user", None)
        # the session user is loaded lazily; reading it here costs one query only for signed-in people
        if user is not None and user.is_authenticated:
            language = getattr(user, "language", language)
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
