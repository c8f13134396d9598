from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/"
urlpatterns = [
    path(prefix + "label-readiness/", views.label_readiness, name="label_readiness"),
    path(prefix + "label-readiness.pdf", views.label_readiness_pdf, name="label_readiness_pdf"),
    path(prefix + "public-profile/", views.public_profile_manage, name="public_profile_manage"),
    path("c/<str:public_slug>/", views.public_profile, name="public_profile"),
]
