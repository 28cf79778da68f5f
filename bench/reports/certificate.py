"""The unit's certificate: one self-contained, printable HTML file (inline CSS and SVG, nothing fetched).

Page one is the buyer's certificate (bench.reports.buyer): what was tested, the grade and why, the
erasure, and how to check it is genuine. The appendix, from a new page, holds the full evidence: run
facts, identity, the grader's reasons, every test with its evidence, burn-in charts, the sanitization
record, components, the technician's inputs with their history and the signature. Bench-side error
text (exceptions, login failures) is replaced by a plain note there too. The signed record itself rides
along in a JSON block (`<script type="application/json" id="bench-record">`, data, never run) so the
certificate can be checked with no bench database: `bench verify-certificate`.
"""

from __future__ import annotations

from typing import Any

from bench.reports.burnin_charts import burnin_charts, burnin_window, environment_bars
from bench.reports.buyer import BUYER_CSS, VERIFY_COMMAND, Seal, render_buyer
from bench.reports.charts import bar_chart_svg, chart_svg, esc, fmt
from bench.reports.erasure_record import records_of
from bench.reports.evidence import evidence_html, list_html, scrub, value_html
from bench.reports.unit import UnitReport, grade_codes

OUTCOMES = ("PASS", "WARN", "FAIL", "NOT_RUN", "ERROR")

CSS = """
:root { --pass:#1e7d32; --warn:#b97800; --fail:#c0262d; --notrun:#6b6b6b; --error:#7b3fa0; --ink:#1b1b1b; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 0;
       background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
main { max-width: 1120px; margin: 24px auto; padding: 0 24px; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; border-bottom: 2px solid #333; padding-bottom: 1mm; margin: 6mm 0 2mm; }
h3 { font-size: 11pt; margin: 3mm 0 1mm; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 1mm 1.5mm; border-bottom: 1px solid #ddd; }
th { background: #f0f0f0; font-weight: 600; }
table.kv th { width: 38mm; background: none; color: #555; font-weight: normal; }
table.mini { font-size: 8.5pt; margin: 1mm 0; }
table.mini th, table.mini td { padding: 0.4mm 1mm; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 3mm; margin: 1mm 0; font-size: 8.5pt; }
dt { color: #555; } dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
pre { font-size: 8pt; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; background: #f6f6f6; padding: 1mm; }
ul { margin: 0; padding-left: 5mm; }
.muted { color: #777; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; overflow-wrap: anywhere; }
.header { display: flex; justify-content: space-between; gap: 6mm; align-items: flex-start; }
.gradebox { border: 3px solid var(--ink); padding: 2mm 4mm; text-align: center; min-width: 46mm; }
.gradebox .letter { font-size: 34pt; font-weight: bold; line-height: 1; }
.gradebox .codes { font-size: 12pt; font-weight: 600; }
.disp { display: inline-block; margin-top: 1mm; padding: 0.5mm 3mm; color: #fff; background: #444; font-weight: bold; }
.disp.RESALE { background: var(--pass); } .disp.REPAIR, .disp.PARTS { background: var(--warn); }
.disp.QUARANTINE, .disp.RECYCLE { background: var(--fail); } .disp.HOLD { background: var(--notrun); }
.banner { border: 3px solid var(--fail); color: var(--fail); font-size: 15pt; font-weight: bold; padding: 2mm 4mm;
          margin: 3mm 0; }
.banner small { display: block; font-size: 9.5pt; font-weight: normal; color: var(--ink); }
.outcome { display: inline-block; min-width: 17mm; text-align: center; color: #fff; font-weight: bold;
           font-size: 8.5pt; padding: 0.3mm 1.5mm; border-radius: 1mm; white-space: nowrap; }
.outcome.PASS { background: var(--pass); } .outcome.WARN { background: var(--warn); }
.outcome.FAIL { background: var(--fail); } .outcome.NOT_RUN { background: var(--notrun); }
.outcome.ERROR { background: var(--error); }
.state.fail { color: var(--fail); font-weight: bold; } .state.warn { color: var(--warn); font-weight: bold; }
.state.unknown { color: var(--notrun); font-style: italic; }
.test { border-left: 4px solid #ccc; padding: 1mm 0 1mm 3mm; margin: 2mm 0; break-inside: avoid; }
.test.PASS { border-color: var(--pass); } .test.WARN { border-color: var(--warn); }
.test.FAIL { border-color: var(--fail); } .test.ERROR { border-color: var(--error); }
.test .head { display: flex; gap: 3mm; align-items: baseline; }
.test .name { font-weight: bold; min-width: 24mm; }
.when { color: #777; font-size: 8pt; white-space: nowrap; }
table.tests td { padding: 0.6mm 1.5mm; }
.chart-block { break-inside: avoid; margin: 2mm 0 4mm; }
svg.chart { width: 100%; height: auto; display: block; }
.counts span { margin-right: 3mm; }
footer { margin-top: 8mm; font-size: 8pt; color: #777; border-top: 1px solid #ccc; padding-top: 2mm; }
section.appendix { break-before: page; margin-top: 10mm; border-top: 3px double #333; padding-top: 2mm; }
section.appendix h1 { font-size: 14pt; }
@page { size: A4; margin: 10mm 10mm; }
@media print { main { margin: 0 auto; padding: 0; max-width: none; } h2 { break-after: avoid; }
               section.appendix { margin-top: 0; border-top: none; padding-top: 0; } }
"""


