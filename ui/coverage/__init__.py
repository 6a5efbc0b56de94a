"""Portal coverage: per action, the subscriptions the portal allows it for and refuses."""
