from django.urls import path

from beredskab.views import directory

app_name = "directory"

urlpatterns = [
    path("", directory.index, name="index"),
]
