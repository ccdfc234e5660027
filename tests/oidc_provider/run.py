"""Start the test OpenID provider: `python -m tests.oidc_provider.run <dir> <port>
<client_id> <client_secret> <redirect_uri>...` from the project root. Makes an RS256
key, a fresh SQLite database and the client application in <dir>, then serves on
127.0.0.1:<port> until killed."""

import os
import sys
from pathlib import Path


def main() -> None:
    state_dir, port, client_id, client_secret, *redirect_uris = sys.argv[1:]
    os.environ["OIDC_PROVIDER_DIR"] = state_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ.pop("DJANGO_ENV", None)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    Path(state_dir, "key.pem").write_bytes(pem)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from oauth2_provider.models import get_application_model

    get_application_model().objects.create(
        name="Beredskabsportalen",
        client_id=client_id,
        client_secret=client_secret,
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=" ".join(redirect_uris),
        algorithm="RS256",
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, verbosity=0)


if __name__ == "__main__":
    main()
