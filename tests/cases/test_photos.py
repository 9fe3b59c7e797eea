"""Photos are judged by their bytes and re-encoded: no EXIF or GPS survives."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.photos import MAX_BYTES, clean_photo, clean_photos


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (39.0, 54.0, 27.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_exif_and_gps_are_stripped():
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the upload does carry a position
    clean = clean_photo(SimpleUploadedFile("a.jpg", raw))
    data = clean.content.read()
    reopened = Image.open(io.BytesIO(data))
    assert reopened.format == "JPEG" and (clean.width, clean.height) == (64, 48)
    assert not reopened.getexif()
    assert b"PhoneMaker" not in data


def test_a_png_is_accepted_and_re_encoded_and_a_large_one_is_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), "white").save(out, format="PNG")
    clean = clean_photo(SimpleUploadedFile("wide.png", out.getvalue()))
    assert (clean.width, clean.height) == (2048, 512)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("fake.jpg", b"<script>alert(1)</script>", "不是可识别的照片"),
        ("doc.jpg", b"%PDF-1.4 not an image", "不是可识别的照片"),
    ],
)
def test_content_not_the_name_decides(name, data, message):
    with pytest.raises(ValidationError, match=message):
        clean_photo(SimpleUploadedFile(name, data))


def test_other_image_formats_and_big_files_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="不是JPEG、PNG或WebP"):
        clean_photo(SimpleUploadedFile("a.gif", out.getvalue()))
    big = SimpleUploadedFile("big.jpg", b"0" * (MAX_BYTES + 1))
    with pytest.raises(ValidationError, match="超过10MB"):
        clean_photo(big)


def test_at_most_six_photos():
    with pytest.raises(ValidationError, match="最多上传6张"):
        clean_photos([SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps()) for i in range(7)])