STYLE = CSS + BUYER_CSS


def render_certificate(unit: UnitReport) -> str:
    """Page one for the buyer (from the signed record alone), then the appendix with the full evidence."""
    record, seal, problem = _sealed(unit)
    appendix = "\n".join([
        '<section class="appendix"><h1>Appendix: full evidence</h1>', _run_facts(unit), _banners(unit),
        _identity(unit), _grade(unit), _test_overview(unit), _charts(unit), _sanitization(unit), _components(unit),
        _inputs(unit), _evidence(unit), _signature(unit),
        f"<footer>bench certificate · run {unit.run.id} slot {esc(unit.slot)}</footer></section>",
    ])
    block = (f'<script type="application/json" id="bench-record">{seal.to_json()}</script>' if seal else "")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Test certificate {esc(unit.serial)}</title><style>{STYLE}</style></head>"
            f"<body><main>\n{render_buyer(record, seal, problem)}\n{appendix}\n</main>{block}</body></html>\n")


def _sealed(unit: UnitReport) -> tuple[dict[str, Any], Seal | None, str]:
    """The record page one is rendered from, its seal when it can be checked offline, else why not."""
    r = unit.record
    if r is not None and r.holds and r.public_pem:
        seal = Seal(r.canonical, r.hash, r.signature, r.key_fingerprint, r.public_pem)
        try:
            return seal.record(), seal, ""
        except ValueError:
            pass
    # Not verifiable: page one still tells what the store says, under a plain warning.
    shown = {"serial": unit.serial, "model": unit.model, "bench": unit.run.bench, "components": unit.components,
             "tests": unit.tests, "grade": unit.grade, "finished": unit.finished, "started": unit.started,
             "technician": {"licence_attested": unit.inputs.licence_attested,
                            "disposition": unit.inputs.disposition}}
    if r is None:
        why = "the unit has no signed record (it is sealed when the bench finishes it)"
    elif not r.holds:
        why = "its signed record does not hold (" + "; ".join(r.problems) + ")"
    else:
        why = "the bench's public key is not in the store"
    return shown, None, why


def _run_facts(unit: UnitReport) -> str:
    run = unit.run
    return _kv2([("Bench", esc(run.bench)), ("Run", f"{run.id} · plan {esc(run.plan)} · {esc(run.status)}"),
                 ("Run started", esc(run.started)), ("Slot", esc(unit.slot)),
                 ("Unit tested", f"{esc(unit.started or '-')} → {esc(unit.finished or '-')}")])


def _kv(rows: list[tuple[str, Any]]) -> str:
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="kv">{cells}</table>'


def _kv2(rows: list[tuple[str, Any]]) -> str:
    """Pairs of label/value side by side: identity facts are short, so two per line."""
    cells = [f"<th>{esc(k)}</th><td>{v}</td>" for k, v in rows]
    lines = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
    return f'<table class="kv">{lines}</table>'


def _banners(unit: UnitReport) -> str:
    out = []
    if unit.record is None:
        out.append('<div class="banner">NOT SEALED<small>This unit has no sealed record: its results are not '
                   "signed and cannot be verified. A unit is sealed when the bench finishes it.</small></div>")
    elif not unit.record.holds:
        problems = "; ".join(esc(p) for p in unit.record.problems)
        out.append(f'<div class="banner">RECORD DOES NOT HOLD<small>{problems}. Do not rely on this certificate; '
                   f"run bench verify.</small></div>")
    if unit.status != "done":
        out.append(f'<div class="banner">TESTING NOT FINISHED<small>The unit is {esc(unit.status)}; results below '
                   "are partial.</small></div>")
    return "\n".join(out)


