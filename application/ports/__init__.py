"""Ports: the small Protocols the application needs from the outside world."""
