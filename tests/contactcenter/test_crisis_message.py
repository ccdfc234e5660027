from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from beredskab import timeline
from contactcenter.models import CrisisMessage, MessageError
from contactcenter.plan import CRISIS_TEMPLATES

pytestmark = pytest.mark.django_db
Status = CrisisMessage.Status
FILLED = "Der er strømsvigt i Aabenraa by. Ring 1-1-2 ved fare for liv."


def publish(client, message, revision=None):
    """Publish as the page does: with the revision the publisher has read."""
    return client.post(
        reverse("contactcenter:message_publish", args=[message.pk]),
        {"revision": message.revision if revision is None else revision},
    )


def test_it_has_danish_templates_for_power_system_and_evacuation():
    assert set(CRISIS_TEMPLATES) == {"stroemsvigt", "systemnedbrud", "evakuering"}
    for template in CRISIS_TEMPLATES.values():
        assert "kommunen" in template["body"]


def test_it_prefills_the_draft_from_the_power_outage_template(client_as, agent):
    response = client_as(agent).get(reverse("contactcenter:message_new") + "?template=stroemsvigt")
    assert response.status_code == 200
    assert "strømsvigt i [område]" in response.content.decode()


def test_it_saves_a_draft_and_shows_its_preview(client_as, agent):
    client = client_as(agent)
    response = client.post(
        reverse("contactcenter:message_new"), {"body": FILLED, "template_key": "stroemsvigt"}
    )
    assert response.status_code == 302
    draft = CrisisMessage.objects.get()
    assert draft.status == Status.DRAFT
    assert draft.template_key == "stroemsvigt"
    assert draft.created_by_text == "Anna Agent"
    preview = client.get(response["Location"]).content.decode()
    assert FILLED in preview
    assert 'id="publish"' not in preview  # an agent cannot publish


def test_it_refuses_a_message_too_long_for_the_robot_at_the_field(client_as, agent, settings):
    settings.ROBOT_MESSAGE_MAX_LENGTH = 50
    response = client_as(agent).post(reverse("contactcenter:message_new"), {"body": "x" * 60})
    assert response.status_code == 400
    body = response.content.decode()
    assert "at most 50 characters" in body
    assert "shorten it by 10 characters" in body
    assert not CrisisMessage.objects.exists()


def test_it_lets_a_kontaktcenterleder_publish_and_keeps_one_live(client_as, cc_leader):
    client = client_as(cc_leader)
    first = CrisisMessage.write(FILLED, actor=cc_leader)
    second = CrisisMessage.write(FILLED + " Opdateret.", actor=cc_leader)
    assert publish(client, first).status_code == 302
    assert publish(client, second).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.version) == (Status.SUPERSEDED, 1)
    assert (second.status, second.version) == (Status.LIVE, 2)
    assert second.published_by_text == "Carl Centerleder"
    assert CrisisMessage.objects.live().count() == 1
    kinds = [e.kind for e in timeline.events_for(first)]
    assert kinds == [
        "crisis_message.drafted",
        "crisis_message.published",
        "crisis_message.superseded",
    ]


def test_it_lets_a_leader_publish(client_as, leader):
    draft = CrisisMessage.write(FILLED, actor="x")
    publish(client_as(leader), draft)
    draft.refresh_from_db()
    assert draft.is_live


def test_it_refuses_publishing_to_an_agent(client_as, agent):
    draft = CrisisMessage.write(FILLED, actor=agent)
    response = publish(client_as(agent), draft)
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.is_draft


def test_it_refuses_to_publish_a_template_with_brackets_left(client_as, cc_leader):
    draft = CrisisMessage.write(CRISIS_TEMPLATES["stroemsvigt"]["body"], actor=cc_leader)
    response = publish(client_as(cc_leader), draft)
    assert response.status_code == 400
    assert "[brackets]" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft


def test_it_refuses_to_publish_when_the_limit_was_lowered_since(cc_leader, settings):
    draft = CrisisMessage.write(FILLED, actor=cc_leader)
    settings.ROBOT_MESSAGE_MAX_LENGTH = 10
    with pytest.raises(MessageError):
        draft.publish(actor=cc_leader)
    assert not CrisisMessage.objects.live().exists()


