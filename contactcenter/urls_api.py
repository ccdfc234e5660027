"""The phone robot's read-only endpoint, mounted at /api/robot/ by beredskab/urls.py."""

from django.urls import path

from contactcenter.views import robot

app_name = "robot_api"

urlpatterns = [
    path("message", robot.robot_message, name="message"),
]
