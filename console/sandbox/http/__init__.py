"""HTTP plumbing: the /v1 API's dispatch, Stripe's wire format, request checks."""
