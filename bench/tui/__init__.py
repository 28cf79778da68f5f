"""The technician's dashboard (Textual).

Layers inside: `slots` (plain data about one slot, filters, sorts, run totals), `follow`
(reads the store for what changed), `documents` (label and certificate files) and `retest`
(clear what a retest redoes, then ask the run's engine or resume the finished run) import no
Textual; `grid`, `detail`, `grading`, `actions` and `app` are the widgets and screens;
`inprocess` runs the dashboard beside a run in one process (`bench demo`, `bench run`).
The TUI reads the store, never the engine, so attached to a headless run in another process
and in-process under `bench demo` it shows the same thing.
"""
