"""The cancellation report view: why customers leave, over time, and which offers kept them."""
