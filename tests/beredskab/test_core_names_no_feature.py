"""The core does not know the features (DESIGN.md "Extension, not knowledge").

`beredskab/`, `templates/beredskab/` and the shared templates (base.html, the sign-in
pages: every template folder but the feature apps' own) name no feature app: no
import, URL namespace, template folder, template-tag library or string naming one.
Only the two shell files Django needs name them: settings.py (INSTALLED_APPS) and the
root URLconf.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SHELL_FILES = {
    ROOT / "beredskab" / "settings.py",
    ROOT / (settings.ROOT_URLCONF.replace(".", "/") + ".py"),
}


def feature_apps() -> list[str]:
    """The project's own apps besides the core: every app whose package sits at the
    top of the repository (so a new feature app is checked without editing this)."""
    return sorted(
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT and config.label != "beredskab"
    )


def scanned_files(app_names: list[str]) -> list[Path]:
    core = [p for p in (ROOT / "beredskab").rglob("*") if "__pycache__" not in p.parts]
    templates = ROOT / "templates"
    shared = [p for p in templates.rglob("*") if p.relative_to(templates).parts[0] not in app_names]
    assert any(p.name == "base.html" for p in shared)
    assert any(p.is_relative_to(templates / "beredskab") for p in shared)
    return sorted(p for p in core + shared if p.is_file() and p not in SHELL_FILES)


def patterns(app: str) -> list[re.Pattern]:
    # Word boundaries keep ordinary words ("training", "outages" in a sentence) out:
    # only the forms that name the app as code do.
    name = re.escape(app)
    return [
        re.compile(rf"\b{name}[.:/]\w"),  # incidents.models, 'incidents:log', outages/x.html
        re.compile(rf"\b{name}_\w"),  # {% load outages_tags %}, table names
        re.compile(rf"""["']{name}["']"""),  # an app label, namespace or section as a string
        re.compile(rf"\b(?:from|import)\s+{name}\b"),
        re.compile(rf"\b{name} app\b", re.I),  # prose: "the training app's hook"
    ]


def offending_lines(app_names: list[str]) -> list[str]:
    checks = [p for app in app_names for p in patterns(app)]
    found = []
    for path in scanned_files(app_names):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary: images
        for number, line in enumerate(text.splitlines(), start=1):
            if any(p.search(line) for p in checks):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_it_knows_the_feature_apps_it_checks_for():
    assert feature_apps() == ["contactcenter", "incidents", "outages", "training"]


def test_the_core_names_no_feature_app_outside_settings_and_the_root_urls():
    assert offending_lines(feature_apps()) == []


def test_the_shell_files_do_name_them_so_the_check_can_see_a_name():
    # The patterns find what they are meant to: the root URLconf includes every app.
    urls = next(p for p in SHELL_FILES if p.name == "urls.py").read_text()
    for app in feature_apps():
        assert any(p.search(urls) for p in patterns(app)), app


def test_ordinary_words_are_not_taken_for_an_app():
    sentence = "Here you report incidents and outages; training is mandatory."
    assert not any(p.search(sentence) for app in feature_apps() for p in patterns(app))
    for code in (
        "from incidents.models import Incident",
        "{% url 'outages:index' %}",
        '{% include "training/_panel.html" %}',
        "{% load outages_tags %}",
        "section = 'contactcenter'",
    ):
        assert any(p.search(code) for app in feature_apps() for p in patterns(app)), code
