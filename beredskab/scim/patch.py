"""Parsing SCIM bodies and applying PATCH operations to a resource's state: a plain
dict of the attributes the server publishes (schemas.py). The state is checked whole
after all operations, and only then written: a bad operation changes nothing."""

from __future__ import annotations

import json
import re

from django.conf import settings

from beredskab.scim.errors import ScimError, invalid_path, invalid_syntax, invalid_value
from beredskab.scim.schemas import ENTERPRISE_URN, GROUP_URN, PATCH_URN, USER_URN

# lower-case name → the state key, per resource. Complex and multi-valued keys below.
USER_KEYS = {
    "username": "userName",
    "externalid": "externalId",
    "displayname": "displayName",
    "title": "title",
    "active": "active",
    "emails": "emails",
    "phonenumbers": "phoneNumbers",
}
ENTERPRISE_KEYS = {
    "employeenumber": "employeeNumber",
    "department": "department",
    "manager": "manager",
}
GROUP_KEYS = {"displayname": "displayName", "externalid": "externalId", "members": "members"}
MULTI = {"emails": "work", "phoneNumbers": "mobile"}  # the one type stored of each
# Sub-attributes accepted in input. `primary` is what Entra ID sends; with one value
# stored it says nothing, so it is accepted and not kept.
SUB_KEYS = {
    "emails": {"value", "type", "primary"},
    "phoneNumbers": {"value", "type", "primary"},
    "members": {"value", "$ref", "type", "display"},
    "manager": {"value", "$ref", "displayname"},
}
IGNORED = {"schemas", "id", "meta"}


