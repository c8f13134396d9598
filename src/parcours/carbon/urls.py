from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/carbon/"
urlpatterns = [
    path(prefix, views.carbon_index, name="carbon_index"),
    path(prefix + "<int:year>/", views.carbon_estimate, name="carbon_estimate"),
    path(prefix + "<int:year>/activities/", views.carbon_activities, name="carbon_activities"),
    path(prefix + "<int:year>/factors/", views.carbon_override, name="carbon_override"),
    path(prefix + "<int:year>/factors/restore/", views.carbon_override_remove, name="carbon_override_remove"),
    path(prefix + "<int:year>/factors/update/", views.carbon_upgrade, name="carbon_upgrade"),
    path(prefix + "<int:year>/vsme/", views.carbon_fill_vsme, name="carbon_fill_vsme"),
]
