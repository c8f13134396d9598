from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/"
urlpatterns = [
    path(prefix + "stakeholders/", views.stakeholder_list, name="stakeholder_list"),
    path(prefix + "stakeholders/new/", views.stakeholder_edit, name="stakeholder_new"),
    path(prefix + "stakeholders/<int:stakeholder_id>/", views.stakeholder_edit, name="stakeholder_edit"),
    path(
        prefix + "stakeholders/<int:stakeholder_id>/delete/",
        views.stakeholder_delete,
        name="stakeholder_delete",
    ),
    path(prefix + "materiality/", views.materiality, name="materiality"),
    path(
        prefix + "materiality/apply-survey/", views.materiality_apply_survey, name="materiality_apply_survey"
    ),
    path(prefix + "materiality/<str:domain_key>/", views.materiality_save, name="materiality_save"),
    path(prefix + "surveys/", views.survey_list, name="survey_list"),
    path(prefix + "surveys/new/", views.survey_new, name="survey_new"),
    path(prefix + "surveys/<int:survey_id>/", views.survey_detail, name="survey_detail"),
    path("s/<str:token>/", views.survey_public, name="survey_public"),
]
