"""Request-level helpers."""

from django.http import QueryDict

from dangbo.lib.vntext import nfc


def _normalized(query_dict):
    copy = QueryDict(mutable=True, encoding=query_dict.encoding)
    for key, values in query_dict.lists():
        copy.setlist(nfc(key), [nfc(v) for v in values])
    copy._mutable = False
    return copy


class NormalizeInputMiddleware:
    """Turn every submitted text into NFC before any form sees it.

    Text pasted from Word or Excel often arrives decomposed (NFD), which breaks
    equality, search and PDFs; doing it once here covers every form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.GET:
            request.GET = _normalized(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _normalized(request.POST)
        return self.get_response(request)


class LanguageMiddleware:
    """Vietnamese unless the person chose English with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many
    office computers run an English Windows: the Party's software should not
    turn English because of that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
