"""Opening the portal as a customer (``quick_view``): test mode only, refused in live mode here."""
