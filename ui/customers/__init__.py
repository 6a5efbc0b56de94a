"""The Customers view: search the local index as you type, and one customer's detail."""
