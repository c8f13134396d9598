from django.urls import path

from . import views

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("o/<slug:org_slug>/", views.org_home, name="org_home"),
    path("o/<slug:org_slug>/profile/", views.org_profile, name="org_profile"),
    path("o/<slug:org_slug>/activity/", views.activity, name="activity"),
    path("o/<slug:org_slug>/people/", views.members, name="members"),
    path("o/<slug:org_slug>/people/invite/", views.invite, name="invite"),
    path("o/<slug:org_slug>/people/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("o/<slug:org_slug>/people/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "o/<slug:org_slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
