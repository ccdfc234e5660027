from django.urls import path

from beredskab.views import grants, my_account
from beredskab.views.directory import (
    chains,
    departments,
    index,
    people,
    suppliers,
    systems,
)

app_name = "directory"

urlpatterns = [
    path("", index, name="index"),
    path("departments/", departments.department_list, name="department_list"),
    path("departments/new/", departments.department_create, name="department_create"),
    path("departments/<int:pk>/", departments.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", departments.department_edit, name="department_edit"),
    path("people/", people.person_list, name="person_list"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/absences/", people.absence_add, name="absence_add"),
    path(
        "people/<int:pk>/absences/<int:absence_pk>/remove/",
        people.absence_remove,
        name="absence_remove",
    ),
    # Roles are granted and removed on the person's page (beredskab.grants).
    path("people/<int:pk>/roles/grant/", grants.role_grant, name="role_grant"),
    path("people/<int:pk>/roles/<int:grant_pk>/remove/", grants.role_remove, name="role_remove"),
    # An admin resets a person's second factors (beredskab/views/my_account.py).
    path("people/<int:pk>/factors/reset/", my_account.reset_factors, name="reset_factors"),
    path("suppliers/", suppliers.supplier_list, name="supplier_list"),
    path("suppliers/new/", suppliers.supplier_create, name="supplier_create"),
    path("suppliers/<int:pk>/", suppliers.supplier_detail, name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", suppliers.supplier_edit, name="supplier_edit"),
    path("systems/", systems.system_list, name="system_list"),
    path("systems/new/", systems.system_create, name="system_create"),
    path("systems/<int:pk>/", systems.system_detail, name="system_detail"),
    path("systems/<int:pk>/edit/", systems.system_edit, name="system_edit"),
    path("chains/", chains.chain_list, name="chain_list"),
    path("chains/new/", chains.chain_create, name="chain_create"),
    path("chains/<int:pk>/", chains.chain_detail, name="chain_detail"),
    path("chains/<int:pk>/edit/", chains.chain_edit, name="chain_edit"),
]
