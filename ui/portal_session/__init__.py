"""Open the portal as a customer (quick view): the form, the in-app browser, the view."""
