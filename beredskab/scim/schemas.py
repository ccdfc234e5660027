"""What the server publishes: only the attributes it stores (issue 22). Discovery
endpoints are built from these, and the request parsers accept exactly these."""

from __future__ import annotations

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"


def attr(
    name,
    type_="string",
    *,
    multi=False,
    required=False,
    mutability="readWrite",
    uniqueness="none",
    sub=None,
    canonical=None,
    description="",
    reference_types=None,
):
    out = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "description": description or name,
        "required": required,
        "caseExact": False,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": uniqueness,
    }
    if sub is not None:
        out["subAttributes"] = sub
    if canonical:
        out["canonicalValues"] = canonical
    if reference_types:
        out["referenceTypes"] = reference_types
    return out


USER_ATTRIBUTES = [
    attr(
        "userName",
        required=True,
        uniqueness="server",
        description="The sign-in name (userPrincipalName).",
    ),
    attr("displayName", description="The person's name in the directory."),
    attr("title", description="The person's job title."),
    # Required: "no value" has no meaning for a person; false deactivates (and a
    # remove is refused rather than read as either).
    attr("active", "boolean", required=True, description="false deactivates the person."),
    attr(
        "emails",
        "complex",
        multi=True,
        sub=[
            attr("value", description="The e-mail address."),
            attr("type", canonical=["work"], description="Only work is stored."),
        ],
    ),
    attr(
        "phoneNumbers",
        "complex",
        multi=True,
        sub=[
            attr("value", description="The mobile number."),
            attr("type", canonical=["mobile"], description="Only mobile is stored."),
        ],
    ),
]

ENTERPRISE_ATTRIBUTES = [
    attr("employeeNumber", uniqueness="server"),
    attr("department", description="Mapped to a portal department by a table."),
    attr("manager", "complex", sub=[attr("value", description="The manager's id.")]),
]

GROUP_ATTRIBUTES = [
    attr("displayName", required=True, uniqueness="server"),
    attr(
        "members",
        "complex",
        multi=True,
        sub=[
            attr("value", mutability="immutable", description="The member's id."),
            attr("$ref", "reference", mutability="immutable", reference_types=["User"]),
            attr("type", mutability="immutable", canonical=["User"]),
        ],
    ),
]


def _schema(urn, name, attributes, location):
    return {
        "schemas": [SCHEMA_URN],
        "id": urn,
        "name": name,
        "description": name,
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": location},
    }


def schemas(base: str) -> list[dict]:
    return [
        _schema(USER_URN, "User", USER_ATTRIBUTES, f"{base}/Schemas/{USER_URN}"),
        _schema(
            ENTERPRISE_URN,
            "EnterpriseUser",
            ENTERPRISE_ATTRIBUTES,
            f"{base}/Schemas/{ENTERPRISE_URN}",
        ),
        _schema(GROUP_URN, "Group", GROUP_ATTRIBUTES, f"{base}/Schemas/{GROUP_URN}"),
    ]


def resource_types(base: str) -> list[dict]:
    return [
        {
            "schemas": [RESOURCE_TYPE_URN],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "People in the directory",
            "schema": USER_URN,
            "schemaExtensions": [{"schema": ENTERPRISE_URN, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
        },
        {
            "schemas": [RESOURCE_TYPE_URN],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Groups mapped to portal roles",
            "schema": GROUP_URN,
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/Group"},
        },
    ]


def service_provider_config(base: str, max_results: int) -> dict:
    return {
        "schemas": [SPC_URN],
        "documentationUri": f"{base}/ServiceProviderConfig",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": max_results},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token made by `manage.py scim_token create NAME`.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }
