"""The plan's .docx: whoever may read the plan may download it, whatever its state."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from accounts import access
from common.downloads import DOCX, file_response
from planning.selectors import plan_amendments
from plans.selectors import plan_document

from .plan_document import plan_docx as write_plan_docx
from .plan_document import plan_filename


@login_required
def plan_docx(request: HttpRequest, year: int) -> HttpResponse:
    plan = access.plan_for_user(request.user, year)
    data = write_plan_docx(plan_document(plan), plan_amendments(plan))
    return file_response(data, plan_filename(plan), DOCX)
