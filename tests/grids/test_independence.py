"""Places know nothing of what hangs on them: grids neither imports the apps above it (the import
contract checks modules) nor walks their reverse relations from its own models (checked here)."""

import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def _foreign_accessors() -> set[str]:
    """Names by which a grids object reaches rows of another app: `area.posts`, `household.party_members_caring`."""
    names = set()
    for model in apps.get_app_config("grids").get_models():
        for relation in model._meta.related_objects:
            if relation.related_model._meta.app_label != "grids" and not relation.hidden:
                names.add(relation.get_accessor_name())
                names.add(relation.field.related_query_name())
    return names


def _grids_sources() -> list[Path]:
    python = [p for p in (ROOT / "grids").rglob("*.py") if "migrations" not in p.parts]
    return python + sorted((ROOT / "templates" / "grids").rglob("*.html"))


def test_there_are_foreign_relations_to_look_for():
    assert {"posts", "party_members_caring", "party_member"} <= _foreign_accessors()


def test_grids_code_and_templates_walk_no_reverse_relation_of_another_app():
    uses = []
    for name in sorted(_foreign_accessors()):
        # `obj.name`, `"name"` (select/prefetch_related; not an HTML attribute's value, nor a choice's
        # value such as the import kind `POSTS = "posts"`) or `name__`.
        pattern = re.compile(rf"\.{name}\b|(?<!=)(?<!= )[\"']{name}[\"'_]|\b{name}__")
        for path in _grids_sources():
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if pattern.search(line):
                    uses.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert uses == []
