from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import role_of
from accounts.services import account_email_set

from . import selectors, texts
from .forms import KINDS_FOR_ROLE, PreferenceForm
from .models import EmailDelivery, Notification, Preference
from .services import wanted_kinds

PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    access.require(access.may_receive_notifications(request.user))
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [
        {"notification": n, "title": texts.title(n), "detail": texts.detail(n)}
        for n in page.object_list
    ]
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to the page it is about."""
    notification = access.notification_for_user(request.user, Notification.objects, pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications:inbox")
    return redirect(notification.url)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    access.require(access.may_receive_notifications(request.user))
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """A person's own e-mail address and what they want by e-mail."""
    user = request.user
    access.require(access.may_receive_notifications(user))
    role = role_of(user)
    offered = {kind.value for kind in KINDS_FOR_ROLE.get(role, [])}
    initial = {"email": user.email, "email_kinds": sorted(wanted_kinds(user) & offered)}
    form = PreferenceForm(
        request.POST if request.method == "POST" else None, initial=initial, role=role
    )
    if request.method == "POST" and form.is_valid():
        account_email_set(actor=user, user=user, email=form.cleaned_data["email"])
        kept = wanted_kinds(user) - offered  # kinds this role is not offered stay as they were
        Preference.objects.update_or_create(
            user=user,
            defaults={"email_kinds": sorted(kept | set(form.cleaned_data["email_kinds"]))},
        )
        messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
        return redirect("notifications:preferences")
    status = 400 if request.method == "POST" else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@login_required
def sent_log(request: HttpRequest) -> HttpResponse:
    """Phòng Kinh tế sees what was e-mailed to whom and when, and what failed."""
    access.require(access.may_read_sent_emails(request.user))
    deliveries = selectors.sent_log()
    status = request.GET.get("trang_thai", "")
    if status in EmailDelivery.Status.values:
        deliveries = deliveries.filter(status=status)
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "notifications/sent_log.html",
        {"page": page, "status": status, "statuses": EmailDelivery.Status.choices},
    )
