"""The editable "Informationssikkerhed" page: its form and the one way to change it.

Each change is one function in one transaction with a timeline event, so the
systemkoordinator's edits to the guidance staff read in a crisis are accounted for.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from beredskab import timeline
from beredskab.models import InfoLink

POSITION_STEP = 10
MAX_POSITION = 32767  # PositiveSmallIntegerField


class InfoLinkForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Address"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_(
            "A full web address, e.g. https://intranet.example/policy. Leave empty for a text."
        ),
        error_messages={"invalid": _("Enter a full web address that starts with https://.")},
    )
    position = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=0,
        max_value=MAX_POSITION,
        help_text=_("Lower numbers come first. Leave empty to put it last."),
    )

    class Meta:
        model = InfoLink
        fields = ["title", "url", "guidance", "position"]
        labels = {"title": _("Title"), "guidance": _("Guidance text")}
        help_texts = {"guidance": _("A short text that tells staff what to do.")}
        widgets = {"guidance": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"title": {"required": _("Give the link a title.")}}

    def clean_title(self) -> str:
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            raise forms.ValidationError(_("Give the link a title."), code="required")
        return title

    def clean(self):
        cleaned = super().clean()
        # An invalid address already has its own error; do not add a second one.
        if "url" in self.errors:
            return cleaned
        if not cleaned.get("url") and not (cleaned.get("guidance") or "").strip():
            self.add_error("guidance", _("Give either an address or a guidance text."))
        return cleaned


def ordered_links(queryset=None):
    if queryset is None:
        queryset = InfoLink.objects.all()
    return queryset.order_by("position", "title", "pk")


def _unique_key(title: str) -> str:
    # Keys made in the portal start with "portal-" so they never collide with the
    # stable keys load_plan uses for the plan's own links.
    base = f"portal-{slugify(title)[:40] or 'link'}"
    key, n = base, 2
    while InfoLink.objects.filter(key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


def create_link(form: InfoLinkForm, *, actor) -> InfoLink:
    with transaction.atomic():
        link = form.save(commit=False)
        if form.cleaned_data.get("position") is None:
            last = InfoLink.objects.aggregate(m=Max("position"))["m"]
            link.position = min((last or 0) + POSITION_STEP, MAX_POSITION)
        link.key = _unique_key(link.title)
        link.save()
        timeline.record(
            link,
            "infolink.created",
            actor=actor,
            data={"title": link.title, "url": link.url, "position": link.position},
        )
    return link


def update_link(form: InfoLinkForm, *, actor) -> InfoLink:
    """Save an edit; no event when nothing actually changed."""
    with transaction.atomic():
        link = form.save(commit=False)
        if form.cleaned_data.get("position") is None:
            link.position = form.initial.get("position") or 0
        changed = [name for name in form.changed_data if name in form.Meta.fields]
        link.save()
        if changed:
            timeline.record(
                link,
                "infolink.updated",
                actor=actor,
                data={"fields": sorted(changed), "title": link.title, "url": link.url},
            )
    return link


def delete_link(link: InfoLink, *, actor) -> None:
    with transaction.atomic():
        # The event is written first: the timeline keeps the subject as an id and a
        # text, so the deleted link's history stays readable.
        timeline.record(
            link, "infolink.deleted", actor=actor, data={"title": link.title, "url": link.url}
        )
        link.delete()


def move_link(link: InfoLink, direction: str, *, actor) -> bool:
    """Move a link one place up or down; renumbers all positions in steps of ten.

    Returns False when it is already first or last.
    """
    if direction not in {"up", "down"}:
        raise ValueError(f"unknown direction {direction!r}")
    with transaction.atomic():
        links = list(ordered_links(InfoLink.objects.select_for_update()))
        index = next(i for i, other in enumerate(links) if other.pk == link.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(links):
            return False
        old_position = links[index].position
        links.insert(target, links.pop(index))
        changed = []
        for i, other in enumerate(links, start=1):
            position = min(i * POSITION_STEP, MAX_POSITION)
            if other.position != position:
                other.position = position
                changed.append(other)
        InfoLink.objects.bulk_update(changed, ["position"])
        moved = links[target]
        link.position = moved.position
        timeline.record(
            moved,
            "infolink.moved",
            actor=actor,
            data={"direction": direction, "from": old_position, "to": moved.position},
        )
    return True
