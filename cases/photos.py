"""Uploaded photos: checked by what they contain, not their name; re-encoded so nothing but pixels
survives (EXIF, GPS position, embedded thumbnails, trailing data)."""

import io
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


def clean_photo(upload) -> CleanPhoto:
    name = getattr(upload, "name", "") or "photo"
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("照片“%(name)s”超过%(mb)sMB"), code="photo_too_big", params={"name": name, "mb": MAX_BYTES // 2**20}
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in ACCEPTED_FORMATS:
            raise ValidationError(_("“%(name)s”不是JPEG、PNG或WebP照片"), code="photo_type", params={"name": name})
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("照片“%(name)s”像素过多"), code="photo_pixels", params={"name": name})
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("“%(name)s”不是可识别的照片"), code="photo_unreadable", params={"name": name}) from exc
    return CleanPhoto(content=ContentFile(out.getvalue(), name="photo.jpg"), width=image.width, height=image.height)


def clean_photos(uploads) -> list[CleanPhoto]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("最多上传%(n)s张照片"), code="too_many_photos", params={"n": MAX_PHOTOS})
    return [clean_photo(u) for u in uploads]
