from .models import Role, role_of


def role(request):
    user_role = role_of(request.user)
    return {"user_role": user_role, "Role": Role}
