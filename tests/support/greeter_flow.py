"""The source of a one-task flow, "greeter" 1.0.0, whose output carries a marker.

Format or replace `{marker}` to get two builds of the same flow with different code (and
so different code hashes), which is what the artifact identity tests need.
"""

GREETER = """\
from dagy import flow, task

@task
def greet(name: str) -> str:
    return "{marker} " + name

@flow(name="greeter", version="1.0.0")
def greeter(name: str = "world"):
    return greet(name)
"""
