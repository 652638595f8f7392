from django.utils.functional import SimpleLazyObject

from accounts import access

from .selectors import unread_count


def bell(request):
    """The unread count on the navbar's bell, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not access.may_receive_notifications(user):
        return {"notifications_shown": False}
    return {
        "notifications_shown": True,
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
    }
