"""The billing engine: periods, prorations and invoice arithmetic; no HTTP, no parameter parsing."""
