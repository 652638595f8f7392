from django.core.management.base import BaseCommand
from simple_history import models as history_models
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model


class Command(BaseCommand):
    help = (
        "Ghi bản gốc vào lịch sử cho mọi bản ghi chưa có lịch sử (sau loaddata), "
        "để lần sửa đầu tiên còn giữ được giá trị cũ."
    )

    def handle(self, *args, **options):
        created = 0
        for model in history_models.registered_models.values():
            try:
                history = get_history_manager_for_model(model)
            except NotHistoricalModelError:  # many-to-many tables tracked through their owner
                continue
            with_history = history.values_list(model._meta.pk.attname, flat=True)
            missing = list(model._default_manager.exclude(pk__in=with_history))
            if missing:
                history.bulk_history_create(
                    missing, default_change_reason="Bản gốc khi nạp dữ liệu"
                )
                created += len(missing)
        self.stdout.write(f"Đã ghi {created} bản gốc vào lịch sử.")
