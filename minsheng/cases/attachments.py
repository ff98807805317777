"""Checking uploaded photos and files: by their first bytes, not by the name or the browser's claim."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9

_SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
    (b"GIF87a", "image/gif", {".gif"}),
    (b"GIF89a", "image/gif", {".gif"}),
    (b"%PDF-", "application/pdf", {".pdf"}),
    (b"PK\x03\x04", "application/zip", {".docx", ".xlsx", ".pptx"}),
]


def sniff(head: bytes, name: str) -> str | None:
    lower = name.lower()
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for magic, mime, extensions in _SIGNATURES:
        if head.startswith(magic) and any(lower.endswith(e) for e in extensions):
            if mime == "application/zip":
                return {
                    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                }[lower[lower.rfind(".") :]]
            return mime
    return None


def validate_upload(f) -> str:
    """Return the detected content type or raise ValidationError with a Chinese message."""
    if f.size > MAX_BYTES:
        raise ValidationError(
            _("文件“%(name)s”超过 %(mb)d MB") % {"name": f.name, "mb": MAX_BYTES // (1024 * 1024)},
            code="too_big",
        )
    if f.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件") % {"name": f.name}, code="empty")
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    mime = sniff(head, f.name)
    if mime is None:
        raise ValidationError(
            _("文件“%(name)s”类型不支持：只接受 JPG、PNG、WEBP、GIF 图片和 PDF、Word、Excel 文件")
            % {"name": f.name},
            code="bad_type",
        )
    return mime
