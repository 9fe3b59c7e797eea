"""The one place errors become API answers, in one shape for every 4xx:

    {"code": "invalid", "message": "请求数据有误,请按字段修改", "fields": {"area": ["……"]}}

`code` is for programs (DRF's and the services' codes: invalid, not_found, not_authenticated,
token_revoked, conflict, key_reused, throttled …), `message` for people, in the request's language,
`fields` the errors of each field sent, empty when there are none. A service's ValidationError is a
400, one raised because someone else moved the object first (code "conflict") a 409.

The schema documents the shape on every operation (ErrorSchema); the router's own 404 (a path
that names nothing) and the 503 of a lost database answer in it too (gridgov.errors).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler

# Where DRF and Django put errors that belong to no one field.
UNFIELDED = ("detail", "non_field_errors", "__all__")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": message, "fields": fields or {}}


def _flat(value, codes, name: str, fields: dict, messages: list, message_codes: list) -> None:
    """Nested serializer errors (a list of photos, a nested object) as `name.0`, `name.sub`."""
    if isinstance(value, dict):
        for key, inner in value.items():
            inner_name = key if not name else f"{name}.{key}"
            if key in UNFIELDED and not name:
                inner_name = ""
            _flat(
                inner, codes.get(key) if isinstance(codes, dict) else codes, inner_name, fields, messages, message_codes
            )
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        for index, item in enumerate(value):
            item_codes = codes[index] if isinstance(codes, list) and index < len(codes) else codes
            _flat(item, item_codes, f"{name}.{index}" if name else str(index), fields, messages, message_codes)
    else:
        items = value if isinstance(value, list) else [value]
        item_codes = codes if isinstance(codes, list) else [codes] * len(items)
        if name:
            fields.setdefault(name, []).extend(str(item) for item in items)
        else:
            messages.extend(str(item) for item in items)
            message_codes.extend(item_codes)


def shape(exc: exceptions.APIException) -> dict:
    fields: dict[str, list[str]] = {}
    messages: list[str] = []
    message_codes: list = []
    _flat(exc.detail, exc.get_codes(), "", fields, messages, message_codes)
    code = next((c for c in message_codes if isinstance(c, str)), None) or exc.default_code
    if messages:
        message = "; ".join(messages)
    elif fields:
        message = _("请求数据有误,请按字段修改")
    else:
        message = str(exc.default_detail)
    return body(code, message, fields)


def handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", None) == "conflict":
            exc = Conflict({"detail": exc.messages})
        else:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            exc = exceptions.ValidationError(detail, code=getattr(exc, "code", None) or "invalid")
    response = exception_handler(exc, context)
    if response is not None:
        # DRF's handler has turned Django's Http404 and PermissionDenied into its own by now.
        converted = exc if isinstance(exc, exceptions.APIException) else _converted(exc)
        response.data = shape(converted)
    return response


def _converted(exc) -> exceptions.APIException:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):  # a service's refusal says why, in the caller's language
        return exceptions.PermissionDenied(exc.args[0] if exc.args else None)
    return exceptions.APIException()


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="错误代码,供程序判断:invalid、not_found、conflict、key_reused、throttled……")
    message = serializers.CharField(help_text="错误说明,按请求的语言(Accept-Language)")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="逐字段的错误(嵌套字段写作 photos.0),没有时为空对象",
    )

    class Meta:
        ref_name = "Error"


ERRORS = {
    "400": gettext_lazy("请求数据或查询参数有误"),
    "401": gettext_lazy("未登录,或令牌、接入密钥无效、已撤销、已过期"),
    "403": gettext_lazy("无权办理(可见但不是您的岗位能做的)"),
    "404": gettext_lazy("不存在,或不在您的范围内"),
    "405": gettext_lazy("不支持的请求方法"),
    "409": gettext_lazy("对象已被他人变更,请刷新后重试"),
    "415": gettext_lazy("不支持的请求体类型"),
    "422": gettext_lazy("幂等键已用于另一个请求"),
    "429": gettext_lazy("请求过于频繁,按 Retry-After 秒后重试"),
}


class ErrorSchema(AutoSchema):
    """Every operation documents the error answers it can give, each in the one shape above."""

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404", "405", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["409", "415"]
            if self._is_create_operation():
                codes.append("422")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = str(ERRORS[code])
        return responses
