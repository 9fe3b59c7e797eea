from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("组织与岗位")

    def ready(self):
        # Posts live here, so scopes are computed here; everyone else asks core.scope.scope_for.
        from core.scope import set_provider
        from orgs.scope import compute

        set_provider(compute)

        # What the places' pages show of posts and party members comes from here.
        from grids import panels
        from orgs import selectors

        panels.provide(panels.AREA, selectors.posts_at)
        panels.provide(panels.HOUSEHOLD, selectors.household_party)

        # A place merged into a neighbour takes its posts and organisations with it.
        from grids.merging import area_merging
        from orgs.merging import move_area_holdings

        area_merging.connect(move_area_holdings, dispatch_uid="orgs.move_area_holdings")

        # Posts and party members can be imported from Excel like residents (grids.imports.kinds).
        from orgs import imports

        imports.register()

        # The map shades grids by how much of them the party organisation covers (grids.mapping).
        from orgs import mapping

        mapping.register()
