"""The demo's two-factor devices: fixed, published secrets and recovery codes for the accounts
that must sign in with a second step (admin, and community, who may reveal personal data), so a
newcomer can add them to any authenticator app or sign in with a printed recovery code.

Published on purpose, like the demo password: nothing here may reach a real installation."""

from base64 import b32decode

from django.contrib.auth.models import User
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import two_factor

# username → (the TOTP secret in base32, as authenticator apps take it; recovery codes)
DEMO_TWO_FACTOR = {
    "admin": ("DEMOADMINDEMOADMINDEMOADMINDEMOA", [f"demoadmin{n}" for n in range(1, 6)]),
    "community": ("DEMOCOMMUNITYDEMOCOMMUNITYDEMOCO", [f"democommunity{n}" for n in range(1, 6)]),
}


def give_devices() -> None:
    """Once per account: a recovery code used stays used when the demo is loaded again."""
    for username, (secret, codes) in DEMO_TWO_FACTOR.items():
        user = User.objects.get(username=username)
        if TOTPDevice.objects.filter(user=user).exists():
            continue
        TOTPDevice.objects.create(user=user, name=two_factor.AUTHENTICATOR, key=b32decode(secret).hex(), confirmed=True)
        static = StaticDevice.objects.create(user=user, name=two_factor.RECOVERY_CODES)
        StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
