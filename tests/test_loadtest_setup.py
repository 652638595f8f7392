"""bin/loadtest logs its officials in on a real province's units: the accounts its setup
script makes are checked against the vietnam-provinces list, and an invented country fails
that check (the run then stops before locust starts)."""

import json

import pytest
from django.core.management import call_command

from accounts.models import Profile, Role
from benchmarks import load
from plans.admin_units import find_province, read_divisions

pytestmark = pytest.mark.django_db


def run_setup(capsys, officials):
    capsys.readouterr()
    exec(load.SETUP.format(password="tai-thu-2025", officials=officials), {})
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_the_load_tests_officials_are_on_the_real_units_of_the_province(capsys):
    call_command(
        "generate_synthetic", province="12", indicators=2, fill=0, no_totals=True, stdout=None
    )
    lai_chau = find_province(read_divisions(), "12")
    setup = run_setup(capsys, officials=5)
    assert setup["province"] == "Lai Châu"
    assert setup["units"] == setup["real_units"] == len(lai_chau.units) == 38
    assert setup["officials_on_real_units"] == 5
    profiles = Profile.objects.filter(
        role=Role.UNIT_OFFICIAL, user__username__startswith="tai-"
    ).select_related("unit")
    real = {(d.code, d.name) for d in lai_chau.units}
    assert len(profiles) == 5
    assert all((p.unit.code, p.unit.name) in real for p in profiles)
    assert sorted(slug for _name, slug in setup["officials"]) == sorted(
        p.unit.slug for p in profiles
    )


def test_officials_on_invented_communes_are_not_counted_as_on_real_units(capsys):
    call_command(
        "generate_synthetic",
        provinces=1,
        units_per_province=4,
        indicators=2,
        fill=0,
        no_totals=True,
        stdout=None,
    )
    setup = run_setup(capsys, officials=3)
    assert len(setup["officials"]) == 3
    assert setup["officials_on_real_units"] == 0
