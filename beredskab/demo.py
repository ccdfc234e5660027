"""Demo data for `load_demo` (never in production). No real URLs or phone numbers."""

DEMO_PASSWORD = "beredskab-demo-2026"

# (username, role) — one login per role; printed by `make run` and listed in the README.
DEMO_LOGINS: list[tuple[str, str]] = [
    ("medarbejder", "medarbejder"),
    ("leder", "leder"),
    ("systemkoordinator", "systemkoordinator"),
    ("dpo", "ekstern_dpo"),
    ("it", "it"),
    ("frontdesk", "frontdesk"),
    ("beredskabsgruppe", "beredskabsgruppe"),
    ("kontaktcenter", "kontaktcenter"),
    ("kontaktcenterleder", "kontaktcenterleder"),
    ("admin", "admin"),
]
