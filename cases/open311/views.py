"""The endpoints: each resolves the jurisdiction, reads through cases.open311.documents or reports
through cases.services, and answers in the format of its suffix."""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from cases import services as case_services
from cases.open311 import documents, places
from cases.open311.renderers import Open311JSONRenderer, Open311XMLRenderer
from core.idempotency import idempotent
from orgs.client_keys import authenticate_secret

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02T00:00:00+08:00"  # when this endpoint last changed what it answers


class ApiKeyAuthentication(BaseAuthentication):
    """The specification's `api_key` parameter (in the body of a POST, or the query of a GET): a
    client key, checked as in the Authorization header (orgs.client_keys); no key is anonymous."""

    def authenticate(self, request):
        secret = request.query_params.get("api_key") or (
            request.data.get("api_key") if request.method == "POST" else None
        )
        if not secret:
            return None
        key = authenticate_secret(secret)
        return key.account, key


def _errors(status_code: int, descriptions: list[str]) -> Response:
    return Response([{"code": status_code, "description": d} for d in descriptions], status=status_code)


def _descriptions(detail) -> list[str]:
    """One description per message, named by its parameter where it has one ("service_code: …")."""
    if isinstance(detail, dict):
        return [
            str(message) if name in ("__all__", "detail", "non_field_errors") else f"{name}: {message}"
            for name, messages in detail.items()
            for message in (messages if isinstance(messages, list) else [messages])
        ]
    if isinstance(detail, list):
        return [str(message) for message in detail]
    return [str(detail)]


def handle(exc, context):
    """Every refusal as the specification's error list: 400 for a missing or invalid parameter,
    403 for a bad api_key or a place the key may not report at, 404 for what names nothing."""
    if isinstance(exc, DjangoValidationError):
        return _errors(400, _descriptions(exc.message_dict if hasattr(exc, "error_dict") else exc.messages))
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated | DjangoPermissionDenied):
        return _errors(403, _descriptions(getattr(exc, "detail", None) or str(exc) or _("api_key 无效")))
    if isinstance(exc, Http404 | exceptions.NotFound):
        return _errors(404, [_("未找到")])
    response = exception_handler(exc, context)  # 405, 406, 415, 422, 429 …: DRF's status, our shape
    if response is None:
        return None
    answer = _errors(response.status_code, _descriptions(getattr(exc, "detail", str(exc))))
    if response.has_header("Retry-After"):
        answer["Retry-After"] = response["Retry-After"]
    return answer


