"""What the portal lets a customer do with one subscription under a configuration, and why not
(``rules``)."""