def _identity(unit: UnitReport) -> str:
    ident = unit.identity
    serials = ident.get("chassis_serials") or {}
    rows: list[tuple[str, Any]] = [("Model", esc(unit.model or "-")), ("Serial", f'<span class="mono">'
                                   f"{esc(unit.serial or '-')}</span>"), ("Profile", esc(unit.profile or "-"))]
    for key, name in (("os_version", "OS version"), ("hostname", "Hostname"), ("uptime", "Uptime at test"),
                      ("config_register", "Config register"), ("reload_reason", "Last reload reason"),
                      ("sys_object_id", "sysObjectID")):
        if ident.get(key):
            rows.append((name, esc(ident[key])))
    before = ((unit.test("image") or {}).get("evidence") or {}).get("version_before")
    if before and before != ident.get("os_version"):  # the image step upgraded it: what it arrived with
        rows.append(("OS version on arrival", esc(before)))
    if serials:
        rows.append(("Chassis serial by channel", ", ".join(f"{esc(k)}: <span class='mono'>{esc(v)}</span>"
                                                             for k, v in serials.items())))
    if unit.other_runs:
        rows.append(("Also tested in runs", esc(", ".join(str(r) for r in unit.other_runs))))
    return "<h2>Identity</h2>" + _kv2(rows)


def _components(unit: UnitReport) -> str:
    if not unit.components:
        return '<h2>Components</h2><p class="muted">No components were read.</p>'
    rows = "".join(
        f"<tr><td>{esc(c.get('kind', ''))}</td><td>{esc(c.get('name', ''))}</td><td>{esc(c.get('pid', ''))}</td>"
        f"<td>{esc(c.get('vid', ''))}</td><td class='mono'>{esc(c.get('serial', ''))}</td>"
        f"<td>{esc(c.get('descr', ''))}</td><td>{esc(c.get('source', ''))}</td></tr>" for c in unit.components)
    return ("<h2>Components</h2><table><tr><th>kind</th><th>name</th><th>PID</th><th>VID</th><th>serial</th>"
            f"<th>description</th><th>read over</th></tr>{rows}</table>")


def _grade(unit: UnitReport) -> str:
    if unit.grade is None:
        return '<h2>Grade in detail</h2><p class="muted">Not graded yet.</p>'
    functional, cosmetic, letter, disposition = grade_codes(unit.grade)
    reasons = "".join(f"<li>{esc(scrub(r))}</li>" for r in unit.grade.get("reasons", []))
    functional_text = functional if functional != "-" else "none (not functional, or not yet known)"
    codes = _kv2([("Functional (R2v3)", esc(functional_text)), ("Cosmetic (R2v3)", esc(cosmetic)),
                  ("Letter", esc(letter)),
                  ("Disposition", f'<span class="disp {esc(disposition)}">{esc(disposition)}</span>')])
    return ("<h2>Grade in detail</h2>" + codes
            + f"<h3>The grader's reasons</h3><ul>{reasons or '<li class=muted>none given</li>'}</ul>")


def _inputs(unit: UnitReport) -> str:
    i = unit.inputs
    current = _kv([("Cosmetic code", esc(i.cosmetic)), ("Scanned label serial", esc(i.label_serial or "-")),
                   ("Asset tag", esc(i.asset_tag or "-")), ("Licence attested", "yes" if i.licence_attested else "no"),
                   ("New / open box", "yes" if i.new_open_box else "no"), ("Notes", esc(i.notes or "-"))])
    if unit.input_history:
        rows = "".join(f"<tr><td>{esc(h.get('ts', ''))}</td><td>{esc(h.get('operator', ''))}</td>"
                       f"<td>{esc(str(h.get('field', '')).replace('_', ' '))}</td><td>{value_html(h.get('value'))}"
                       f"</td></tr>" for h in unit.input_history)
        history = ("<h3>History</h3><table><tr><th>time</th><th>operator</th><th>field</th><th>value</th></tr>"
                   f"{rows}</table>")
    else:
        history = '<p class="muted">No technician entries: the values above are the defaults and the bench file\'s.</p>'
    return "<h2>Technician inputs</h2>" + current + history