class Open311View(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = []  # reads are public in Open311; a POST asks for its key itself
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    schema = None  # not part of /api/v1/'s OpenAPI document: the specification is its contract
    xml_root = xml_item = ""

    def get_exception_handler(self):
        return handle

    def finalize_response(self, request, response, *args, **kwargs):
        """Never kept by a browser or proxy: a key's answers hold what the public's do not, and this
        view's user is the key's, so the site's rule for signed-in users would not see a session."""
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def jurisdiction(self, request, *, required: bool = True):
        """The district whose code is `jurisdiction_id`; without one, the caller's key's district,
        or the only district there is. Not `required` where what is asked names its own district
        (a request's number, a token) or none (the services): then None reads every district."""
        code = request.query_params.get("jurisdiction_id") or request.data.get("jurisdiction_id")
        districts = documents.jurisdictions()
        if code:
            district = districts.filter(code=code).first()
            if district is None:
                raise Http404
            return district
        key = request.auth
        if key is not None and key.district_id:
            return key.district
        if not required:
            return None
        only = list(districts[:2])
        if len(only) != 1:
            raise DjangoValidationError({"jurisdiction_id": [_("请提供区县代码")]})
        return only[0]


class Discovery(Open311View):
    xml_root = "discovery"

    def get(self, request, format=None):
        url = request.build_absolute_uri(reverse("open311:discovery").rsplit("/", 1)[0])
        return Response(
            {
                "changeset": CHANGESET,
                "contact": _("区网格化服务管理指挥中心"),
                "key_service": _("接入密钥由区指挥中心或系统管理员在“接入密钥”页面签发"),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": url,
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            }
        )


class Services(Open311View):
    xml_root, xml_item = "services", "service"

    def get(self, request, format=None):
        self.jurisdiction(request, required=False)
        return Response(documents.services())


class ServiceDefinition(Open311View):
    xml_root = "service_definition"

    def get(self, request, code: str, format=None):
        self.jurisdiction(request, required=False)
        if documents.service(code) is None:
            raise Http404
        return Response({"service_code": code, "attributes": []})


def _moment(name: str, raw: str) -> datetime.datetime:
    value = parse_datetime(raw.replace(" ", "+")) if "T" in raw else None  # a '+' in a query is a space
    if value is None and (day := parse_date(raw)) is not None:
        value = datetime.datetime.combine(day, datetime.time())
    if value is None:
        raise DjangoValidationError({name: [_("须为 W3C 格式的时间,如 2026-01-01T00:00:00+08:00")]})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _window(params) -> tuple[datetime.datetime, datetime.datetime]:
    start = _moment("start_date", params["start_date"]) if params.get("start_date") else None
    end = _moment("end_date", params["end_date"]) if params.get("end_date") else None
    if start is None and end is None:
        end = timezone.now()
    start = start or end - documents.WINDOW
    end = end or start + documents.WINDOW
    if end < start or end - start > documents.WINDOW:
        raise DjangoValidationError({"end_date": [_("查询时段须在90天以内,且结束不早于开始")]})
    return start, end


def _page(params) -> int:
    raw = params.get("page", "1")
    if not raw.isdecimal() or int(raw) < 1:
        raise DjangoValidationError({"page": [_("页码须为正整数")]})
    return int(raw)


class Requests(Open311View):
    """GET: the jurisdiction's requests, newest first, by `service_request_id` (a comma list, which
    overrides the other filters, as the specification says) or by `service_code`, `status` and a
    window of at most 90 days (the last 90 by default); pages of 1000 (`page`, from 1), with a
    Link header to the next. POST: a resident's report through the app holding `api_key`."""

    xml_root, xml_item = "service_requests", "request"

    def get(self, request, format=None):
        reader = documents.Reader(self.jurisdiction(request), request.auth)
        params = request.query_params
        cases = reader.cases()
        if ids := [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]:
            cases = cases.filter(number__in=ids)
        else:
            start, end = _window(params)
            cases = cases.filter(created_at__gte=start, created_at__lte=end)
            if codes := [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]:
                cases = cases.filter(category__code__in=codes)
            if wanted := [s.strip() for s in params.get("status", "").split(",") if s.strip()]:
                if not set(wanted) <= set(documents.STATUSES):
                    raise DjangoValidationError({"status": [_("状态须为 open 或 closed")]})
                cases = cases.filter(status__in=sorted(set().union(*(documents.STATUSES[s] for s in wanted))))
        page = _page(params)
        size = documents.PAGE_SIZE
        rows = list(cases.order_by("-created_at", "-id")[(page - 1) * size : page * size + 1])
        response = Response([documents.request_document(c, full=reader.full) for c in rows[:size]])
        if len(rows) > size:
            query = params.copy()
            query["page"] = str(page + 1)
            response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        return response

    @idempotent  # an app that is not sure its POST arrived may send it again with its Idempotency-Key
    def post(self, request, format=None):
        key = request.auth
        if key is None:
            raise DjangoValidationError({"api_key": [_("发起上报须提供 api_key")]})
        if key.district_id is None:  # a department's key places nothing: it has cases, not places
            raise DjangoPermissionDenied(_("该接入密钥只能在本区县范围内上报"))
        district = self.jurisdiction(request)
        if key.district_id != district.pk:
            raise DjangoPermissionDenied(_("该接入密钥只能在本区县范围内上报"))
        data = request.data
        category = documents.service(data.get("service_code", ""))
        if category is None:
            raise DjangoValidationError({"service_code": [_("请选择列出的问题类别")]})
        area, note = places.place_of(key, data)
        case = case_services.report_by_resident(
            app=key,
            area=area,
            category=category,
            description=data.get("description", ""),
            phone=data.get("phone", ""),
            location_note=note,
        )
        notice = _("已受理登记,查询码%(code)s;%(due)s前响应") % {
            "code": case.tracking_code,
            "due": timezone.localtime(case.response_due).strftime("%Y-%m-%d %H:%M"),
        }
        # 200, not 201: the specification's examples answer a create with the list and nothing else.
        return Response([{"service_request_id": case.number, "service_notice": notice, "account_id": None}])


class RequestDetail(Open311View):
    xml_root, xml_item = "service_requests", "request"

    def get(self, request, number: str, format=None):
        reader = documents.Reader(self.jurisdiction(request, required=False), request.auth)
        case = reader.cases().filter(number=number).first()
        if case is None:
            raise Http404
        return Response([documents.request_document(case, full=reader.full)])


class Token(Open311View):
    """A token is the case's tracking code (查询码), given in the POST's service_notice."""

    xml_root, xml_item = "service_requests", "request"

    def get(self, request, token: str, format=None):
        reader = documents.Reader(self.jurisdiction(request, required=False), request.auth)
        case = reader.cases().filter(tracking_code=token.strip().upper()).first()
        if case is None:
            raise Http404
        return Response([{"service_request_id": case.number, "token": token}])
