from django.urls import path

from . import company_views, views

p = "p/<slug:programme_slug>/"
urlpatterns = [
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programme-invitations/<str:token>/", views.programme_invitation, name="programme_invitation"),
    path("consultant/", company_views.portfolio, name="portfolio"),
    path(p, views.programme_detail, name="programme_detail"),
    path(p + "cohort.csv", views.programme_csv, name="programme_csv"),
    path(p + "edit/", views.programme_edit, name="programme_edit"),
    path(p + "calendar/", views.programme_calendar, name="programme_calendar"),
    path(p + "calendar/new/", views.step_create, name="step_create"),
    path(p + "calendar/<int:step_id>/", views.step_edit, name="step_edit"),
    path(p + "calendar/<int:step_id>/delete/", views.step_delete, name="step_delete"),
    path(p + "people/", views.programme_people, name="programme_people"),
    path(
        p + "invitations/<int:invitation_id>/revoke/",
        views.programme_invitation_revoke,
        name="programme_invitation_revoke",
    ),
    path(p + "staff/<int:staff_id>/remove/", views.staff_remove, name="staff_remove"),
    path(
        p + "enrolments/<int:enrolment_id>/consultant/",
        views.enrolment_consultant,
        name="enrolment_consultant",
    ),
    path(p + "enrolments/<int:enrolment_id>/remove/", views.enrolment_remove, name="enrolment_remove"),
    path(p + "sessions/new/", views.session_create, name="session_create"),
    path(p + "sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path(p + "sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path(p + "sessions/<int:session_id>/attendance/", views.session_attendance, name="session_attendance"),
    path(p + "synthesis/", views.programme_synthesis, name="programme_synthesis"),
    path(p + "synthesis.<str:fmt>", views.programme_synthesis_file, name="programme_synthesis_file"),
    # The company's side.
    path("o/<slug:org_slug>/programmes/", company_views.org_programmes, name="org_programmes"),
    path(
        "o/<slug:org_slug>/programmes/<int:enrolment_id>/leave/",
        company_views.enrolment_leave,
        name="enrolment_leave",
    ),
    path("o/<slug:org_slug>/practices/", company_views.practice_list, name="practice_list"),
    path(
        "o/<slug:org_slug>/practices/<int:practice_id>/copy/",
        company_views.practice_copy,
        name="practice_copy",
    ),
    path("o/<slug:org_slug>/actions/<int:action_id>/share/", company_views.action_share, name="action_share"),
]
