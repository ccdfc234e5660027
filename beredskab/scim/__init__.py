"""SCIM 2.0 provisioning from Entra ID (issue 22): a small server of our own (see
pyproject.toml for why not django-scim2), checked by scim2-tester in the tests.

The directory Person is the SCIM User; SCIM Groups map to roles only through
GroupRoleMapping and beredskab.grants."""
