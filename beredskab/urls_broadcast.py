from django.urls import path

from beredskab.views import broadcast

app_name = "broadcast"

urlpatterns = [
    path("", broadcast.broadcast_list, name="list"),
    path("new/", broadcast.broadcast_new, name="new"),
    path("<int:pk>/", broadcast.broadcast_detail, name="detail"),
    path("press/new/", broadcast.press_new, name="press_new"),
    path("press/<int:pk>/", broadcast.press_detail, name="press_detail"),
    path("press/<int:pk>/send/", broadcast.press_send, name="press_send"),
    path("media/", broadcast.media_list, name="media"),
    path("media/<int:pk>/", broadcast.media_edit, name="media_edit"),
]
