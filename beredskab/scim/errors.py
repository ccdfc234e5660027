"""RFC 7644 §3.12 error bodies."""

from __future__ import annotations

import json

from django.http import HttpResponse

ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
CONTENT_TYPE = "application/scim+json"


class ScimError(Exception):
    """A request the server refuses; becomes an RFC 7644 error body. Raised inside the
    request's transaction, so nothing it changed is kept."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def response(self) -> HttpResponse:
        body = {"schemas": [ERROR_URN], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return scim_response(body, status=self.status)


def scim_response(body, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body) if body is not None else b"", status=status, content_type=CONTENT_TYPE
    )
    for key, value in (headers or {}).items():
        response[key] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def not_found(detail: str = "Resource not found") -> ScimError:
    return ScimError(404, detail)
