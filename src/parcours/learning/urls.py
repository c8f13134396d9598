from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/learn/"
urlpatterns = [
    path(prefix, views.learn_index, name="learn_index"),
    path(prefix + "<str:core_subject_key>/", views.learn_subject, name="learn_subject"),
    path(prefix + "<str:core_subject_key>/check/", views.learn_self_check, name="learn_self_check"),
    path(prefix + "<str:core_subject_key>/<str:domain_key>/", views.learn_domain, name="learn_domain"),
    path(
        prefix + "<str:core_subject_key>/<str:domain_key>/read/",
        views.learn_mark_read,
        name="learn_mark_read",
    ),
]
