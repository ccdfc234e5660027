from django.urls import path, re_path

from beredskab.scim import views

urlpatterns = [
    path("ServiceProviderConfig", views.service_provider_config, name="scim_spc"),
    path("ResourceTypes", views.resource_types, name="scim_resource_types"),
    path("ResourceTypes/<str:name>", views.resource_types, name="scim_resource_type"),
    path("Schemas", views.schema_list, name="scim_schemas"),
    path("Schemas/<str:urn>", views.schema_list, name="scim_schema"),
    path(".search", views.root_search, name="scim_root_search"),
    path("Users", views.users_collection, name="scim_users"),
    path("Users/.search", views.users_search, name="scim_users_search"),
    path("Users/<str:pk>", views.user_detail, name="scim_user"),
    path("Groups", views.groups_collection, name="scim_groups"),
    path("Groups/.search", views.groups_search, name="scim_groups_search"),
    path("Groups/<str:pk>", views.group_detail, name="scim_group"),
    re_path(r"^(?P<rest>.*)$", views.unknown, name="scim_unknown"),
]
