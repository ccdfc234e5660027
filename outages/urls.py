from django.urls import path

from outages import views

app_name = "outages"

urlpatterns = [
    path("", views.index, name="index"),
]