def _badge(outcome: str) -> str:
    return f'<span class="outcome {esc(outcome)}">{esc(outcome.replace("_", " "))}</span>'


def _test_overview(unit: UnitReport) -> str:
    if not unit.tests:
        return '<h2>Test results</h2><p class="muted">No test has finished for this unit.</p>'
    counts = {o: 0 for o in OUTCOMES}
    for t in unit.tests:
        counts[t["outcome"]] = counts.get(t["outcome"], 0) + 1
    summary = "".join(f"<span>{_badge(o)} {n}</span>" for o, n in counts.items() if n)
    rows = "".join(f'<tr><td><b>{esc(t["name"])}</b></td><td>{_badge(str(t["outcome"]))}</td>'
                   f'<td>{esc(scrub(t.get("summary", "")))}</td><td class="when">{esc(_span(t))}</td></tr>'
                   for t in unit.tests)
    return (f'<h2>Test results</h2><p class="counts">{summary}</p><table class="tests"><tr><th>test</th>'
            f"<th>outcome</th><th>summary</th><th>when</th></tr>{rows}</table>")


def _evidence(unit: UnitReport) -> str:
    blocks = []
    for t in unit.tests:
        outcome = str(t["outcome"])
        blocks.append(f'<div class="test {esc(outcome)}"><div class="head"><span class="name">{esc(t["name"])}'
                      f"</span>{_badge(outcome)}</div>{evidence_html(str(t['name']), t.get('evidence') or {})}</div>")
    return "<h2>Test evidence</h2>" + "\n".join(blocks) if blocks else ""


def _span(t: dict[str, Any]) -> str:
    started, finished = str(t.get("started") or ""), str(t.get("finished") or "")
    if not started:
        return ""
    return f"{started[:10]} {started[11:19]}–{finished[11:19]} UTC" if finished else started


def _charts(unit: UnitReport) -> str:
    out = ["<h2>Burn-in</h2>"]
    charts = burnin_charts(unit)
    if charts:
        for c in charts:
            stats = "" if c.y_labels else _stats(c.series, c.unit)  # state lanes show their values themselves
            out.append(f'<div class="chart-block">{chart_svg(c)}{stats}</div>')
    else:
        why = "the burn-in test did not run" if burnin_window(unit) is None else "it recorded no samples"
        out.append(f'<p class="banner" style="font-size:11pt;border-width:2px;color:#555;border-color:#999">'
                   f"no burn-in data<small>{esc(why)} for this unit (plan {esc(unit.run.plan)}).</small></p>")
    bars = environment_bars(unit)
    if bars:
        out.append("<h3>Temperatures at the environment test, against the device's thresholds</h3>")
        out.append(f'<div class="chart-block">{bar_chart_svg("Environment test: temperatures", "°C", bars)}</div>')
    return "\n".join(out)


def _stats(series: list[Any], unit: str) -> str:
    rows = "".join(f"<tr><td>{esc(s.label)}</td><td>{fmt(min(s.ys))}</td><td>{fmt(max(s.ys))}</td>"
                   f"<td>{fmt(s.ys[-1])}</td><td>{len(s.ys)}</td></tr>" for s in series if s.points)
    u = f" ({esc(unit)})" if unit else ""
    return (f'<table class="mini"><tr><th>series</th><th>min{u}</th><th>max{u}</th><th>last{u}</th>'
            f"<th>samples</th></tr>{rows}</table>")


