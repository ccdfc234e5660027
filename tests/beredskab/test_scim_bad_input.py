"""Issue 22, bad input: each refusal is an RFC 7644 error body with the right status,
and nothing is half-saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskab.models import Person, ScimToken
from beredskab.scim.errors import ERROR_URN
from beredskab.scim.schemas import PATCH_URN
from tests.beredskab.scim_support import Scim, make_token, user_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def scim(client):
    return Scim(client, make_token())


def _error(response, status: int, scim_type: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    assert body["schemas"] == [ERROR_URN] and body["status"] == str(status)
    if scim_type:
        assert body["scimType"] == scim_type
    return body


def test_it_refuses_malformed_json_with_invalid_syntax(scim):
    _error(scim.post("/Users", raw='{"userName": "a@x.dk",'), 400, "invalidSyntax")
    assert not Person.objects.exists()


def test_it_refuses_an_unknown_attribute_and_saves_nothing(scim):
    body = user_body("a@x.dk")
    body["nickName"] = "A"
    _error(scim.post("/Users", body), 400, "invalidSyntax")
    assert not Person.objects.exists()


def test_it_refuses_an_unknown_enterprise_attribute(scim):
    body = user_body("a@x.dk")
    body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["costCenter"] = "1"
    _error(scim.post("/Users", body), 400, "invalidSyntax")


def test_it_refuses_a_patch_path_that_does_not_exist_and_keeps_earlier_operations_out(scim):
    user = scim.create_user("a@x.dk", name="Anna")
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "replace", "path": "displayName", "value": "Changed"},
        {"op": "replace", "path": "nickName", "value": "x"},
    )
    _error(response, 400, "invalidPath")
    assert Person.objects.get(pk=user["id"]).name == "Anna"


def test_it_refuses_a_sub_attribute_path_that_does_not_exist(scim):
    user = scim.create_user("a@x.dk")
    response = scim.patch(
        f"/Users/{user['id']}", {"op": "add", "path": "displayName.x", "value": "x"}
    )
    _error(response, 400, "invalidPath")


def test_it_refuses_a_duplicate_user_name_with_409_uniqueness(scim):
    scim.create_user("a@x.dk")
    _error(scim.post("/Users", user_body("A@X.dk")), 409, "uniqueness")
    assert Person.objects.count() == 1


def test_it_refuses_a_duplicate_user_name_by_patch(scim):
    scim.create_user("a@x.dk")
    other = scim.create_user("b@x.dk")
    response = scim.patch(
        f"/Users/{other['id']}", {"op": "replace", "path": "userName", "value": "a@x.dk"}
    )
    _error(response, 409, "uniqueness")
    assert Person.objects.get(pk=other["id"]).scim_user_name == "b@x.dk"


def test_it_stores_a_manager_not_provisioned_yet_and_applies_it_when_they_arrive(scim):
    report = scim.create_user("r@x.dk", manager="oid-of-boss")
    person = Person.objects.get(pk=report["id"])
    assert person.manager is None and person.manager_ref == "oid-of-boss"
    boss = scim.create_user("boss@x.dk", oid="oid-of-boss")
    person.refresh_from_db()
    assert person.manager_id == int(boss["id"])


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer nope", "Basic abc"])
def test_it_refuses_a_missing_or_unknown_token_with_401(client, header):
    make_token()
    response = client.get("/scim/v2/Users", HTTP_AUTHORIZATION=header)
    _error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_refuses_an_expired_token_with_401(client):
    token = make_token()
    ScimToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    body = _error(Scim(client, token).get("/Users"), 401)
    assert "expired" in body["detail"]


def test_it_refuses_a_patch_without_the_patch_schema(scim):
    user = scim.create_user("a@x.dk")
    response = scim.client.patch(
        f"/scim/v2/Users/{user['id']}",
        data='{"Operations": [{"op": "replace", "path": "displayName", "value": "x"}]}',
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim.token}",
    )
    _error(response, 400, "invalidSyntax")
    assert PATCH_URN in response.json()["detail"]


def test_it_answers_404_for_an_unknown_user_and_endpoint(scim):
    _error(scim.get("/Users/999"), 404)
    _error(scim.get("/Nothing"), 404)


def test_it_refuses_a_bad_e_mail_without_saving(scim):
    _error(scim.post("/Users", user_body("a@x.dk", email="not-an-address")), 400, "invalidValue")
    assert not Person.objects.exists()
