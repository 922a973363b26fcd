"""Local compute: run task bodies on threads or child processes."""
