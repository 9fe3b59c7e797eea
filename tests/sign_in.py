"""Signing a test client in past the second step, the way the code page does after a right code.

`client.force_login` alone leaves an admin or a holder of the reveal permission at the second
step (or at enrolment), as a real sign-in would; tests about other things use this instead.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import two_factor


def force_login_verified(client, user):
    client.force_login(user)
    if two_factor.pending_step(user) is None:
        return client
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name=two_factor.AUTHENTICATOR
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
