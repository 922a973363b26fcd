"""Pure models of Dagy: no I/O, no frameworks, no other layer."""
