"""What a notification says, in the reader's language (Vietnamese first; e-mails always
Vietnamese). Names of units, periods and products are data and stay as they are."""

from django.utils.translation import gettext as _

from .models import Kind, Notification


def _day(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def title(notification: Notification) -> str:
    n = notification
    report = n.report
    period = report.period.name if report else (n.period.name if n.period else "")
    unit = report.unit.name if report else (n.unit.name if n.unit else "")
    values = {
        "period": period,
        "unit": unit,
        "due": _day(n.due_on),
        "product": n.ocop_product.name if n.ocop_product else "",
    }
    texts = {
        Kind.RETURNED: _("Báo cáo %(period)s của %(unit)s bị Phòng Kinh tế trả lại"),
        Kind.REOPENED: _("Báo cáo %(period)s của %(unit)s được mở lại để sửa"),
        Kind.APPROVED: _("Báo cáo %(period)s của %(unit)s đã được duyệt"),
        Kind.DEADLINE_SOON: _("Báo cáo %(period)s của %(unit)s đến hạn nộp ngày %(due)s"),
        Kind.OVERDUE: _("Báo cáo %(period)s của %(unit)s đã quá hạn nộp (hạn %(due)s)"),
        Kind.AWAITING_REVIEW: _("%(unit)s đã gửi báo cáo %(period)s, chờ duyệt"),
        Kind.ESCALATION: _("%(period)s: đơn vị quá hạn nhiều ngày chưa nộp báo cáo (hạn %(due)s)"),
        Kind.OCOP_EXPIRING: _("Chứng nhận OCOP của %(product)s hết hạn ngày %(due)s"),
        Kind.OCOP_EXPIRED: _("Chứng nhận OCOP của %(product)s đã hết hạn ngày %(due)s"),
        Kind.FIGURE_DISCUSSED: _("Ý kiến về số liệu trong báo cáo %(period)s của %(unit)s"),
    }
    return texts[n.kind] % values


def detail(notification: Notification) -> str:
    n = notification
    if not n.detail:
        return ""
    if n.kind in (Kind.RETURNED, Kind.REOPENED):
        return _("Lý do: %(reason)s") % {"reason": n.detail}
    if n.kind == Kind.ESCALATION:
        return _("Đơn vị chưa nộp: %(units)s") % {"units": n.detail}
    return n.detail
