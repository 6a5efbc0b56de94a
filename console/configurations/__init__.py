"""Portal configurations as the console edits them, checked by Stripe's rules before Stripe does.

- ``model``: a typed ``billing_portal.configuration``, parsed from Stripe's JSON, edited
  immutably, diffed into the minimal update parameters;
- ``rules``: every check Stripe would make, all problems at once;
- ``edit``: field-level diffs, and which form field a problem's param belongs to;
- ``transfer``: saving through the gateway, export/import as JSON, copy to another account;
- ``document``: reading an exported document, every field checked, size capped.
"""
