"""Portal coverage: what the portal lets every subscription's customer do, and what a
configuration change would do to them (counts per action and reason, over the subscriptions
index)."""
