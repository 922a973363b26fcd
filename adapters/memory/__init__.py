"""In-memory adapters: shipped code that powers run_local and the test harness."""
