from django.urls import path

from contactcenter import views

app_name = "contactcenter"

urlpatterns = [
    path("", views.index, name="index"),
]
