"""The fleet: every bench's sealed records meet in one PostgreSQL store.

Each bench keeps its own SQLite journal (bench.store) and grades whether or not the fleet store answers;
a background sender (bench.fleet.sender) copies every sealed record there, idempotent by record hash.
The fleet store keeps each bench's registered key, its chain of records and one row per unit, so it can
verify every bench (bench.fleet.verify), export across benches (bench.fleet.export) and tell a bench that a
serial was graded elsewhere (bench.fleet.lookup).
"""
