"""A checked upload kept in the session between the preview and the confirmation.

Nothing is saved before the confirmation, so what the file said waits in the session,
JSON-safe, under a token the preview's URL carries. Only the latest few are kept:
abandoned previews must not grow the session. A token only opens the upload for the
unit and period it was checked against.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest

from plans.models import AdministrativeUnit

from ..changes import ReportInput
from ..models import ReportingPeriod
from .upload import ParsedReport

SESSION_KEY = "excel_uploads"
KEPT_UPLOADS = 5


@dataclass(frozen=True)
class StoredUpload:
    file_name: str
    downloaded_version: int | None  # the report's version when the file was downloaded
    data: ReportInput


def remember(
    request: HttpRequest,
    *,
    unit: AdministrativeUnit,
    period: ReportingPeriod,
    file_name: str,
    parsed: ParsedReport,
) -> str:
    """Keep a checked upload until it is confirmed; the token returned names it."""
    token = secrets.token_urlsafe(16)
    uploads = request.session.get(SESSION_KEY, {})
    for old in list(uploads)[: max(0, len(uploads) - KEPT_UPLOADS + 1)]:
        del uploads[old]
    uploads[token] = {
        "unit": unit.pk,
        "period": period.pk,
        "file_name": file_name[:200],
        "downloaded_version": parsed.downloaded_version,
        "data": input_to_session(parsed.data),
    }
    request.session[SESSION_KEY] = uploads
    return token


def stored_upload(
    request: HttpRequest, token: str, *, unit: AdministrativeUnit, period: ReportingPeriod
) -> StoredUpload | None:
    """The upload the token names, if it was checked for this unit and period."""
    stored = request.session.get(SESSION_KEY, {}).get(token)
    if stored is None or (stored["unit"], stored["period"]) != (unit.pk, period.pk):
        return None
    return StoredUpload(
        file_name=stored["file_name"],
        downloaded_version=stored["downloaded_version"],
        data=input_from_session(stored["data"]),
    )


def forget(request: HttpRequest, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads


def input_to_session(data: ReportInput) -> dict[str, Any]:
    """JSON-safe: the session stores it between the preview and the confirmation."""
    return {
        "figures": [[pk, None if v is None else str(v)] for pk, v in data.figures.items()],
        "tasks": [[pk, status, narrative] for pk, (status, narrative) in data.tasks.items()],
        "works": [
            [pk, None if money is None else str(money), narrative]
            for pk, (money, narrative) in data.works.items()
        ],
        "difficulties": data.difficulties,
    }


def input_from_session(stored: dict[str, Any]) -> ReportInput:
    return ReportInput(
        figures={int(pk): None if v is None else Decimal(v) for pk, v in stored["figures"]},
        tasks={int(pk): (status, narrative) for pk, status, narrative in stored["tasks"]},
        works={
            int(pk): (None if money is None else Decimal(money), narrative)
            for pk, money, narrative in stored["works"]
        },
        difficulties=stored["difficulties"],
    )
