"""What helps a person handle cases: reply templates (常用语) an admin keeps, and each user's own
saved filters of the case list."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.models import TreeForeignKey

from cases.models.config import Category
from core.scoping import ScopedQuerySet
from grids.models import Area


class ReplyTemplate(models.Model):
    """常用语: a ready phrase for a step's note, for a category (and its children) or any, at a place
    (and below it) or everywhere. Configuration an admin keeps; offered on the case page."""

    title = models.CharField(_("标题"), max_length=40)
    text = models.TextField(_("内容"), max_length=1000)
    step = models.CharField(_("办理环节"), max_length=24, blank=True, help_text=_("留空为所有环节"))
    category = TreeForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("类别"),
        help_text=_("留空为所有类别;也适用于其下级类别"),
    )
    area = TreeForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用区域"),
        help_text=_("留空为全区通用;也适用于其下级区域"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("常用语")
        verbose_name_plural = _("常用语")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class SavedFilter(models.Model):
    """A user's named query string of the case list: their own, listed and deleted by them alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("用户")
    )
    name = models.CharField(_("名称"), max_length=40)
    query = models.CharField(_("筛选条件"), max_length=500)
    queue = models.SlugField(_("待办队列"), max_length=20, blank=True, help_text=_("空为全部案件"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("常用筛选")
        verbose_name_plural = _("常用筛选")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedfilter_one_name_per_user")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The list it was saved on, the whole list or a work queue, with its filter."""
        page = reverse("cases:queue", args=[self.queue]) if self.queue else reverse("cases:list")
        return f"{page}?{self.query}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        """A user's saved filters are their own, whatever their posts."""
        return Q(user=scope.user)
