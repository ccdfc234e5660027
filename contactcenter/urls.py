from django.urls import path

from contactcenter.views import board, integrations, message, people, robot

app_name = "contactcenter"

urlpatterns = [
    path("", board.index, name="index"),
    path("kanal/<int:pk>/", board.channel_detail, name="channel"),
    path("kanal/<int:pk>/sundhedstjek/", board.channel_health, name="channel_health"),
    # The phone robot's crisis message.
    path("besked/", message.message_list, name="messages"),
    path("besked/ny/", message.message_new, name="message_new"),
    path("besked/<int:pk>/", message.message_detail, name="message"),
    path("besked/<int:pk>/rediger/", message.message_edit, name="message_edit"),
    path("besked/<int:pk>/udgiv/", message.message_publish, name="message_publish"),
    path("besked/<int:pk>/tilbagekald/", message.message_withdraw, name="message_withdraw"),
    path("besked/<int:pk>/ny-version/", message.message_copy, name="message_copy"),
    path("integrationer/", integrations.integration_list, name="integrations"),
    path("integrationer/ny/", integrations.integration_create, name="integration_create"),
    path(
        "integrationer/<int:pk>/ny-noegle/",
        integrations.integration_rotate,
        name="integration_rotate",
    ),
    path(
        "integrationer/<int:pk>/spaer/", integrations.integration_revoke, name="integration_revoke"
    ),
    # Who is reachable, and where the centre works from.
    path("tilgaengelig/", people.reachable_me, name="reachable_me"),
    path("tilgaengelig/afmeld/", people.reachable_withdraw, name="reachable_withdraw"),
    path("tilgaengelige/", people.reachable_list, name="reachable_list"),
    path("placering/", people.location_edit, name="location"),
    # Twilio Voice calls this when the robot or the switchboard is down (signed).
    path("twilio/voice", robot.voice, name="voice"),
]
