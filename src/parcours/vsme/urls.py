from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/indicators/"
urlpatterns = [
    path(prefix, views.indicators_home, name="indicators_home"),
    path(prefix + "new/", views.indicator_year_new, name="indicator_year_new"),
    path(prefix + "import/", views.indicator_import, name="indicator_import"),
    path(prefix + "<int:year>/", views.indicator_year, name="indicator_year"),
    path(prefix + "<int:year>/settings/", views.indicator_year_settings, name="indicator_year_settings"),
    path(prefix + "<int:year>/vsme.<str:fmt>", views.indicator_export, name="indicator_export"),
    path(prefix + "<int:year>/<str:code>/", views.indicator_disclosure, name="indicator_disclosure"),
    path(
        prefix + "<int:year>/<str:code>/save/",
        views.indicator_disclosure_save,
        name="indicator_disclosure_save",
    ),
    path(
        prefix + "<int:year>/<str:code>/evidence/",
        views.indicator_evidence_add,
        name="indicator_evidence_add",
    ),
]
