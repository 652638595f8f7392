"""The country's administrative units from a maintained source, not typed by hand.

Since 1 July 2025 Vietnam has 34 provinces and 3,321 communes, wards and special zones.
The General Statistics Office publishes them with their codes and the PyPI package
`vietnam-provinces` ships that list; this module is the one place that reads it
(`read_divisions`, into plain dataclasses, so nothing else depends on the package) and
writes it into `plans.AdministrativeUnit` (`load_divisions`).

Codes are reused across the reform: 03388 was phường Quyết Tiến until 30/06/2025 and is
phường Đoàn Kết from 01/07/2025. A code names a unit only together with its dates, so an
existing unit is matched by its code *and* its validity on the day the list takes effect,
inside the province it belongs to; the old units keep their rows, dates and plans.
Re-loading the same list saves nothing; a later release that renames or moves a unit
updates it, through django-simple-history like any other change.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import vietnam_provinces
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from vietnam_provinces import Province, VietNamDivisionType, Ward

from .models import AdministrativeUnit

Kind = AdministrativeUnit.Kind

REFORM_DAY = date(2025, 7, 1)
SOURCE = (
    f"Danh mục đơn vị hành chính của Tổng cục Thống kê, gói vietnam-provinces "
    f"{vietnam_provinces.__version__} (dữ liệu ngày {vietnam_provinces.__data_version__})"
)

# The package's division types, as this application's kinds, and the word each name begins
# with. A city under the central government is a province (kind tỉnh) whose name keeps its
# title, "Thành phố Hà Nội" (see AdministrativeUnit.__str__).
_KINDS: dict[VietNamDivisionType, tuple[str, str]] = {
    VietNamDivisionType.TINH: (Kind.PROVINCE, ""),
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: (Kind.PROVINCE, ""),
    VietNamDivisionType.XA: (Kind.COMMUNE, "Xã "),
    VietNamDivisionType.PHUONG: (Kind.WARD, "Phường "),
    VietNamDivisionType.DAC_KHU: (Kind.SPECIAL_ZONE, "Đặc khu "),
}
# The fields the source decides; dates are the application's (a matched unit keeps its own).
OWNED = ("name", "kind", "parent_id", "position")


@dataclass(frozen=True)
class Division:
    """One unit as the source lists it: GSO code, name without its kind, kind, a slug."""

    code: str
    name: str
    kind: str
    slug: str
    position: int


@dataclass(frozen=True)
class ProvinceDivisions:
    province: Division
    units: tuple[Division, ...]


@dataclass
class LoadResult:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    # The province first, then its units, for each province loaded: what a fixture holds.
    units: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged


def _division(
    name: str, division_type: VietNamDivisionType, code: str, slug: str, position: int
) -> Division:
    kind, word = _KINDS[division_type]
    return Division(
        code=code, name=name.removeprefix(word), kind=kind, slug=slug, position=position
    )


def read_divisions() -> list[ProvinceDivisions]:
    """The package's provinces, each with its communes, wards and special zones, in GSO code
    order. Slugs come from the package's code names (`lai_chau` → `lai-chau`); a name shared
    by several units of the country takes the unit's code as well (`xa-tan-thanh-12345`)."""
    provinces = sorted(Province.iter_all(), key=lambda p: int(p.code))
    wards = sorted(Ward.iter_all(), key=lambda w: int(w.code))
    names = Counter(w.codename for w in wards)
    by_province: dict[int, list[Ward]] = {}
    for ward in wards:
        by_province.setdefault(int(ward.province_code), []).append(ward)
    result = []
    for p_position, province in enumerate(provinces, start=1):
        units = []
        for position, ward in enumerate(by_province.get(int(province.code), []), start=1):
            code = f"{int(ward.code):05d}"
            slug = ward.codename.replace("_", "-")
            if names[ward.codename] > 1:
                slug = f"{slug}-{code}"
            units.append(_division(ward.name, ward.division_type, code, slug, position))
        result.append(
            ProvinceDivisions(
                province=_division(
                    province.name,
                    province.division_type,
                    f"{int(province.code):02d}",
                    province.codename.replace("_", "-"),
                    p_position,
                ),
                units=tuple(units),
            )
        )
    return result


def find_province(divisions: Sequence[ProvinceDivisions], key: str) -> ProvinceDivisions | None:
    """A province by its GSO code (`12`, `1`) or its slug (`lai-chau`)."""
    key = key.strip().lower()
    code = f"{int(key):02d}" if key.isdigit() else None
    for entry in divisions:
        if entry.province.code == code or entry.province.slug == key:
            return entry
    return None


def _one_valid(
    candidates: list[AdministrativeUnit], day: date, what: str
) -> AdministrativeUnit | None:
    valid = [u for u in candidates if u.is_valid_on(day)]
    if len(valid) > 1:
        slugs = ", ".join(u.slug for u in valid)
        raise ValueError(f"Nhiều đơn vị cùng mã {what} còn hiệu lực ngày {day:%d/%m/%Y}: {slugs}")
    return valid[0] if valid else None


