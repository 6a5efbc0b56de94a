"""The API versions the sandbox speaks, for callers deciding what to send in ``Stripe-Version``.

The sandbox's own endpoint (Stripe has none like it): each version with what differs from the
pinned one, from ``facts.api_versions``.
"""

from __future__ import annotations

from console.sandbox.facts.api_versions import SPOKEN
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.registry import extra

PATH = "/v1/test_helpers/sandbox_api_versions"


@extra("GetSandboxApiVersions", "GET", PATH)
def list_versions(ctx: Context, params: JSON) -> JSON:
    data = [
        {
            "object": "sandbox.api_version",
            "id": version.name,
            "default": version.is_pinned,
            "differences": list(version.differences),
        }
        for version in SPOKEN.values()
    ]
    return {"object": "list", "url": PATH, "has_more": False, "data": data}
