"""What a file really is, read from its content (never from its name)."""

import filetype

# detected type → (MIME type served on download, human label)
ALLOWED = {
    "pdf": ("application/pdf", "PDF"),
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPEG"),
    "webp": ("image/webp", "WebP"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint"),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "OpenDocument"),
    "doc": ("application/msword", "Word 97"),
    "xls": ("application/vnd.ms-excel", "Excel 97"),
    "ppt": ("application/vnd.ms-powerpoint", "PowerPoint 97"),
    "csv": ("text/csv", "CSV"),
}
MARKUP = (b"<", b"\xef\xbb\xbf<")


def detect(head: bytes, name: str) -> str | None:
    """The allowed kind of a file from its first bytes, or None.

    CSV has no signature: it is accepted only when named .csv and its content is plain
    text (decodable, no NUL byte, not markup such as HTML or SVG)."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.extension if kind.extension in ALLOWED else None
    if name.lower().endswith(".csv") and b"\x00" not in head and not head.lstrip().startswith(MARKUP):
        for encoding in ("utf-8", "cp1252"):
            try:
                head.decode(encoding)
            except UnicodeDecodeError:
                # the head may cut a multi-byte character: retry without its last bytes
                try:
                    head[:-3].decode(encoding)
                except UnicodeDecodeError:
                    continue
            return "csv"
    return None
