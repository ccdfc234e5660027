"""What the real-browser tests share: launching Debian's Chromium, axe-core, sizes."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import CHROMIUM_ARGS, PASSWORD

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}


def launch(playwright, chromium_path: str):
    """Chromium from /usr/bin/chromium with the flags this closed network needs."""
    return playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page (injected with evaluate, so the CSP does not block it)."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate(Axe().axe_script)
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe found WCAG 2.1 A/AA violations on {what}:\n{report(violations)}"


def log_in(page, base: str, username: str) -> None:
    """Sign in through the login form with the fixtures' password."""
    page.goto(base + reverse("login"))
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
