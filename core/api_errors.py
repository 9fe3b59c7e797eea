"""The one place domain errors become API errors: a service's ValidationError is a 400, one
raised because someone else moved the object first (code "conflict") a 409."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", None) == "conflict":
            exc = Conflict({"detail": exc.messages})
        else:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            exc = exceptions.ValidationError(detail)
    return exception_handler(exc, context)
