"""事件推送 pages, declared with core.backoffice: a subscription's list, create, edit, switch off
and on, new secret, replay; its page with its latest deliveries; a delivery's page with its tries.

Who: whoever keeps an owner's subscriptions (MANAGE_WEBHOOKS): a district's command-centre staff
(区指挥中心, a post at the district) for the district's systems, a department's officers for the
department's own. Street and community staff run no systems of their own; sunk staff work in the
grids, not on their department's systems. Everybody else gets a 404.

A new secret is shown once, on the page the form leads to: it waits in the cache for that user and
that subscription only, ten minutes at most, and the page takes it out as it shows it."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import WebhookKind, managed_owners
from cases.models.webhook import DISTRICT_KINDS
from cases.webhooks import selectors, services
from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from core.forms import BootstrapFormMixin, DateInput
from grids.forms import ConfirmForm
from grids.models import Area
from orgs.models import Department

SECRET_SHOWN_FOR = 600


class _KindsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def __init__(self, **kwargs):
        super().__init__(choices=WebhookKind.choices, label=_("订阅事件"), **kwargs)


class SubscriptionForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80, help_text=_("如:城管局业务系统"))
    url = forms.URLField(label=_("接收地址"), max_length=500, assume_scheme="https")
    kinds = _KindsField(initial=WebhookKind.values)


class NewSubscriptionForm(SubscriptionForm):
    owner = forms.ChoiceField(label=_("所属"), help_text=_("只推送其范围内的案件"))
    field_order = ["owner", "name", "url", "kinds"]

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners


class ReplayForm(BootstrapFormMixin, forms.Form):
    since = forms.DateField(
        label=_("重发自"), widget=DateInput, initial=timezone.localdate, help_text=_("该日起记录的推送全部重发")
    )


def _keeper(scope) -> bool:
    return scope.may(Capability.MANAGE_WEBHOOKS)


def _owners(scope) -> dict:
    """The owners the user keeps subscriptions for, as the form's choices."""
    if scope.unrestricted:
        districts = Area.objects.within(scope).filter(kind__in=DISTRICT_KINDS)
        departments = Department.objects.within(scope).all()
    else:
        district_ids, department_ids = managed_owners(scope)
        districts = Area.objects.unscoped("the places of the user's own posts").filter(pk__in=district_ids)
        departments = Department.objects.unscoped("the user's own posts' departments").filter(pk__in=department_ids)
    return {
        "owners": [(f"district:{a.pk}", a.name) for a in districts.order_by("code")]
        + [(f"department:{d.pk}", d.name) for d in departments.order_by("name")]
    }


def _remember_secret(actor, subscription, secret: str) -> None:
    cache.set(f"webhooks:new-secret:{actor.pk}:{subscription.pk}", secret, SECRET_SHOWN_FOR)


def _create(*, actor, obj, data):
    kind, pk = data["owner"].split(":")
    owner = (Area if kind == "district" else Department).objects.unscoped("the owner the form offered").get(pk=pk)
    subscription, secret = services.create_subscription(
        actor=actor, name=data["name"], url=data["url"], kinds=data["kinds"], **{kind: owner}
    )
    _remember_secret(actor, subscription, secret)
    return subscription


def _rotate(*, actor, obj, data):
    subscription, secret = services.rotate_secret(actor=actor, subscription=obj)
    _remember_secret(actor, subscription, secret)
    return subscription


def _replay(*, actor, obj, data):
    since = datetime.datetime.combine(data["since"], datetime.time.min, tzinfo=timezone.get_current_timezone())
    services.replay_since(actor=actor, subscription=obj, since=since)
    return obj


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _status(subscription) -> str:
    if not subscription.active:
        return _("已停用")
    if subscription.paused_at:
        return _("连续失败已暂停")
    return _("推送中")


FIELDS = [
    Column(_("所属"), lambda s: s.owner),
    Column(_("接收地址"), lambda s: s.url),
    Column(_("订阅事件"), lambda s: "、".join(str(WebhookKind(k).label) for k in s.kinds)),
    Column(_("状态"), _status),
    Column(_("连续失败次数"), lambda s: s.failures),
    Column(_("创建时间"), lambda s: _local(s.created_at)),
]

