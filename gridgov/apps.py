from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridgovConfig(AppConfig):
    name = "gridgov"
    verbose_name = _("平台")

    def ready(self):
        from appraisal.measures import register
        from hall.measures import request_link, services_handled

        # 便民服务 in the yearly evaluation: the hall and the evaluation sit on one floor, apart.
        register("services", _("便民服务"), link=request_link)(services_handled)
