from django.urls import path

from . import views

prefix = "o/<slug:org_slug>/actions/"
urlpatterns = [
    path(prefix, views.action_list, name="action_list"),
    path(prefix + "board/", views.action_board, name="action_board"),
    path(prefix + "timeline/", views.action_timeline, name="action_timeline"),
    path(prefix + "suggestions/", views.action_suggestions, name="action_suggestions"),
    path(prefix + "new/", views.action_new, name="action_new"),
    path(prefix + "adopt/<str:template_key>/", views.action_adopt, name="action_adopt"),
    path(prefix + "<int:action_id>/", views.action_detail, name="action_detail"),
    path(prefix + "<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path(prefix + "<int:action_id>/status/", views.action_status, name="action_status"),
    path(prefix + "<int:action_id>/reviews/", views.action_review, name="action_review"),
]
