"""A file as a request carries it: the one value that is not JSON among a request's params.

``http.multipart`` makes these from a ``multipart/form-data`` body; the Files resource and
the demo data take them. Here, below both, so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Upload:
    """One uploaded file part."""

    filename: str
    content_type: str
    data: bytes
