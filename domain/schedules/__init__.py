"""Schedules and sensors: pure time math and trigger rules (no I/O)."""
