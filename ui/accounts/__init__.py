"""Dialogs of the Account menu: add an account, act for a connected account."""
