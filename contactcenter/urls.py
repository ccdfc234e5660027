from django.urls import path

from contactcenter.views import board

app_name = "contactcenter"

urlpatterns = [
    path("", board.index, name="index"),
    path("kanal/<int:pk>/", board.channel_detail, name="channel"),
    path("kanal/<int:pk>/sundhedstjek/", board.channel_health, name="channel_health"),
]
