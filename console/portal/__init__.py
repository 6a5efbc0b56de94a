"""The portal's rules as the console applies them before Stripe does.

- ``configuration``: a typed model of a ``billing_portal.configuration``, parsed from Stripe's
  JSON, edited immutably, and diffed into the minimal update parameters.
- ``config_rules``: every check Stripe would make on a configuration, all problems at once.
- ``config_io``: saving through the gateway, export/import as JSON, copy to another account.
- ``eligibility``: what the portal lets a customer do with one subscription, and why not.
- ``quick_view``: open the portal as a customer, test mode only.
- ``cancellation_report``: reasons, comments and retention offers from events.
"""