def _disk_erasure(unit: UnitReport, t: dict[str, Any]) -> str:
    """A server's erasure record: one row per disk (what an ITAD's erasure certificate carries)."""
    head = ("<tr><th>disk</th><th>model / serial</th><th>capacity (bytes)</th><th>method</th><th>NIST</th>"
            "<th>verification</th><th>start / end</th><th>result</th><th>disposition</th></tr>")
    body = ""
    for r in records_of(t):
        v = r.get("verification") if isinstance(r.get("verification"), dict) else {}
        ver = f"{v.get('mode', '-')}: {v.get('result', '-')}" if v else "none"
        if v.get("positions"):
            ver += f" ({len(v['positions'])} samples of {v.get('sample_bytes')} bytes)"
        body += (f"<tr><td class='mono'>{esc(r.get('device', ''))}</td><td>{esc(r.get('model', ''))}<br>"
                 f"<span class='mono'>{esc(r.get('serial', ''))}</span></td><td>{esc(r.get('capacity_bytes', ''))}"
                 f"</td><td>{esc(r.get('method', '') or '-')}</td><td>{esc(r.get('nist_category', '') or '-')}</td>"
                 f"<td>{esc(ver)}</td><td>{esc(r.get('started', ''))}<br>{esc(r.get('ended', ''))}</td>"
                 f"<td>{_badge(str(r.get('result', '')))} {esc(scrub(str(r.get('reason', ''))))}</td>"
                 f"<td><b>{esc(r.get('disposition', '') or '-')}</b><br>"
                 f"{esc(scrub(str(r.get('disposition_reason', ''))))}</td></tr>")
    excluded = (t.get("evidence") or {}).get("excluded") or []
    notes = list_html([f"{e.get('device')}: {e.get('reason')}" for e in excluded if isinstance(e, dict)], 1) \
        if excluded else ""
    return (f"<h2>Disk erasure record (NIST SP 800-88 Rev. 1)</h2><p>{_badge(str(t['outcome']))} "
            f"{esc(scrub(t.get('summary', '')))}</p><table class='mini'>{head}{body}</table>"
            + (f"<p>Not erased, on purpose:</p>{notes}" if notes else ""))


def _sanitization(unit: UnitReport) -> str:
    disks = unit.test("erasure")
    if disks is not None:
        return _disk_erasure(unit, disks)
    t = unit.test("sanitization")
    if t is None:
        return ('<h2>Sanitization record</h2><p class="muted">No sanitization record: this bench did not wipe the '
                f"unit (plan {esc(unit.run.plan)}). R2v3: it cannot be graded for resale until it is sanitized.</p>")
    e = t.get("evidence") or {}
    before, after = e.get("before") or {}, e.get("after") or {}
    remaining = after.get("remaining")
    if remaining is None:
        verdict = "not verified after the reload"
    elif remaining:
        verdict = "left behind: " + ", ".join(map(str, remaining))
    else:
        verdict = "nothing of the previous owner remains"
    rows: list[tuple[str, Any]] = [
        ("Outcome", f'{_badge(str(t["outcome"]))} {esc(scrub(t.get("summary", "")))}'),
        ("Method", esc(e.get("method", "-"))), ("Started", esc(e.get("started", t.get("started", "-")))),
        ("Finished", esc(e.get("finished", t.get("finished", "-")))),
        ("Found before the wipe", list_html(list(before.get("remaining") or []), 1)),
        ("Verified after", f"{esc(verdict)} (checked over {esc((after.get('found') or {}).get('channel', '-'))})"),
    ]
    steps = e.get("steps") or []
    if steps:
        rows.append(("Steps", "<ol>" + "".join(f"<li><span class='mono'>{esc(s.get('command', ''))}</span>"
                                               f"{_answer(s.get('output', ''))}</li>" for s in steps
                                               if isinstance(s, dict)) + "</ol>"))
    for key, name in (("found", "Checked after"),):
        if after.get(key):
            rows.append((name, value_html(after[key])))
    problems = [*(after.get("problems") or []), *(e.get("wipe_problems") or [])]
    if problems:
        rows.append(("Notes", list_html(problems, 1)))
    return "<h2>Sanitization record</h2>" + _kv(rows)


def _answer(output: object) -> str:
    lines = [line for line in str(output or "").splitlines() if line.strip()]
    if not lines:
        return ""
    return f' <span class="muted">→ {esc(scrub(lines[-1][:120]))}</span>'


def _signature(unit: UnitReport) -> str:
    r = unit.record
    if r is None:
        return "<h2>Signature</h2><p><b>NOT SEALED</b>: no signed record of this unit.</p>"
    check = ("this record's hash, signature and link to its predecessor held when the certificate was made"
             if r.holds else "DOES NOT HOLD: " + "; ".join(r.problems))
    rows = [("Record", f"#{r.seq}, sealed {esc(r.sealed_at or '-')}"),
            ("Record hash (SHA-256)", f'<span class="mono">{esc(r.hash)}</span>'),
            ("Previous hash", f'<span class="mono">{esc(r.prev_hash or "(first record)")}</span>'),
            ("Key fingerprint", f'<span class="mono">{esc(r.key_fingerprint)}</span>'),
            ("Signature (Ed25519)", f'<span class="mono">{esc(r.signature)}</span>'),
            ("Check", esc(check))]
    return ("<h2>Signature</h2>" + _kv(rows) +
            f'<p>check this file offline: <span class="mono">{esc(VERIFY_COMMAND)}</span></p>')
