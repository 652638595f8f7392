from django.utils.functional import SimpleLazyObject

from .models import Role, role_of


def role(request):
    from plans.selectors import latest_plan

    return {
        "user_role": role_of(request.user),
        "Role": Role,
        "current_plan": SimpleLazyObject(latest_plan),
    }
