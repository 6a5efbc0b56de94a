"""The Branding preview view (issue 6): the portal as customers see it, per language."""
