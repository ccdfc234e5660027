"""The /scim/v2/ endpoints. One view per URL shape; every request is authenticated by
its bearer token, runs in one transaction, and a refusal is an RFC 7644 error body
with nothing half-saved."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from beredskab import timeline
from beredskab.models import Person, ScimGroup, ScimMatch
from beredskab.scim import filters, groups, people, schemas, tokens, users
from beredskab.scim.errors import ScimError, invalid_syntax, not_found, scim_response
from beredskab.scim.patch import apply_patch, parse_json, parse_resource
from beredskab.services.directory import people_changed


def _base(request) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def scim_view(methods):
    def wrap(func):
        @csrf_exempt
        @login_not_required
        def view(request, *args, **kwargs):
            try:
                client = tokens.authenticate(request)
                if request.method not in methods:
                    raise ScimError(405, f"{request.method} is not supported here.")
                with transaction.atomic():
                    return func(request, client, *args, **kwargs)
            except ScimError as exc:
                return exc.response()

        return view

    return wrap


# --- discovery ---


@scim_view({"GET"})
def service_provider_config(request, client):
    return scim_response(schemas.service_provider_config(_base(request), settings.SCIM_MAX_RESULTS))


def _list(items) -> dict:
    return {
        "schemas": [schemas.LIST_URN],
        "totalResults": len(items),
        "startIndex": 1,
        "itemsPerPage": len(items),
        "Resources": items,
    }


@scim_view({"GET"})
def resource_types(request, client, name=None):
    items = schemas.resource_types(_base(request))
    if name is None:
        return scim_response(_list(items))
    for item in items:
        if item["id"] == name:
            return scim_response(item)
    raise not_found(f"No resource type {name}.")


@scim_view({"GET"})
def schema_list(request, client, urn=None):
    items = schemas.schemas(_base(request))
    if urn is None:
        return scim_response(_list(items))
    for item in items:
        if item["id"] == urn:
            return scim_response(item)
    raise not_found(f"No schema {urn}.")


@csrf_exempt
@login_not_required
def unknown(request, rest=""):
    try:
        tokens.authenticate(request)
    except ScimError as exc:
        return exc.response()
    return not_found(f"There is no endpoint /{rest}.").response()


@scim_view({"POST"})
def root_search(request, client):
    # RFC 7644 §3.4.3: a server that does not search across resource types says 501.
    raise ScimError(501, "Search /Users/.search or /Groups/.search instead.")


# --- shaping responses: attributes and excludedAttributes (RFC 7644 §3.9) ---


def _names(value) -> list[str]:
    if isinstance(value, list):
        value = ",".join(value)
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _shape(body: dict, attributes: list[str], excluded: list[str]) -> dict:
    ext = schemas.ENTERPRISE_URN
    if attributes:
        keep = {"schemas", "id"}
        out = {k: v for k, v in body.items() if k in keep}
        for name in attributes:
            lowered = name.lower()
            if lowered.startswith(ext.lower()):
                sub = name[len(ext) + 1 :].split(".")[0]
                if ext in body:
                    part = (
                        body[ext]
                        if not sub
                        else {k: v for k, v in body[ext].items() if k.lower() == sub.lower()}
                    )
                    if part:
                        out.setdefault(ext, {}).update(part)
                continue
            top = lowered.split(":")[-1].split(".")[0]
            for key, value in body.items():
                if key.lower() == top:
                    out[key] = value
        return out
    if excluded:
        drop = {n.lower().split(":")[-1].split(".")[0] for n in excluded}
        return {k: v for k, v in body.items() if k in {"schemas", "id"} or k.lower() not in drop}
    return body


def _params(request) -> dict:
    if request.method == "POST":
        body = parse_json(request)
        if schemas.SEARCH_URN not in (body.get("schemas") or []):
            raise invalid_syntax(f"A search names the schema {schemas.SEARCH_URN}.")
        return body
    return request.GET


def _int(value, default: int, name: str) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise invalid_syntax(f"{name} must be a number.") from exc


def _listing(request, queryset, render, resource):
    params = _params(request)
    text = params.get("filter")
    if text:
        queryset = queryset.filter(filters.to_q(text, resource)).distinct()
    start = max(_int(params.get("startIndex"), 1, "startIndex"), 1)
    count = min(
        max(_int(params.get("count"), settings.SCIM_MAX_RESULTS, "count"), 0),
        settings.SCIM_MAX_RESULTS,
    )
    total = queryset.count()
    page = list(queryset.order_by("pk")[start - 1 : start - 1 + count])
    attributes, excluded = (
        _names(params.get("attributes")),
        _names(params.get("excludedAttributes")),
    )
    items = [_shape(render(obj), attributes, excluded) for obj in page]
    return scim_response(
        {
            "schemas": [schemas.LIST_URN],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(items),
            "Resources": items,
        }
    )


def _one(request, body):
    return scim_response(
        _shape(
            body,
            _names(request.GET.get("attributes")),
            _names(request.GET.get("excludedAttributes")),
        ),
        headers={"Location": body["meta"]["location"]},
    )


# --- Users ---


def _provisioned():
    return Person.objects.filter(scim_user_name__isnull=False)


def _person(pk: str) -> Person:
    person = (
        _provisioned().filter(pk=int(pk)).select_for_update(of=("self",)).first()
        if (pk.isdigit())
        else None
    )
    if person is None:
        raise not_found(f"No user {pk}.")
    return person


@scim_view({"GET", "POST"})
def users_collection(request, client):
    base = _base(request)
    if request.method == "GET":
        return _listing(request, _provisioned(), lambda p: users.to_scim(p, base), "User")
    state = parse_resource(parse_json(request), "User")
    if (
        state.get("userName")
        and _provisioned().filter(scim_user_name__iexact=state["userName"]).exists()
    ):
        raise ScimError(409, "A user with this userName exists.", "uniqueness")
    person, matched_by = people.match_hand_made(state)
    person = person or Person()
    created = person.pk is None
    wanted_active = state["active"] is not False
    changed = users.write(person, state)
    if created:
        person.is_active = wanted_active
    person.save()
    if matched_by:
        ScimMatch.objects.create(
            person=person, matched_by=matched_by, matched_at=timezone.now(), client=client.name
        )
        timeline.record(
            person, "person.scim_matched", actor=client.actor, data={"matched_by": matched_by}
        )
    timeline.record(
        person,
        "person.provisioned",
        actor=client.actor,
        data={"changed": changed, "created": created},
    )
    if users.is_mobile_flagged(person):
        timeline.record(person, "person.mobile_flagged", actor=client.actor, data={})
    users.after_created(person, client.actor)
    if not created:
        _set_active(person, wanted_active, client)
    people_changed()
    response = scim_response(users.to_scim(person, base), status=201)
    response["Location"] = users.location(base, person)
    return response


def _set_active(person: Person, active: bool, client) -> None:
    if not active and person.is_active:
        people.request_deactivation(person, client=client)
    elif active and not person.is_active:
        # The directory entry comes back; the login stays closed until an operator
        # opens it (manage.py reactivate_login), as for any returning person.
        person.is_active = True
        person.save(update_fields=["is_active"])
        timeline.record(person, "person.reactivated", actor=client.actor, data={})


def _update_user(request, client, person: Person, state: dict):
    was_flagged = users.is_mobile_flagged(person)
    wanted_active = state.get("active")  # None (a PUT without it): unchanged
    changed = users.write(person, state)
    person.save()
    if changed:
        timeline.record(
            person,
            "person.provisioned",
            actor=client.actor,
            data={"changed": changed, "created": False},
        )
        people_changed()
    if users.is_mobile_flagged(person) and not was_flagged:
        timeline.record(person, "person.mobile_flagged", actor=client.actor, data={})
    if wanted_active is not None:
        _set_active(person, wanted_active, client)
    person.refresh_from_db()
    return _one(request, users.to_scim(person, _base(request)))


@scim_view({"GET", "PUT", "PATCH", "DELETE"})
def user_detail(request, client, pk):
    person = _person(pk)
    if request.method == "GET":
        return _one(request, users.to_scim(person, _base(request)))
    if request.method == "DELETE":
        state = people.request_deactivation(person, client=client, delete=True)
        if state != people.State.HELD:
            people.forget_scim_ids(person, actor=client.actor)
        return scim_response(None, status=204)
    body = parse_json(request)
    if request.method == "PUT":
        state = parse_resource(body, "User")
    else:
        state = apply_patch(users.to_state(person), body, "User")
    return _update_user(request, client, person, state)


@scim_view({"POST"})
def users_search(request, client):
    base = _base(request)
    return _listing(request, _provisioned(), lambda p: users.to_scim(p, base), "User")


# --- Groups ---


def _group(pk: str) -> ScimGroup:
    group = (
        ScimGroup.objects.filter(pk=int(pk)).select_for_update().first() if (pk.isdigit()) else None
    )
    if group is None:
        raise not_found(f"No group {pk}.")
    return group


def _save_group(request, client, group: ScimGroup, state: dict, status=200):
    created = group.pk is None
    changed_people = groups.write(group, state)
    groups.sync_roles(changed_people, client=client.actor)
    for person in changed_people:
        timeline.record(
            person,
            "person.provisioned",
            actor=client.actor,
            data={"changed": ["groups"], "group": group.display_name},
        )
    base = _base(request)
    response = _one(request, groups.to_scim(group, base))
    response.status_code = 201 if created else status
    return response


@scim_view({"GET", "POST"})
def groups_collection(request, client):
    base = _base(request)
    if request.method == "GET":
        return _listing(
            request, ScimGroup.objects.all(), lambda g: groups.to_scim(g, base), "Group"
        )
    state = parse_resource(parse_json(request), "Group")
    return _save_group(request, client, ScimGroup(), state)


@scim_view({"POST"})
def groups_search(request, client):
    base = _base(request)
    return _listing(request, ScimGroup.objects.all(), lambda g: groups.to_scim(g, base), "Group")


@scim_view({"GET", "PUT", "PATCH", "DELETE"})
def group_detail(request, client, pk):
    group = _group(pk)
    if request.method == "GET":
        return _one(request, groups.to_scim(group, _base(request)))
    if request.method == "DELETE":
        members = list(group.members.all())
        group.delete()
        groups.sync_roles(members, client=client.actor)
        return scim_response(None, status=204)
    body = parse_json(request)
    if request.method == "PUT":
        state = parse_resource(body, "Group")
    else:
        state = apply_patch(groups.to_state(group), body, "Group")
    return _save_group(request, client, group, state)
