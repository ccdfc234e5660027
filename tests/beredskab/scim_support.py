"""Helpers for the SCIM tests: a token, and a Django test client speaking SCIM."""

from __future__ import annotations

import json

from beredskab.scim import tokens
from beredskab.scim.schemas import ENTERPRISE_URN, PATCH_URN, USER_URN

BASE = "/scim/v2"


def make_token(name: str = "entra-id") -> str:
    return tokens.create(name)[1]


class Scim:
    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def _call(self, method: str, path: str, body=None, raw: str | None = None):
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return getattr(self.client, method)(
            BASE + path,
            data=data,
            content_type="application/scim+json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )

    def get(self, path):
        return self.client.get(BASE + path, HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def post(self, path, body=None, raw=None):
        return self._call("post", path, body, raw)

    def put(self, path, body):
        return self._call("put", path, body)

    def patch(self, path, *operations):
        return self._call("patch", path, {"schemas": [PATCH_URN], "Operations": list(operations)})

    def delete(self, path):
        return self.client.delete(BASE + path, HTTP_AUTHORIZATION=f"Bearer {self.token}")

    def create_user(self, user_name: str, **extra):
        body = user_body(user_name, **extra)
        response = self.post("/Users", body)
        assert response.status_code == 201, response.content
        return response.json()


def user_body(
    user_name: str,
    *,
    name="",
    email="",
    mobile="",
    number="",
    department="",
    manager="",
    oid="",
    active=True,
) -> dict:
    body = {
        "schemas": [USER_URN, ENTERPRISE_URN],
        "userName": user_name,
        "active": active,
        "displayName": name or user_name.split("@")[0],
    }
    if oid:
        body["externalId"] = oid
    if email:
        body["emails"] = [{"value": email, "type": "work", "primary": True}]
    if mobile:
        body["phoneNumbers"] = [{"value": mobile, "type": "mobile"}]
    enterprise = {}
    if number:
        enterprise["employeeNumber"] = number
    if department:
        enterprise["department"] = department
    if manager:
        enterprise["manager"] = {"value": manager}
    body[ENTERPRISE_URN] = enterprise
    return body
