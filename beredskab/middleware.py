"""Danish first: the portal's language is Danish unless the person chose English.

Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, and
many municipal PCs run an English browser; the language switch (a cookie) still wins.
"""

from __future__ import annotations


class DanishFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
