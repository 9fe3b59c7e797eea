"""Password rules: a length and the common list by default; character classes when asked for."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from core.passwords import CharacterClassValidator


def test_the_default_minimum_length_is_twelve():
    with pytest.raises(ValidationError):
        validate_password("k7#Qw9!mZp2")  # eleven characters
    validate_password("k7#Qw9!mZp2x")


def test_common_and_numeric_passwords_are_refused():
    for password in ["password1234", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_character_classes_are_off_by_default():
    assert not any(isinstance(v, CharacterClassValidator) for v in get_default_password_validators())
    validate_password("lowercase only phrase")


@pytest.mark.parametrize(
    ("password", "ok"),
    [("alllowercaseletters", False), ("lowerUPPERletters", False), ("lowerUPPER123", True), ("lower-123-more", True)],
)
def test_a_composition_rule_counts_character_classes(password, ok):
    validator = CharacterClassValidator(min_classes=3)
    if ok:
        validator.validate(password)
    else:
        with translation.override("zh-hans"), pytest.raises(ValidationError, match="至少3类"):
            validator.validate(password)


def test_the_composition_and_length_settings_come_from_the_environment():
    code = (
        "import gridgov.settings as s; "
        "print([(v['NAME'].rsplit('.', 1)[1], v.get('OPTIONS')) for v in s.AUTH_PASSWORD_VALIDATORS])"
    )
    env = {**os.environ, "DEBUG": "1", "PASSWORD_MIN_LENGTH": "16", "PASSWORD_MIN_CHARACTER_CLASSES": "3"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "('MinimumLengthValidator', {'min_length': 16})" in result.stdout
    assert "('CharacterClassValidator', {'min_classes': 3})" in result.stdout
