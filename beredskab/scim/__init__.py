"""SCIM 2.0 provisioning from Entra ID (issue 22): a small server of our own, on
scim2-models for the published schemas' vocabulary (see pyproject.toml for why not
django-scim2). The directory Person is the SCIM User; SCIM Groups map to roles only
through GroupRoleMapping and beredskab.grants."""
