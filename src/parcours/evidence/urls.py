from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/"
urlpatterns = [
    path(
        prefix + "diagnoses/<int:diagnosis_id>/answers/<str:question_key>/evidence/",
        views.answer_evidence_add,
        name="answer_evidence_add",
    ),
    path(prefix + "actions/<int:action_id>/evidence/", views.action_evidence_add, name="action_evidence_add"),
    path(prefix + "evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path(prefix + "evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
]
