"""Local-filesystem adapters: artifacts and run logs kept under a directory."""