def parse_json(request) -> dict:
    if len(request.body) > settings.SCIM_MAX_BODY_BYTES:
        raise ScimError(413, "The request body is too large.")
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid_syntax(f"The body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise invalid_syntax("The body must be a JSON object.")
    return body


def empty_user() -> dict:
    return {
        "userName": None,
        "externalId": None,
        "displayName": None,
        "title": None,
        "active": None,
        "emails": [],
        "phoneNumbers": [],
        "employeeNumber": None,
        "department": None,
        "manager": None,
    }


def empty_group() -> dict:
    return {"displayName": None, "externalId": None, "members": []}


def _string(name: str, value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_value(f"{name} must be a string.")
    return value.strip() or None


def _bool(name: str, value):
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"  # Entra ID sends "False" as a string in PATCH
    if value is not None and not isinstance(value, bool):
        raise invalid_value(f"{name} must be true or false.")
    return value


def _sub(key: str, item) -> dict:
    if not isinstance(item, dict):
        raise invalid_value(f"Each value of {key} must be an object.")
    lowered = {k.lower(): v for k, v in item.items()}
    allowed = {k.lower() for k in SUB_KEYS[key]}
    unknown = set(lowered) - allowed
    if unknown:
        raise invalid_syntax(f"{key} has no attribute {sorted(unknown)[0]}.")
    return lowered


def _multi(key: str, value) -> list[dict]:
    """emails/phoneNumbers: the one value of the stored type (or without a type)."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise invalid_value(f"{key} must be a list.")
    wanted = MULTI[key]
    chosen = None
    for item in value:
        item = _sub(key, item)
        kind = _string(f"{key}.type", item.get("type")) or wanted
        if kind.lower() != wanted:
            continue  # e.g. a work phone: not stored (README: mappings to set)
        text = _string(f"{key}.value", item.get("value"))
        if text is not None:
            chosen = text  # the last one given wins; one is stored
    return [{"value": chosen, "type": wanted}] if chosen else []


def _manager(value):
    if value is None:
        return None
    if isinstance(value, str):
        value = {"value": value}
    item = _sub("manager", value)
    ref = _string("manager.value", item.get("value"))
    return {"value": ref} if ref else None


def _members(value) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise invalid_value("members must be a list.")
    out = []
    for item in value:
        ref = _string("members.value", _sub("members", item).get("value"))
        if not ref:
            raise invalid_value("Each member needs a value (the user's id).")
        if ref not in {m["value"] for m in out}:
            out.append({"value": ref})
    return out


def _convert(key: str, value):
    if key in MULTI:
        return _multi(key, value)
    if key == "active":
        return _bool(key, value)
    if key == "manager":
        return _manager(value)
    if key == "members":
        return _members(value)
    return _string(key, value)


def _split_urn(name: str, resource: str) -> tuple[str, str]:
    """'urn:...:enterprise:2.0:User:manager.value' → ('enterprise', 'manager.value')."""
    lowered = name.lower()
    for urn, where in ((ENTERPRISE_URN, "enterprise"), (USER_URN, "core"), (GROUP_URN, "core")):
        if lowered == urn.lower():
            return where, ""
        if lowered.startswith(urn.lower() + ":"):
            if where == "enterprise" and resource != "User":
                break
            return where, name[len(urn) + 1 :]
    return "core", name


def _key(name: str, resource: str, where: str) -> str:
    table = (
        ENTERPRISE_KEYS
        if where == "enterprise"
        else (USER_KEYS if resource == "User" else GROUP_KEYS)
    )
    key = table.get(name.lower())
    if key is None:
        raise invalid_syntax(f"{resource} has no attribute {name}.")
    return key


def parse_resource(body: dict, resource: str) -> dict:
    """A whole resource (POST or PUT) → its state. Unknown attributes are refused."""
    state = empty_user() if resource == "User" else empty_group()
    for name, value in body.items():
        if name.lower() in IGNORED:
            continue
        where, rest = _split_urn(name, resource)
        if where == "enterprise" and not rest:
            if not isinstance(value, dict):
                raise invalid_value(f"{ENTERPRISE_URN} must be an object.")
            for sub_name, sub_value in value.items():
                if sub_name.lower() in IGNORED:
                    continue
                key = _key(sub_name, resource, "enterprise")
                state[key] = _convert(key, sub_value)
            continue
        key = _key(rest, resource, where)
        state[key] = _convert(key, value)
    return state


# --- PATCH ---

_FILTERED = re.compile(
    r'^(?P<attr>[A-Za-z$]+)\[\s*(?P<sub>[A-Za-z$]+)\s+eq\s+"(?P<val>[^"]*)"\s*\](?:\.(?P<leaf>[A-Za-z$]+))?$',
    re.IGNORECASE,
)


def _target(path: str, resource: str):
    """A PATCH path → (key, filter value or None, sub-attribute or None). key may be
    'enterprise' for the extension as a whole."""
    where, rest = _split_urn(path.strip(), resource)
    if where == "enterprise" and not rest:
        return "enterprise", None, None
    match = _FILTERED.match(rest)
    try:
        if match:
            key = _key(match["attr"], resource, where)
            if key not in MULTI and key != "members":
                raise invalid_path(f"{match['attr']} cannot be filtered.")
            sub = (match["leaf"] or "").lower() or None
            if sub not in (None, "value") or match["sub"].lower() not in {"type", "value"}:
                raise invalid_path(f"The path {path} is not supported.")
            return key, (match["sub"].lower(), match["val"]), sub
        name, _dot, sub = rest.partition(".")
        key = _key(name, resource, where)
    except ScimError as exc:
        raise invalid_path(f"The path {path} does not exist.") from exc
    sub = sub.lower() or None
    if sub is not None and (key not in {"manager", *MULTI} or sub != "value"):
        raise invalid_path(f"The path {path} does not exist.")
    return key, None, sub


def _set(state: dict, key: str, op: str, value, flt, sub) -> None:
    if key in MULTI:
        if sub == "value" or flt:
            if flt and flt[0] == "type" and flt[1].lower() != MULTI[key]:
                return  # another type of value: not stored
            if op == "remove":
                state[key] = []
                return
            if isinstance(value, dict) or isinstance(value, list):
                state[key] = _convert(key, value)
            else:
                state[key] = _convert(key, [{"value": value, "type": MULTI[key]}])
            return
        state[key] = [] if op == "remove" else _convert(key, value)
        return
    if key == "members":
        current = state["members"]
        if op == "remove":
            if flt:
                state["members"] = [m for m in current if m["value"] != flt[1]]
            elif value is not None:
                gone = {m["value"] for m in _members(value)}
                state["members"] = [m for m in current if m["value"] not in gone]
            else:
                state["members"] = []
        elif op == "add":
            seen = {m["value"] for m in current}
            state["members"] = current + [m for m in _members(value) if m["value"] not in seen]
        else:
            state["members"] = _members(value)
        return
    if key == "manager" and sub == "value":
        value = None if op == "remove" else {"value": value}
    state[key] = None if op == "remove" else _convert(key, value)


def apply_patch(state: dict, body: dict, resource: str) -> dict:
    """Apply a PatchOp body to a copy of `state` and return it."""
    schemas = body.get("schemas") or []
    if PATCH_URN not in schemas:
        raise invalid_syntax(f"A PATCH body names the schema {PATCH_URN}.")
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise invalid_syntax("A PATCH body has a non-empty Operations list.")
    state = json.loads(json.dumps(state))
    for operation in operations:
        if not isinstance(operation, dict):
            raise invalid_syntax("Each operation is an object.")
        op = str(operation.get("op", "")).lower()
        if op not in {"add", "replace", "remove"}:
            raise invalid_syntax(f"Unknown PATCH op {operation.get('op')!r}.")
        path = operation.get("path")
        value = operation.get("value")
        if path is None or path == "":
            if op == "remove":
                raise ScimError(400, "A remove operation needs a path.", "noTarget")
            if not isinstance(value, dict):
                raise invalid_value("Without a path, the value is an object of attributes.")
            for name, sub_value in value.items():
                if name.lower() in IGNORED:
                    continue
                _one(state, op, name, sub_value, resource)
            continue
        if not isinstance(path, str):
            raise invalid_path("The path must be a string.")
        if op != "remove" and "value" not in operation:
            raise invalid_value(f"The {op} operation on {path} has no value.")
        _one(state, op, path, value, resource)
    return state


def _one(state: dict, op: str, path: str, value, resource: str) -> None:
    key, flt, sub = _target(path, resource)
    if key == "enterprise":
        if op == "remove":
            for name in ENTERPRISE_KEYS.values():
                state[name] = None
            return
        if not isinstance(value, dict):
            raise invalid_value(f"{ENTERPRISE_URN} takes an object.")
        for name, sub_value in value.items():
            if name.lower() not in IGNORED:
                _set(state, _key(name, resource, "enterprise"), op, sub_value, None, None)
        return
    if key == "active" and op == "remove":
        raise ScimError(400, "active cannot be removed; set it to false.", "mutability")
    _set(state, key, op, value, flt, sub)
