from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/"
urlpatterns = [
    path(prefix + "reports/", views.report_list, name="report_list"),
    path(prefix + "reports/new/", views.report_request, name="report_request"),
    path(prefix + "reports/<int:job_id>/", views.report_detail, name="report_detail"),
    path(prefix + "reports/<int:job_id>/download/", views.report_download, name="report_download"),
    path(prefix + "indicators/<int:year>/customer-pack/", views.customer_pack, name="customer_pack"),
    path(prefix + "actions/export.xlsx", views.action_plan_xlsx, name="action_plan_xlsx"),
    path(
        prefix + "diagnoses/<int:diagnosis_id>/export.csv",
        views.diagnosis_export,
        {"fmt": "csv"},
        name="diagnosis_csv",
    ),
    path(
        prefix + "diagnoses/<int:diagnosis_id>/export.json",
        views.diagnosis_export,
        {"fmt": "json"},
        name="diagnosis_json",
    ),
]
