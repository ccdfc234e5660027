"""Uploads are refused while they stream in, as soon as they pass the limit.

Django's form fields check a file's size only once the whole file has been received
(and written to memory or a temporary file), so a 50 MB upload would be read whole
before "too large". `LimitedUploadHandler`, first in FILE_UPLOAD_HANDLERS, counts the
bytes as they arrive and stops the upload (without reading the rest of the request)
when one file passes UPLOAD_MAX_FILE_BYTES or the request declares more than
UPLOAD_MAX_REQUEST_BYTES. The fields parsed before the file (the CSRF token first)
are kept.

The form then has to say what happened at the field: `RefusedUploadMiddleware` puts a
`TooLargeUpload` in request.FILES under the file's field name, which every file field
of the portal refuses with its own "too large" message (its size is beyond any limit),
so no view needs to know about the handler.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Beyond every limit: a field comparing sizes refuses it with its own message.
TOO_LARGE = 2**62


@dataclass
class Refused:
    field_name: str
    file_name: str
    received: int  # bytes of the file read before stopping
    limit: int


class TooLargeUpload(UploadedFile):
    """Stands in for a file that was refused while streaming."""

    def __init__(self, refused: Refused):
        super().__init__(
            file=io.BytesIO(b""),
            name=refused.file_name or "file",
            content_type="application/octet-stream",
            size=TOO_LARGE,
        )
        self.refused = refused


def max_file_bytes() -> int:
    return settings.UPLOAD_MAX_FILE_BYTES


def max_request_bytes() -> int:
    return settings.UPLOAD_MAX_REQUEST_BYTES


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive; stops the upload past the limit.

    It passes every chunk on to the next handler (memory or temporary file) and never
    stores anything itself."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A request that says up front it is too large is stopped at its first file.
        self.declared_too_large = content_length > max_request_bytes()
        self.total = 0
        return None

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0
        if self.declared_too_large:
            self._stop(max_request_bytes())

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        self.total += len(raw_data)
        if self.received > max_file_bytes():
            self._stop(max_file_bytes())
        if self.total > max_request_bytes():
            self._stop(max_request_bytes())
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file

    def _stop(self, limit: int):
        if self.request is not None:
            self.request.upload_refused = Refused(
                field_name=self.field_name,
                file_name=self.file_name or "",
                received=getattr(self, "received", 0),
                limit=limit,
            )
        # connection_reset: Django does not read (and discard) the rest of the body.
        raise StopUpload(connection_reset=True)


class RefusedUploadMiddleware:
    """After CsrfViewMiddleware: shows a refused upload to the form as a file that is
    too large, so the person gets the field's own message and a 400, not a form that
    silently lost its file."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.content_type.startswith("multipart/"):
            return None
        request.POST  # noqa: B018  (parse now, if CSRF has not: the handler runs here)
        refused = getattr(request, "upload_refused", None)
        if refused is not None:
            files = request.FILES.copy()
            files.setlist(refused.field_name, [TooLargeUpload(refused)])
            request._files = files
        return None
