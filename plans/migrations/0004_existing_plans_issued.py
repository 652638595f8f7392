"""Plans that existed before plans had states were issued documents units report on:
they become issued, and the decision giving the year's targets is found among their bases."""

from django.db import migrations


def mark_issued(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    Citation = apps.get_model("plans", "Citation")
    db = schema_editor.connection.alias
    for plan in Plan.objects.using(db).filter(status="du_thao"):
        plan.status = "ban_hanh"
        decision = (
            Citation.objects.using(db)
            .filter(
                plan=plan,
                section__isnull=True,
                role="can_cu",
                document__kind="quyet_dinh",
                document__title__icontains="giao chỉ tiêu",
            )
            .order_by("position")
            .first()
        )
        if decision is not None and plan.targets_decision_id is None:
            plan.targets_decision_id = decision.document_id
        plan.save(update_fields=["status", "targets_decision"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_plan_states")]

    operations = [migrations.RunPython(mark_issued, migrations.RunPython.noop)]
