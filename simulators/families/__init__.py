"""The simulated families: one package per family, each with the same file set.

`__init__.py` declares the family (`FAMILY`, `IMPLEMENTED_FAULTS`), `device.py` holds the model every
front end reads and changes (a `SimDeviceBase`), `cli.py` the line session (a `LineSession`). The
families are registered as entry points in the group `bench.sim_families` (simulators/family.py).
"""
