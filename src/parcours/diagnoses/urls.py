from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/diagnoses/"
urlpatterns = [
    path(prefix, views.diagnosis_list, name="diagnosis_list"),
    path(prefix + "start/", views.diagnosis_start, name="diagnosis_start"),
    path(prefix + "<int:diagnosis_id>/", views.diagnosis_detail, name="diagnosis_detail"),
    path(prefix + "<int:diagnosis_id>/domains/<str:domain_key>/", views.domain_detail, name="domain_detail"),
    path(
        prefix + "<int:diagnosis_id>/domains/<str:domain_key>/relevance/",
        views.domain_relevance,
        name="domain_relevance",
    ),
    path(prefix + "<int:diagnosis_id>/interview/", views.interview_start, name="interview_start"),
    path(prefix + "<int:diagnosis_id>/interview/<str:domain_key>/", views.interview, name="interview"),
    path(prefix + "<int:diagnosis_id>/answers/<str:question_key>/", views.answer_save, name="answer_save"),
    path(prefix + "<int:diagnosis_id>/complete/", views.diagnosis_complete, name="diagnosis_complete"),
    path(prefix + "<int:diagnosis_id>/submit/", views.diagnosis_submit, name="diagnosis_submit"),
    path(prefix + "<int:diagnosis_id>/return/", views.diagnosis_return, name="diagnosis_return"),
    path(prefix + "<int:diagnosis_id>/validate/", views.diagnosis_validate, name="diagnosis_validate"),
    path(
        prefix + "<int:diagnosis_id>/domains/<str:domain_key>/comments/",
        views.review_comment,
        name="review_comment",
    ),
    path(prefix + "<int:diagnosis_id>/results/", views.diagnosis_results, name="diagnosis_results"),
    path(prefix + "<int:diagnosis_id>/progress/", views.diagnosis_progress, name="diagnosis_progress"),
]
