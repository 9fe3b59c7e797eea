"""Uploaded photos: checked by what they contain, not their name; re-encoded so nothing but pixels
survives (EXIF, GPS position, embedded thumbnails, trailing data).

Decoding is the expensive part, so it comes last: every upload's size and header (format and the
dimensions it claims, which `Image.open` reads without touching a pixel) are checked first, and
only then is each one verified and decoded."""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PHOTOS = 6


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def _name(upload) -> str:
    return getattr(upload, "name", "") or "photo"


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(_("照片“%(name)s”像素过多"), code="photo_pixels", params={"name": name})


def _unreadable(name: str) -> ValidationError:
    return ValidationError(_("“%(name)s”不是可识别的照片"), code="photo_unreadable", params={"name": name})


def _checked_header(upload) -> bytes:
    """The upload's bytes, once its size, format and claimed pixel count are within bounds."""
    name = _name(upload)
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("照片“%(name)s”超过%(mb)sMB"), code="photo_too_big", params={"name": name, "mb": MAX_BYTES // 2**20}
        )
    data = upload.read()
    try:
        # Pillow warns between its own bound and twice it; ours is lower and checked just below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind, (width, height) = probe.format, probe.size
    except Image.DecompressionBombError as exc:
        # Refused by Pillow from the header alone: the dimensions claim more than twice its bound.
        raise _too_many_pixels(name) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _unreadable(name) from exc
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError(_("“%(name)s”不是JPEG、PNG或WebP照片"), code="photo_type", params={"name": name})
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(name)
    return data


def _decoded(data: bytes, name: str) -> CleanPhoto:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _unreadable(name) from exc
    return CleanPhoto(content=ContentFile(out.getvalue(), name="photo.jpg"), width=image.width, height=image.height)


def clean_photo(upload) -> CleanPhoto:
    return _decoded(_checked_header(upload), _name(upload))


def clean_photos(uploads) -> list[CleanPhoto]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("最多上传%(n)s张照片"), code="too_many_photos", params={"n": MAX_PHOTOS})
    # Every header before any decoding: one oversized photo refuses the lot before work is spent.
    checked = [(_checked_header(upload), _name(upload)) for upload in uploads]
    return [_decoded(data, name) for data, name in checked]
