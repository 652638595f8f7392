"""The plan as a document, under /plans/<year>/ beside the plan it writes out."""

from django.urls import path

from . import plan_views

app_name = "plan_document"

urlpatterns = [
    path("ke-hoach.docx", plan_views.plan_docx, name="docx"),
]