def test_it_withdraws_the_live_message(client_as, cc_leader):
    message = CrisisMessage.write(FILLED, actor=cc_leader)
    message.publish(actor=cc_leader)
    response = client_as(cc_leader).post(
        reverse("contactcenter:message_withdraw", args=[message.pk])
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.WITHDRAWN
    assert message.ended_by_text == "Carl Centerleder"
    assert not CrisisMessage.objects.live().exists()


def test_it_edits_only_drafts_and_makes_new_versions_from_published_ones(client_as, cc_leader):
    client = client_as(cc_leader)
    message = CrisisMessage.write(FILLED, actor=cc_leader)
    message.publish(actor=cc_leader)
    assert client.get(reverse("contactcenter:message_edit", args=[message.pk])).status_code == 404
    response = client.post(reverse("contactcenter:message_copy", args=[message.pk]))
    draft = CrisisMessage.objects.drafts().get()
    assert response["Location"] == reverse("contactcenter:message_edit", args=[draft.pk])
    client.post(reverse("contactcenter:message_edit", args=[draft.pk]), {"body": "Ny tekst."})
    draft.refresh_from_db()
    message.refresh_from_db()
    assert draft.body == "Ny tekst."
    assert message.body == FILLED


def test_it_masks_a_cpr_number_typed_into_the_message(agent):
    message = CrisisMessage.write("Borger 010203-1234 ringede.", actor=agent)
    assert "010203-1234" not in message.body


def test_the_database_refuses_two_live_messages(agent):
    CrisisMessage.objects.create(body="a", status=Status.LIVE, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CrisisMessage.objects.create(body="b", status=Status.LIVE, version=2)


def test_it_keeps_employees_out_of_the_message_pages(client_as, employee):
    client = client_as(employee)
    assert client.get(reverse("contactcenter:messages")).status_code == 403
    assert client.get(reverse("contactcenter:message_new")).status_code == 403


def test_it_shows_the_live_message_on_the_board(client_as, employee, cc_leader, channels):
    message = CrisisMessage.write(FILLED, actor=cc_leader)
    message.publish(actor=cc_leader)
    body = client_as(employee).get(reverse("contactcenter:index")).content.decode()
    assert FILLED in body


# --- An edit after review clears the review (the authority issue, item 12) ---


def test_it_refuses_to_publish_a_draft_edited_after_the_publisher_read_it(
    client_as, cc_leader, agent
):
    draft = CrisisMessage.write(FILLED, actor=agent)
    page = client_as(cc_leader).get(reverse("contactcenter:message", args=[draft.pk]))
    reviewed = page.context["message"].revision
    assert f'name="revision" value="{reviewed}"' in page.content.decode()
    draft.edit(FILLED + " Ring i stedet til 90 12 34 56.", actor=agent)
    response = publish(client_as(cc_leader), draft, revision=reviewed)
    assert response.status_code == 400
    assert "changed after you read it" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft
    assert not CrisisMessage.objects.live().exists()


def test_it_publishes_the_edited_text_once_it_is_read_again(client_as, cc_leader, agent):
    draft = CrisisMessage.write(FILLED, actor=agent)
    draft.edit(FILLED + " Opdateret.", actor=agent)
    assert draft.revision == 2
    assert publish(client_as(cc_leader), draft, revision=2).status_code == 302
    draft.refresh_from_db()
    assert draft.is_live
    assert timeline.events_for(draft).last().data["revision"] == 2


def test_it_refuses_a_publish_that_names_no_reviewed_revision(client_as, cc_leader):
    draft = CrisisMessage.write(FILLED, actor=cc_leader)
    response = client_as(cc_leader).post(reverse("contactcenter:message_publish", args=[draft.pk]))
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.is_draft


def test_it_checks_the_reviewed_revision_in_the_model_too(cc_leader):
    draft = CrisisMessage.write(FILLED, actor=cc_leader)
    draft.edit(FILLED + " Opdateret.", actor=cc_leader)
    with pytest.raises(MessageError):
        draft.publish(actor=cc_leader, reviewed_revision=1)
