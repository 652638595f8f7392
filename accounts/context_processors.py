from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from plans.selectors import latest_plan

from .models import Role, role_of


def role(request):
    return {
        # No user on a request refused before authentication (a bad Host header: 400 page).
        "user_role": role_of(getattr(request, "user", None) or AnonymousUser()),
        "Role": Role,
        "current_plan": SimpleLazyObject(latest_plan),
    }
