"""What the deployment records about its own backups, so that /health/ and the audit page
can say when the last good backup was made and when one was last proved to restore.

A record is written by ``backup_db``, ``backup_db --verify`` and ``restore_db`` after they
finish; it lives in the database it describes, written after the copy was taken, so a
backup never contains the record of itself. After a restore the database holds the
records it had when it was backed up, plus one for the restore.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupRecord(models.Model):
    class Kind(models.TextChoices):
        BACKUP = "sao_luu", _("Sao lưu")
        VERIFY = "kiem_tra", _("Kiểm tra bản sao lưu")
        RESTORE = "khoi_phuc", _("Khôi phục")

    kind = models.CharField(_("việc"), max_length=12, choices=Kind.choices)
    finished_at = models.DateTimeField(_("xong lúc"), db_index=True)
    ok = models.BooleanField(_("đạt"))
    file_name = models.CharField(_("tệp"), max_length=500)
    size_bytes = models.BigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    rows = models.BigIntegerField(_("số dòng"), null=True, blank=True)
    engine = models.CharField(_("cơ sở dữ liệu"), max_length=20, blank=True)
    backup_created = models.CharField(_("bản sao lưu tạo lúc"), max_length=40, blank=True)
    seconds = models.FloatField(_("thời gian (giây)"), null=True, blank=True)

    class Meta:
        ordering = ["-finished_at"]
        verbose_name = _("lần sao lưu")
        verbose_name_plural = _("các lần sao lưu")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} {self.finished_at:%d/%m/%Y %H:%M}"
