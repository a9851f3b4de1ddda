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
