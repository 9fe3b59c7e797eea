"""Finding 2, the cost: seven anonymous requests with large PNGs cost 4–4.6 s of CPU each.
Now a photo's pixel count is read from its header and refused before any decoding, and a body
over MAX_UPLOAD_BYTES is refused from its Content-Length before Django parses it."""

import io
import struct
import uuid
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from cases import services
from cases.models import Case, Category
from cases.photos import MAX_PIXELS, clean_photo, clean_photos
from core.scope import SYSTEM

PIXELS = "像素过多"


def _chunk(kind: bytes, data: bytes, *, crc_ok: bool = True) -> bytes:
    crc = zlib.crc32(kind + data) if crc_ok else 0
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_claiming(width: int, height: int) -> bytes:
    """A few dozen bytes whose header claims width × height, followed by no real image: verifying
    it fails (a broken checksum) and so would decoding it (no deflate stream). Refused for its
    pixels, it was refused before either ran."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _chunk(b"IDAT", b"no pixels here", crc_ok=False) + _chunk(b"IEND", b"")


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "red").save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("width", "height"),
    [(7000, 7000), (100_000, 100_000)],
    ids=["over-our-bound", "over-pillows-own-bound"],
)
def test_a_png_claiming_too_many_pixels_is_refused_from_its_header(width, height):
    assert width * height > MAX_PIXELS
    with pytest.raises(ValidationError, match=PIXELS):
        clean_photo(SimpleUploadedFile("huge.png", png_claiming(width, height)))


def test_the_same_broken_body_with_a_modest_header_is_unreadable():
    # The control: these bytes do fail verification once the header lets them through.
    with pytest.raises(ValidationError, match="不是可识别的照片"):
        clean_photo(SimpleUploadedFile("small.png", png_claiming(100, 100)))


def test_every_header_is_checked_before_any_photo_is_decoded():
    # A broken photo first, an oversized one second: the header check of the second answers.
    uploads = [
        SimpleUploadedFile("broken.png", png_claiming(100, 100)),
        SimpleUploadedFile("huge.png", png_claiming(7000, 7000)),
    ]
    with pytest.raises(ValidationError, match=PIXELS):
        clean_photos(uploads)


@pytest.fixture
def plate(world):
    return {p.building.name: p for p in services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])}["A1楼"]


def _report(client, plate, photos, **extra):
    data = {
        "submission_key": str(uuid.uuid4()),
        "category": Category.objects.get(code="livelihood-sanitation").pk,
        "description": "楼道灯坏了",
        "photos": photos,
    }
    return client.post(reverse("cases:resident_report", args=[plate.token]), data, **extra)


def test_the_qr_page_refuses_a_huge_png_for_its_pixels(plate):
    response = _report(Client(), plate, [SimpleUploadedFile("huge.png", png_claiming(100_000, 100_000))])
    assert response.status_code == 200 and PIXELS in response.content.decode()
    assert not Case.objects.filter(source="resident_qr").exists()


def test_a_body_over_the_limit_is_refused_with_the_products_page(plate, settings):
    settings.MAX_UPLOAD_BYTES = 4096
    photo = SimpleUploadedFile("a.jpg", small_jpeg() + b"\0" * 8192)
    response = _report(Client(), plate, [photo])
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert not Case.objects.filter(source="resident_qr").exists()


def test_the_limit_is_read_from_content_length_before_the_body(plate, settings):
    # The body is unparsable (no boundary): had anything read it, the answer would be a 400.
    url = reverse("cases:resident_report", args=[plate.token])
    declared = str(settings.MAX_UPLOAD_BYTES + 1)
    response = Client().generic("POST", url, b"x", content_type="multipart/form-data", CONTENT_LENGTH=declared)
    assert response.status_code == 413


def test_a_body_within_the_limit_is_taken(plate, settings):
    settings.MAX_UPLOAD_BYTES = 64 * 1024
    response = _report(Client(), plate, [SimpleUploadedFile("a.jpg", small_jpeg())])
    assert response.context["case"].photos.count() == 1
