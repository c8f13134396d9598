from django.contrib import admin
from django.urls import include, path

from parcours.core import views as core_views
from parcours.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("bench/trivial", core_views.trivial, name="trivial"),
    path("language/", core_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("parcours.organisations.urls")),
    path("", include("parcours.diagnoses.urls")),
    path("", include("parcours.learning.urls")),
    path("", include("parcours.materiality.urls")),
    path("", include("parcours.actions.urls")),
    path("", include("parcours.evidence.urls")),
    path("", include("parcours.reports.urls")),
    path("", include("parcours.programmes.urls")),
    path("", include("parcours.vsme.urls")),
    path("", include("parcours.carbon.urls")),
    path("", include("parcours.profiles.urls")),
]
