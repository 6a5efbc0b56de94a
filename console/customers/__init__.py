"""One customer as support sees them: ``detail`` (the customer, subscriptions, invoices, payment
methods, tax IDs, fetched at once) and ``support_view`` (each subscription with what the portal
allows). Finding customers is ``console.index``: the local index serves the report and the
portal session's picker too, so it stays a package of its own."""
