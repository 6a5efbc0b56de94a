"""The cancellation report: ``cancellations`` (reasons, comments, retention offers from events;
CSV), ``fetch`` (event pages with progress, customers named from the index), ``period`` (whole
UTC days and buckets)."""