SUBSCRIPTIONS = ObjectPages(
    namespace="cases",
    name="webhook",
    prefix="webhooks",
    title=_("事件推送"),
    rows=lambda scope: selectors.subscriptions(scope),
    get=selectors.get_subscription,
    detail_route="cases:webhook",
    list_requires=_keeper,
    columns=[
        Column(_("名称"), lambda s: s.name, link=True),
        Column(_("所属"), lambda s: s.owner),
        Column(_("接收地址"), lambda s: s.url),
        Column(_("状态"), _status),
    ],
    create=Action(
        "new",
        _("新增订阅"),
        NewSubscriptionForm,
        perform=_create,
        allowed=lambda scope, obj: _keeper(scope),
        form_kwargs=lambda scope, obj: _owners(scope),
        done=_("订阅已建立,请保存下方的签名密钥"),
    ),
    actions=[
        Action(
            "edit",
            _("修改"),
            SubscriptionForm,
            perform=lambda *, actor, obj, data: services.update_subscription(actor=actor, subscription=obj, **data),
            allowed=lambda scope, obj: True,
            initial=lambda s: {"name": s.name, "url": s.url, "kinds": s.kinds},
        ),
        Action(
            "disable",
            _("停用"),
            ConfirmForm,
            perform=lambda *, actor, obj, data: services.disable_subscription(actor=actor, subscription=obj),
            allowed=lambda scope, obj: obj.active,
            done=_("订阅已停用"),
        ),
        Action(
            "enable",
            _("重新启用"),
            ConfirmForm,
            perform=lambda *, actor, obj, data: services.enable_subscription(actor=actor, subscription=obj),
            allowed=lambda scope, obj: not obj.sending,
            done=_("订阅已启用,积压的推送正在发送"),
        ),
        Action("replay", _("重发"), ReplayForm, perform=_replay, allowed=lambda scope, obj: obj.sending,
               done=_("已安排重发")),
        Action("secret", _("更换密钥"), ConfirmForm, perform=_rotate, allowed=lambda scope, obj: True,
               done=_("密钥已更换,请保存下方的新密钥")),
    ],
)  # fmt: skip


@login_required
def subscription_detail(request, pk: int):
    scope = request.scope
    subscription = selectors.get_subscription(scope, pk)
    key = f"webhooks:new-secret:{request.user.pk}:{subscription.pk}"
    secret = cache.get(key)
    if secret:
        cache.delete(key)
    return render(
        request,
        "cases/webhook_detail.html",
        {
            "pages": SUBSCRIPTIONS,
            "obj": subscription,
            "fields": [(c.label, c.value(subscription)) for c in FIELDS],
            "links": SUBSCRIPTIONS.links(scope, subscription),
            "secret": secret,
            "deliveries": selectors.recent_deliveries(subscription),
        },
    )


DELIVERIES = ObjectPages(
    namespace="cases",
    name="webhook_delivery",
    prefix="webhook-deliveries",
    title=_("推送记录"),
    rows=lambda scope: selectors.deliveries(scope),
    get=selectors.get_delivery,
    detail_route="cases:webhook_delivery",
    list_requires=_keeper,
    columns=[
        Column(_("记录时间"), lambda d: _local(d.created_at), link=True),
        Column(_("订阅"), lambda d: d.subscription.name),
        Column(_("事件"), lambda d: d.get_kind_display()),
        Column(_("案件编号"), lambda d: d.event.case.number),
        Column(_("尝试次数"), lambda d: d.attempts),
        Column(_("送达时间"), lambda d: _local(d.delivered_at)),
    ],
    actions=[
        Action(
            "replay",
            _("重发"),
            ConfirmForm,
            perform=lambda *, actor, obj, data: services.replay_delivery(actor=actor, delivery=obj),
            allowed=lambda scope, obj: obj.subscription.sending,
            done=_("已安排重发"),
        ),
    ],
)


@login_required
def delivery_detail(request, pk: int):
    scope = request.scope
    delivery = selectors.get_delivery(scope, pk)
    return render(
        request,
        "cases/webhook_delivery_detail.html",
        {
            "pages": DELIVERIES,
            "obj": delivery,
            "links": DELIVERIES.links(scope, delivery),
            "subscription_url": SUBSCRIPTIONS.detail_url(delivery.subscription),
            "attempts": selectors.attempts(delivery),
        },
    )
