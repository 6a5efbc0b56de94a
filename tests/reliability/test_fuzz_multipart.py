"""Multipart bodies (how the stripe library uploads files) fuzzed: malformed boundaries, parts,
headers and contents to the Files API and to an operation that takes no file. No 5xx, every
error Stripe-shaped, and a refused upload stores nothing."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.sandbox import Sandbox
from tests.reliability.conftest import objects_digest

TALLY: Counter[str] = Counter()
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")

header_values = st.one_of(
    st.sampled_from(
        [
            'form-data; name="file"; filename="a.png"',
            'form-data; name="purpose"',
            'form-data; name="file"',
            'form-data; name="expand[]"',
            "form-data; name=\"file\"; filename*=UTF-8''%E2%82%AC.png",
            'form-data; name="purpose"; filename="x"',
            "form-data",
            'attachment; name="file"',
            'form-data; name="' + "n" * 500 + '"',
            'form-data; name="\u00e9\x00"',
        ]
    ),
    st.text(max_size=60),
)
contents = st.one_of(
    st.sampled_from([b"business_icon", b"dispute_evidence", PNG, b"", b"\r\n--", b"x" * 70_000]),
    st.binary(max_size=200),
)
part = st.tuples(header_values, st.sampled_from(["image/png", "text/plain", "", "x/y"]), contents)


def body_of(boundary: str, parts: list[tuple[str, str, bytes]], terminated: bool) -> bytes:
    out = b""
    for disposition, content_type, data in parts:
        head = f"Content-Disposition: {disposition}\r\n"
        if content_type:
            head += f"Content-Type: {content_type}\r\n"
        out += b"--" + boundary.encode("utf-8", "replace") + b"\r\n"
        out += head.encode("utf-8", "replace") + b"\r\n" + data + b"\r\n"
    if terminated:
        out += b"--" + boundary.encode("utf-8", "replace") + b"--\r\n"
    return out


FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_fuzzed_multipart_bodies_never_break_the_sandbox(file_sandbox: Sandbox) -> None:
    db = file_sandbox.state.store.path
    headers = {"Authorization": f"Bearer {file_sandbox.api_key}"}
    with httpx.Client(base_url=file_sandbox.url, headers=headers, trust_env=False) as http:

        @FUZZ
        @given(
            path=st.sampled_from(["/v1/files", "/v1/customers"]),
            boundary=st.one_of(
                # What an HTTP header can carry (others stop at the HTTP parser, not the app).
                st.just("b0undary"),
                st.from_regex(r"\A[!-~]{0,80}\Z"),
                st.just("x" * 71),
                st.just(""),
            ),
            parts=st.lists(part, max_size=4),
            terminated=st.booleans(),
        )
        def upload(
            path: str, boundary: str, parts: list[tuple[str, str, bytes]], terminated: bool
        ) -> None:
            before = objects_digest(Path(db))
            content_type = f"multipart/form-data; boundary={boundary}"
            reply = http.post(
                path,
                content=body_of(boundary, parts, terminated),
                headers={"Content-Type": content_type},
            )
            TALLY[f"answered {reply.status_code}"] += 1
            assert reply.status_code < 500, reply.text
            answer = json.loads(reply.content)
            if reply.status_code >= 400:
                assert answer["error"]["type"] == "invalid_request_error", answer
                assert answer["error"]["message"]
                assert objects_digest(Path(db)) == before

        upload()
    print("\nmultipart fuzz figures:", dict(TALLY))
