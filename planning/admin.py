"""The admin stays for corrections, but its saves of plan data go through planning.services.

The plans and reporting apps register their admin pages; this module, loaded after them,
registers each plan-data page again with `ThroughPlanServices` in front, so that a save or
a delete made in the admin is checked, recorded (who, when, old → new) and refused in the
same way as on the plan pages. On an issued plan an admin save is a correction
("đính chính") on record; a closed plan is read-only here too; a plan's state moves only
through its own steps (issue, amend, close), never by editing the field.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest
from import_export.widgets import ManyToManyWidget

from plans.admin import (
    BodyAdmin,
    CitationAdmin,
    InfrastructureWorkAdmin,
    PlanAdmin,
    SectionAdmin,
    SupportPolicyAdmin,
    TaskAdmin,
)
from plans.models import Body, Citation, InfrastructureWork, Plan, Section, SupportPolicy, Task
from reporting.admin import IndicatorAdmin, ReportingPeriodAdmin, SeasonalProfileAdmin, TargetAdmin
from reporting.models import Indicator, ReportingPeriod, SeasonalProfile, Target

from . import services
from .models import Amendment, PlanChange, PlanEvent


def plan_for_record(obj: models.Model) -> Plan | None:
    """The plan a record's change is recorded in: its own, or for an indicator and its
    seasonal profile (shared by every year) the latest plan that sets a target for it."""
    if isinstance(obj, Plan):
        return obj if obj.pk else None
    plan = getattr(obj, "plan", None)
    if isinstance(plan, Plan):
        return plan
    indicator_id = obj.pk if isinstance(obj, Indicator) else getattr(obj, "indicator_id", None)
    if indicator_id is None:
        return None
    return Plan.objects.filter(targets__indicator_id=indicator_id).order_by("-year").first()


class ThroughPlanServices:
    """Admin saves and deletes of plan data, through the plan's services."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if getattr(self, "model", None) is Plan:
            fields += ["status", "previous"]
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            plan = plan_for_record(obj)
            if plan is not None and plan.is_closed:
                return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            plan = plan_for_record(obj)
            if plan is not None and not plan.is_draft:
                return False  # an issued plan keeps what it was issued with
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        """Saved with its many-to-many fields in save_related, through the services."""

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[BaseFormSet], change: bool
    ) -> None:
        obj = form.instance
        m2m = {
            field.name: list(form.cleaned_data[field.name])
            for field in obj._meta.many_to_many
            if field.name in form.cleaned_data
        }
        self._through(request, obj, m2m=m2m)
        for formset in formsets:
            instances = formset.save(commit=False)  # type: ignore[attr-defined]
            for deleted in formset.deleted_objects:  # type: ignore[attr-defined]
                self._delete(request, deleted)
            for instance in instances:
                self._through(request, instance)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._delete(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for obj in queryset:
            self._delete(request, obj)

    def _through(self, request: HttpRequest, obj: models.Model, m2m: dict | None = None) -> None:
        plan = plan_for_record(obj)
        if plan is None:
            if isinstance(obj, Plan):  # a new plan, drafted by hand
                services.plan_create(actor=request.user, plan=obj)  # type: ignore[arg-type]
                return
            obj.save()
            return
        try:
            services.plan_save(
                actor=request.user,  # type: ignore[arg-type]
                instance=obj,
                plan=plan,
                m2m=m2m,
                correction=True,
            )
        except services.PlanError as refused:
            messages.error(request, str(refused))
            raise PermissionDenied(str(refused)) from refused

    def _delete(self, request: HttpRequest, obj: models.Model) -> None:
        plan = plan_for_record(obj)
        if plan is None:
            obj.delete()
            return
        try:
            services.plan_delete(actor=request.user, instance=obj, plan=plan)  # type: ignore[arg-type]
        except services.PlanError as refused:
            raise PermissionDenied(str(refused)) from refused


class RecordedImport:
    """The admin's Excel import of plan data, row by row through plan_save (the dry run
    too, rolled back with it): each imported change is on the plan's record."""

    def save_instance(self, instance: Any, is_create: bool, row: Any, **kwargs: Any) -> None:
        self.before_save_instance(instance, row, **kwargs)  # type: ignore[attr-defined]
        user = kwargs.get("user")
        plan = plan_for_record(instance)
        if plan is None or user is None:
            instance.save()
        else:
            m2m = {
                field.attribute: list(field.clean(row, **kwargs) or [])
                for field in self.get_import_fields()  # type: ignore[attr-defined]
                if isinstance(field.widget, ManyToManyWidget) and field.attribute
            }
            try:
                services.plan_save(
                    actor=user, instance=instance, plan=plan, m2m=m2m, correction=True
                )
            except services.PlanError as refused:
                raise ValueError(str(refused)) from refused
        self.after_save_instance(instance, row, **kwargs)  # type: ignore[attr-defined]

    def save_m2m(self, instance: Any, row: Any, **kwargs: Any) -> None:
        """Saved with the row, through plan_save."""


WRAPPED: list[tuple[type[models.Model], type[admin.ModelAdmin]]] = [
    (Plan, PlanAdmin),
    (Section, SectionAdmin),
    (Citation, CitationAdmin),
    (Body, BodyAdmin),
    (Task, TaskAdmin),
    (SupportPolicy, SupportPolicyAdmin),
    (InfrastructureWork, InfrastructureWorkAdmin),
    (Indicator, IndicatorAdmin),
    (Target, TargetAdmin),
    (SeasonalProfile, SeasonalProfileAdmin),
    (ReportingPeriod, ReportingPeriodAdmin),
]

for model, model_admin in WRAPPED:
    attributes: dict[str, Any] = {}
    if getattr(model_admin, "resource_classes", None):
        attributes["resource_classes"] = [
            type(resource.__name__, (RecordedImport, resource), {})
            for resource in model_admin.resource_classes  # type: ignore[attr-defined]
        ]
    admin.site.unregister(model)
    admin.site.register(
        model, type(model_admin.__name__, (ThroughPlanServices, model_admin), attributes)
    )


class ReadOnly(admin.ModelAdmin):
    """The plan's own record: readable, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlanEvent)
class PlanEventAdmin(ReadOnly):
    list_display = ["plan", "action", "actor", "at", "note"]
    list_filter = ["plan", "action"]
    list_select_related = ["plan", "actor"]
    date_hierarchy = "at"


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnly):
    list_display = ["plan", "subject", "field_label", "old_value", "new_value", "event"]
    list_filter = ["plan", "model"]
    search_fields = ["subject", "old_value", "new_value"]
    list_select_related = ["plan", "event__actor"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnly):
    list_display = ["plan", "decision_number", "decided_on", "reason"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
