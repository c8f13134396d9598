from django.urls import path

from . import views

urlpatterns = [
    path("p/<slug:programme_slug>/", views.programme_detail, name="programme_detail"),
    path("p/<slug:programme_slug>/cohort.csv", views.programme_csv, name="programme_csv"),
]
