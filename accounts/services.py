"""Creating the people who use the plan."""

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import AdministrativeUnit

from . import access
from .models import Profile, Role
from .signals import password_reset_by_office

# Login names agreed with the city: one per unit, named after the unit without accents.
DEMO_UNIT_OFFICIALS = {
    "santhang": "san-thang",
    "sungphai": "sung-phai",
    "quyetthang": "quyet-thang",
    "dongphong": "dong-phong",
    "quyettien": "quyet-tien",
    "doanket": "doan-ket",
    "tanphong": "tan-phong",
}
# The two wards that succeeded the city's seven units on 1/7/2025 (fixtures/reform_2025).
DEMO_WARD_OFFICIALS = {
    "phuongdoanket": "phuong-doan-ket",
    "phuongtanphong": "phuong-tan-phong",
}


@transaction.atomic
def user_upsert(
    *,
    username: str,
    password: str = "",
    password_hash: str = "",
    role: str,
    unit: AdministrativeUnit | None = None,
    full_name: str = "",
    is_staff: bool = False,
) -> User:
    """Create the user or bring an existing one back to the given role, unit and password."""
    UserModel = get_user_model()
    user, _created = UserModel.objects.get_or_create(username=username)
    first, _sep, last = full_name.rpartition(" ")
    user.first_name, user.last_name = first, last
    user.is_staff = is_staff
    user.is_active = True
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
    if is_staff:
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["plans", "targets", "reports", "accounts"]
            )
        )
    return user


def demo_users_create(*, password: str) -> list[User]:
    """kinhte, lanhdao, the city's seven officials and, when the 2025 reform is loaded
    (`loaddata reform_2025`), the two wards' officials."""
    # One hash for all the accounts: hashing is deliberately slow.
    password_hash = make_password(password)
    slugs = [*DEMO_UNIT_OFFICIALS.values(), *DEMO_WARD_OFFICIALS.values()]
    units = AdministrativeUnit.objects.in_bulk(slugs, field_name="slug")
    missing = sorted(set(DEMO_UNIT_OFFICIALS.values()) - set(units))
    if missing:
        raise AdministrativeUnit.DoesNotExist(", ".join(missing))
    users = [
        user_upsert(
            username="kinhte",
            password_hash=password_hash,
            role=Role.ECONOMIC_OFFICE,
            full_name="Cán bộ Phòng Kinh tế",
            is_staff=True,
        ),
        user_upsert(
            username="lanhdao",
            password_hash=password_hash,
            role=Role.LEADERSHIP,
            full_name="Lãnh đạo UBND thành phố",
        ),
    ]
    wards = {name: slug for name, slug in DEMO_WARD_OFFICIALS.items() if slug in units}
    for username, slug in {**DEMO_UNIT_OFFICIALS, **wards}.items():
        unit = units[slug]
        users.append(
            user_upsert(
                username=username,
                password_hash=password_hash,
                role=Role.UNIT_OFFICIAL,
                unit=unit,
                full_name=f"Cán bộ {unit.get_kind_display()} {unit.name}",
            )
        )
    return users


@transaction.atomic
def official_create(
    *,
    actor: User,
    username: str,
    unit: AdministrativeUnit,
    password: str,
    full_name: str = "",
    email: str = "",
) -> User:
    """Phòng Kinh tế makes a commune or ward official's account; on record in the audit log
    (the profile's history). Refused for a unit no longer in force: the accounts of the
    units that ended stay as they are, to read their old reports."""
    if not access.may_manage_officials(actor):
        raise PermissionDenied
    if not unit.is_grassroots or not unit.is_valid_on(timezone.localdate()):
        raise PermissionDenied(
            _("%(unit)s không còn hiệu lực: không tạo tài khoản mới cho đơn vị này.")
            % {"unit": unit}
        )
    UserModel = get_user_model()
    first, _sep, last = full_name.strip().rpartition(" ")
    user = UserModel(username=username, first_name=first, last_name=last, email=email.strip())
    user.set_password(password)
    user.save()
    profile = Profile(user=user, role=Role.UNIT_OFFICIAL, unit=unit)
    profile._history_user = actor  # type: ignore[attr-defined]
    profile.save()
    return user


@transaction.atomic
def official_password_reset(*, actor: User, user: User, password: str) -> None:
    """Phòng Kinh tế gives a unit official a new password; recorded in the audit log.

    The official's open sessions end (their password hash changed), and a lockout from
    earlier failed attempts is lifted so the new password works at once.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=user.get_username())
    password_reset_by_office.send(sender=Profile, actor=actor, user=user)


@transaction.atomic
def account_email_set(*, actor: User, user: User, email: str) -> None:
    """Set the address notifications are e-mailed to (empty: no e-mail)."""
    if not access.may_set_email(actor, user):
        raise PermissionDenied
    user.email = email.strip()
    user.save(update_fields=["email"])
