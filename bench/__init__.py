"""`make bench`: seeds a large catalogue into its own database and measures the API and the product page."""
