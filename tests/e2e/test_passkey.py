"""Enrol and use a passkey in a real browser: Chromium's virtual authenticator (CDP
WebAuthn.addVirtualAuthenticator: ctap2, internal, resident keys, user verification) on
localhost (a secure context, so WebAuthn runs over plain http).

A systemkoordinator logs in with the password and is held on the enrolment page; types
back the SMS code from the outbox; adds a passkey; logs out; logs in again and the portal
asks for the second factor, which the passkey gives. Re-authentication takes the password
and the passkey. A second person's login is then offered the first person's passkey (a
valid signature from another account's credential): refused with a Danish message, not
logged in, and counted toward the lock-out.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from beredskab.roles import Role
from tests.beredskab.mfa_support import give_totp
from tests.conftest import PASSWORD
from tests.e2e.support import assert_accessible, launch, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MOBILE = "+4521990202"
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


def log_out(page) -> None:
    page.locator("header form[action$='/logout/'] button").click()
    page.wait_for_load_state()


def forget_reauth(context, settings) -> None:
    from importlib import import_module

    from beredskab import reauth

    key = next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    store.pop(reauth.SESSION_KEY, None)
    store.save()


def sms_code(person) -> str:
    from beredskab.models import OutboxMessage

    body = OutboxMessage.objects.filter(person=person, channel="sms").latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_it_enrols_and_uses_a_passkey(
    live_server, settings, make_user, chromium_path, allow_orm_beside_playwright
):
    from allauth.mfa.models import Authenticator
    from axes.models import AccessAttempt
    from playwright.sync_api import sync_playwright

    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    settings.BASE_URL = live_server.url
    koordinator = make_user(Role.SYSTEMKOORDINATOR, username="e2e-kim", mobile=MOBILE)
    give_totp(make_user(Role.SYSTEMKOORDINATOR, username="e2e-other"))
    base = live_server.url.replace("127.0.0.1", "localhost")
    assert "localhost" in base

    with sync_playwright() as p:
        browser = launch(p, chromium_path)
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})

        # 1. The password alone leads only to enrolment.
        log_in(page, base, "e2e-kim")
        page.goto(base + reverse("home"))
        assert page.url.endswith(reverse("mfa_enrol")), page.url
        assert_accessible(page, "the enrolment page")

        # 2. The SMS code opens enrolment.
        page.locator("#send-code").click()
        page.wait_for_load_state()
        page.locator("input[name=code]").fill(sms_code(koordinator.person))
        page.locator("#check-code").click()
        page.wait_for_load_state()
        assert page.url.endswith(reverse("mfa_index")), page.url

        # 3. A passkey from the virtual authenticator.
        page.goto(base + reverse("mfa_add_webauthn"))
        page.locator("#mfa_webauthn_add").click()
        page.wait_for_url(lambda url: not url.endswith(reverse("mfa_add_webauthn")))
        assert Authenticator.objects.filter(user=koordinator, type="webauthn").exists()
        page.goto(base + reverse("home"))
        assert page.url.rstrip("/") == base, page.url  # the portal opens now
        kims = Authenticator.objects.get(user=koordinator, type="webauthn")
        raw_id = kims.data["credential"]["rawId"]  # base64url, as webauthn-json wants it

        # 4. The next login asks for the factor; the passkey gives it.
        log_out(page)
        log_in(page, base, "e2e-kim")
        assert page.url.endswith(reverse("mfa_authenticate")), page.url
        page.locator("#mfa_webauthn_authenticate").click()
        page.wait_for_url(lambda url: not url.endswith(reverse("mfa_authenticate")))
        assert page.locator("header form[action$='/logout/']").count() == 1
        page.goto(base + reverse("my_account"))
        assert_accessible(page, "Min konto")

        # 5. Re-authentication asks for the password and the passkey (the session's
        # re-authentication stamp is taken away, as if the window had passed).
        forget_reauth(context, settings)
        page.goto(base + reverse("mfa_add_webauthn"))
        assert reverse("reauth") in page.url, page.url
        page.locator("input[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("#reauth-passkey").click()
        page.wait_for_load_state()
        assert page.url.endswith(reverse("mfa_add_webauthn")), page.url

        # 6. Another account's login offered Kim's passkey: refused.
        log_out(page)
        log_in(page, base, "e2e-other")
        assert page.url.endswith(reverse("mfa_authenticate")), page.url
        with page.expect_navigation():
            page.evaluate(
                """async (rawId) => {
                const data = JSON.parse(document.getElementById('js_data').textContent);
                const options = data.request_options;
                options.publicKey.allowCredentials = [{type: 'public-key', id: rawId}];
                const credential = await webauthnJSON.get(options);
                const input = document.querySelector('input[name=credential]');
                input.value = JSON.stringify(credential);
                input.form.submit();
            }""",
                raw_id,
            )
        page.wait_for_load_state()
        assert "Koden er forkert, eller den er allerede brugt" in page.content()
        assert page.locator("header form[action$='/logout/']").count() == 0
        browser.close()

    assert AccessAttempt.objects.filter(username="e2e-other").exists()
