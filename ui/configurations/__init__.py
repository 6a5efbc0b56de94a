"""The Portal configurations view (issue 6): list, editor, diff, export/import, copy."""
