"""The small part of RFC 7644 §3.4.2.2 filtering that provisioning clients use:
`attr eq "value"`, joined by `and` (Entra ID asks `userName eq "..."`,
`externalId eq "..."` and `displayName eq "..."`)."""

from __future__ import annotations

import re

from django.db.models import Q

from beredskab.scim.errors import ScimError

_TERM = re.compile(r'^\s*([A-Za-z0-9:._]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)

USER_FIELDS = {
    "id": "pk",
    "username": "scim_user_name__iexact",
    "externalid": "external_id",
    "displayname": "name__iexact",
    "emails.value": "email__iexact",
    "emails": "email__iexact",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:employeenumber": (
        "employee_number__iexact"
    ),
}
GROUP_FIELDS = {
    "id": "pk",
    "displayname": "display_name__iexact",
    "externalid": "external_id",
    "members.value": "members__pk",
}


def to_q(text: str, resource: str) -> Q:
    fields = USER_FIELDS if resource == "User" else GROUP_FIELDS
    query = Q()
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        match = _TERM.match(part)
        if not match:
            raise ScimError(400, f"The filter {text!r} is not supported.", "invalidFilter")
        name, value = match[1].lower(), match[2].replace('\\"', '"')
        if name.startswith("urn:ietf:params:scim:schemas:core:2.0:"):
            name = name.split(":", 7)[-1].partition(":")[2] or name
        field = fields.get(name)
        if field is None:
            raise ScimError(400, f"Filtering on {match[1]} is not supported.", "invalidFilter")
        if field in {"pk", "members__pk"} and not value.isdigit():
            return Q(pk__in=[])
        query &= Q(**{field: value})
    return query
