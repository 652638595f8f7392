from django.core.management.base import BaseCommand, CommandError

from accounts.services import demo_users_create
from plans.models import AdministrativeUnit


class Command(BaseCommand):
    help = "Tạo (hoặc cập nhật) tài khoản mẫu: kinhte, lanhdao và một cán bộ cho mỗi xã, phường."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", required=True, help="Mật khẩu chung cho các tài khoản mẫu"
        )

    def handle(self, *args, password, **options):
        try:
            users = demo_users_create(password=password)
        except AdministrativeUnit.DoesNotExist as exc:
            raise CommandError(
                f"Chưa có đơn vị hành chính: {exc}. Hãy chạy 'manage.py loaddata plan_2023' trước."
            ) from exc
        for user in users:
            self.stdout.write(f"{user.username}: {user.profile}")
        self.stdout.write(self.style.SUCCESS(f"Đã tạo hoặc cập nhật {len(users)} tài khoản."))
