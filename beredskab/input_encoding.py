"""Input that is not UTF-8 is refused with a message, never stored mangled or dropped.

Django decodes form fields with errors="replace": invalid UTF-8 in a text field is
stored as replacement characters without a word to the person. A multipart part
whose headers are not UTF-8 (an attachment whose file name is Windows-1252, say) is
skipped whole: the file disappears from the form, and the form does not know it was
ever sent. Both are found here and answered with a 400 page saying what to do.

The body is looked at as Django reads it (`_Scanner` wraps the request's stream), so
an upload is never read twice or held in memory for this; a URL-encoded body is
small (DATA_UPLOAD_MAX_MEMORY_SIZE) and is checked whole.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

# A line longer than this inside a file is file content, never a part's header.
_MAX_LINE = 16 * 1024


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _Scanner:
    """Reads through to the request's stream and checks each multipart part's header
    lines and its text (the parts without a file name) for invalid UTF-8."""

    def __init__(self, stream, boundary: bytes) -> None:
        self.stream = stream
        self.delimiter = b"--" + boundary
        self.pending = b""
        self.state = "preamble"  # preamble | headers | field | file
        self.is_file = False
        self.bad_name = False
        self.bad_text = False

    def read(self, *args, **kwargs) -> bytes:
        data = self.stream.read(*args, **kwargs)
        self._feed(data)
        return data

    def readline(self, *args, **kwargs) -> bytes:
        data = self.stream.readline(*args, **kwargs)
        self._feed(data)
        return data

    def __getattr__(self, name):
        return getattr(self.stream, name)

    def _feed(self, data: bytes) -> None:
        if not data:
            return
        lines = (self.pending + data).split(b"\r\n")
        self.pending = lines.pop()
        if len(self.pending) > _MAX_LINE and self.state == "file":
            self.pending = self.pending[-len(self.delimiter) - 4 :]
        for line in lines:
            self._line(line)

    def _line(self, line: bytes) -> None:
        if line.startswith(self.delimiter):
            self.state, self.is_file = "headers", False
            return
        if self.state == "headers":
            if not line:
                self.state = "file" if self.is_file else "field"
                return
            if b"filename" in line.lower():
                self.is_file = True
            if not _is_utf8(line):
                # Django skips such a header line, and with it the whole part.
                self.bad_name = True
        elif self.state == "field" and not _is_utf8(line):
            self.bad_text = True


def _urlencoded_is_utf8(body: bytes) -> bool:
    for pair in body.split(b"&"):
        for part in pair.split(b"=", 1):
            if not _is_utf8(unquote_to_bytes(part.replace(b"+", b" "))):
                return False
    return True


class InputEncodingMiddleware:
    """Before CsrfViewMiddleware (which may parse the form): wraps the body's stream;
    its process_view, after the parse, answers 400 when something was not UTF-8."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith("multipart/"):
            boundary = request.content_params.get("boundary", "")
            if boundary:
                request._stream = _Scanner(request._stream, boundary.encode("ascii", "ignore"))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        if request.content_type == "application/x-www-form-urlencoded":
            try:
                body = request.body
            except Exception:  # noqa: BLE001 - too large etc.: Django answers that itself
                return None
            if not _urlencoded_is_utf8(body):
                return self._refuse(request, text=True)
            return None
        scanner = request._stream if isinstance(request._stream, _Scanner) else None
        if scanner is None:
            return None
        request.POST  # noqa: B018  (parse now, if CSRF has not)
        if scanner.bad_name or scanner.bad_text:
            return self._refuse(request, text=scanner.bad_text, name=scanner.bad_name)
        return None

    def _refuse(self, request, *, text: bool = False, name: bool = False):
        problems = []
        if text:
            problems.append(
                _(
                    "A text field contained characters that are not valid text (not UTF-8), "
                    "for example pasted from an old program. Nothing was saved: go back, "
                    "type the text again and send it once more."
                )
            )
        if name:
            problems.append(
                _(
                    "An attached file's name could not be read (it is not UTF-8). Nothing "
                    "was saved: rename the file with ordinary letters and attach it again."
                )
            )
        return render(request, "input_encoding.html", {"problems": problems}, status=400)