class _Slugs:
    """Slugs are unique across the table: a new unit whose slug is taken by another one
    takes its code as well."""

    def __init__(self, wanted: list[tuple[str, str]]):
        asked = [s for slug, code in wanted for s in (slug, f"{slug}-{code}")]
        self.taken = set(
            AdministrativeUnit.objects.filter(slug__in=asked).values_list("slug", flat=True)
        )

    def free(self, slug: str, code: str) -> str:
        for candidate in (slug, f"{slug}-{code}"):
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        raise ValueError(f"Mã đường dẫn {slug} đã có đơn vị khác dùng.")


def _apply(unit: AdministrativeUnit, division: Division, parent: AdministrativeUnit | None) -> bool:
    """Sets what the source decides; True if anything changed."""
    wanted = {
        "name": division.name,
        "kind": division.kind,
        "parent_id": parent.pk if parent else None,
        "position": division.position,
    }
    wanted["path"] = f"{parent.path}/{unit.slug}" if parent else unit.slug
    changed = any(getattr(unit, f) != v for f, v in wanted.items())
    for f, v in wanted.items():
        setattr(unit, f, v)
    unit.parent = parent
    return changed


def _write(
    created: list[AdministrativeUnit],
    updated: list[AdministrativeUnit],
    reason: str,
    result: LoadResult,
) -> None:
    if created:
        bulk_create_with_history(
            created, AdministrativeUnit, batch_size=500, default_change_reason=reason
        )
    if updated:
        bulk_update_with_history(
            updated,
            AdministrativeUnit,
            ["name", "kind", "parent", "position", "path"],
            batch_size=500,
            default_change_reason=reason,
        )
    result.added += len(created)
    result.changed += len(updated)


@transaction.atomic
def load_divisions(
    *,
    divisions: Sequence[ProvinceDivisions],
    valid_from: date = REFORM_DAY,
    root: AdministrativeUnit | None = None,
    slug_prefix: str = "",
    change_reason: str = SOURCE,
) -> LoadResult:
    """Creates or updates the units of `divisions`, valid from `valid_from`.

    Provinces are placed under `root` (None: at the top, as `lai-chau` is); a unit already
    there with the same code and valid on `valid_from` is that unit, keeps its slug and
    dates and gets the source's name, kind, parent and position. New units get the slug of
    the division (after `slug_prefix`, for a synthetic country beside the real one).
    Written in bulk, each row with its history; a unit that does not change is not saved.
    A fixed number of queries whatever the number of units.
    """
    result = LoadResult()
    prefix = f"{slug_prefix}-" if slug_prefix else ""
    codes = [d.province.code for d in divisions]
    existing = AdministrativeUnit.objects.filter(kind=Kind.PROVINCE, parent=root, code__in=codes)
    by_code: dict[str, list[AdministrativeUnit]] = {}
    for unit in existing:
        by_code.setdefault(unit.code, []).append(unit)

    all_units = [u for d in divisions for u in d.units]
    slugs = _Slugs(
        [(prefix + d.slug, d.code) for d in [*(e.province for e in divisions), *all_units]]
    )

    created: list[AdministrativeUnit] = []
    updated: list[AdministrativeUnit] = []

    def place(
        division: Division, found: list[AdministrativeUnit], parent: AdministrativeUnit | None
    ) -> AdministrativeUnit:
        """The unit for `division`: the one found valid on `valid_from`, brought up to
        date, or a new one; counted as created, updated or unchanged."""
        unit = _one_valid(found, valid_from, division.code)
        if unit is None:
            unit = AdministrativeUnit(
                slug=slugs.free(prefix + division.slug, division.code),
                code=division.code,
                valid_from=valid_from,
            )
            _apply(unit, division, parent)
            created.append(unit)
        elif _apply(unit, division, parent):
            updated.append(unit)
        else:
            result.unchanged += 1
        return unit

    provinces = {
        entry.province.code: place(entry.province, by_code.get(entry.province.code, []), root)
        for entry in divisions
    }
    _write(created, updated, change_reason, result)

    # Communes, wards and special zones: matched inside the provinces just loaded (a unit
    # that moved between two of them is the same unit), never an old unit with the same code.
    province_slugs = {p.slug for p in provinces.values()}
    depth = root.path.count("/") + 1 if root else 0
    candidates: dict[str, list[AdministrativeUnit]] = {}
    same_codes = AdministrativeUnit.objects.filter(
        kind__in=AdministrativeUnit.GRASSROOTS, code__in=[u.code for u in all_units]
    )
    if root is not None:
        same_codes = same_codes.below(root)
    for unit in same_codes:
        segments = unit.path.split("/")
        if len(segments) > depth + 1 and segments[depth] in province_slugs:
            candidates.setdefault(unit.code, []).append(unit)
    created.clear()
    updated.clear()
    for entry in divisions:
        parent = provinces[entry.province.code]
        result.units.append(parent)
        for division in entry.units:
            result.units.append(place(division, candidates.get(division.code, []), parent))
    _write(created, updated, change_reason, result)
    return result
