"""identity (servers): SMBIOS system, baseboard and DIMMs via dmidecode, CPUs via lscpu, RAM via free.

Fills `ctx.identity` like the network identity test does, so grading and later tests read one shape.
"""

from __future__ import annotations

import re
from typing import Any

from bench.drivers.parsing import ParseError, parse
from bench.model import Component, ComponentKind, Outcome, TestResult
from bench.tests_hw.base import TestContext, result
from bench.tests_hw.server.shell import Output, from_output, key_values, not_run, sh, shell_check, to_int

NAME = "identity"
PLATFORM = "linux"  # the ntc-templates platform of the live image's tools

# Values SMBIOS holds when the vendor never programmed a field.
_PLACEHOLDERS = re.compile(r"^(?:|not specified|not available|to be filled by o\.e\.m\.|default string|"
                           r"system serial number|0+|0123456789|none|n/a|unknown)$", re.IGNORECASE)
_FLAVOURS = (("dell", re.compile(r"\bdell\b", re.I)), ("hpe", re.compile(r"\bhpe?\b|hewlett", re.I)),
             ("supermicro", re.compile(r"supermicro", re.I)))


def real(value: object) -> str:
    text = str(value or "").strip()
    return "" if _PLACEHOLDERS.match(text) else text


def flavour(manufacturer: str) -> str:
    """dell / hpe / supermicro from the SMBIOS manufacturer, else "" (a generic Linux host)."""
    return next((name for name, pat in _FLAVOURS if pat.search(manufacturer)), "")


def _rows(out: Output, command: str, problems: list[str]) -> list[dict[str, Any]]:
    if not out.ok:
        return []
    try:
        return parse(PLATFORM, command, out.text) or []
    except ParseError as exc:
        problems.append(str(exc))
        return []


def baseboard(text: str) -> dict[str, str]:
    """The `Base Board Information` block of `dmidecode -t baseboard` (ntc-templates has no template)."""
    block = text.split("Base Board Information", 1)
    return key_values(block[1].split("\n\n", 1)[0]) if len(block) == 2 else {}


def memory_bytes(free_text: str) -> int | None:
    """Total RAM from `free -b` (the `Mem:` row's first number)."""
    for line in free_text.splitlines():
        if line.startswith("Mem:"):
            parts = line.split()
            return to_int(parts[1]) if len(parts) > 1 else None
    return None


def dimm_gb(size: str) -> float:
    m = re.match(r"(\d+)\s*(GB|MB|TB)", size or "", re.I)
    if not m:
        return 0.0
    return int(m.group(1)) * {"MB": 1 / 1024, "GB": 1, "TB": 1024}[m.group(2).upper()]


@shell_check(NAME)
async def run(ctx: TestContext, started: str) -> TestResult:
    system = await sh(ctx, "dmidecode -t system")
    if system.error:
        return from_output(NAME, started, system)
    problems: list[str] = []
    board_out = await sh(ctx, "dmidecode -t baseboard")
    mem_out = await sh(ctx, "dmidecode -t memory")
    cpu_out = await sh(ctx, "lscpu")
    free_out = await sh(ctx, "free -b")
    host_out = await sh(ctx, "hostname")
    kernel_out = await sh(ctx, "uname -a")
    outs = (board_out, mem_out, cpu_out, free_out, host_out, kernel_out)
    errors = [o.error for o in (system, *outs) if o.error]
    notes = list(dict.fromkeys(o.absent for o in (system, *outs) if o.absent))

    sysrow = (_rows(system, "dmidecode -t system", problems) or [{}])[0]
    board = baseboard(board_out.text) if board_out.ok else {}
    dimms = _rows(mem_out, "dmidecode -t memory", problems)
    cpu = key_values(cpu_out.text) if cpu_out.ok else {}
    mem = memory_bytes(free_out.text) if free_out.ok else None

    ident = ctx.identity
    manufacturer = real(sysrow.get("system_manufacturer"))
    ident.model = real(sysrow.get("system_product_name")) or ident.model
    ident.serial = real(sysrow.get("system_serial_number")) or ident.serial
    if ident.serial:
        ident.chassis_serials["cli"] = ident.serial
    if host_out.ok:
        ident.hostname = host_out.text.strip().splitlines()[0][:64] if host_out.text.strip() else ident.hostname
    if kernel_out.ok and kernel_out.text.startswith("Linux"):
        ident.os_version = kernel_out.text.split()[2] if len(kernel_out.text.split()) > 2 else ""
        ident.sys_descr = ident.sys_descr or kernel_out.text.strip()[:200]
    comps = [Component(ComponentKind.CHASSIS, "System", pid=ident.model, serial=ident.serial,
                       descr=manufacturer, source="cli")] if ident.model or ident.serial else []
    if board:
        comps.append(Component(ComponentKind.MODULE, "Baseboard", pid=real(board.get("Product Name")),
                               vid=real(board.get("Version")), serial=real(board.get("Serial Number")),
                               descr=real(board.get("Manufacturer")), source="cli"))
    populated = [d for d in dimms if dimm_gb(d.get("ram_size", ""))]
    comps += [Component(ComponentKind.MODULE, d.get("ram_locator", "DIMM"), pid=real(d.get("ram_part_number")),
                        serial=real(d.get("ram_serial_number")), source="cli",
                        descr=f"{d.get('ram_size', '')} {d.get('ram_type', '')} DIMM".strip()) for d in populated]
    ident.components = comps + [c for c in ident.components if c.source != "cli"]

    sockets, cpus = to_int(cpu.get("Socket(s)")), to_int(cpu.get("CPU(s)"))
    evidence: dict[str, Any] = {
        "manufacturer": manufacturer, "flavour": flavour(manufacturer), "model": ident.model,
        "serial": ident.serial, "uuid": real(sysrow.get("system_uuid")),
        "baseboard": {"product": real(board.get("Product Name")), "serial": real(board.get("Serial Number"))},
        "cpu_model": cpu.get("Model name", ""), "sockets": sockets, "cpus": cpus,
        "cores_per_socket": to_int(cpu.get("Core(s) per socket")), "memory_bytes": mem,
        "dimm_slots": len(dimms), "dimms_populated": len(populated),
        "dimm_total_gb": sum(dimm_gb(d.get("ram_size", "")) for d in populated),
        "notes": notes, "problems": problems + errors,
    }
    if system.absent and not (cpus or mem):
        return not_run(NAME, started, system.absent, **evidence)
    if errors and not (ident.serial or cpus):
        return result(NAME, Outcome.ERROR, errors[0], started, **evidence)
    if problems and not (ident.serial or cpus):
        return result(NAME, Outcome.ERROR, problems[0], started, **evidence)
    summary = (f"{manufacturer or '?'} {ident.model or '?'} serial {ident.serial or '?'}; "
               f"{cpus or '?'} CPUs on {sockets or '?'} sockets; "
               f"{round(mem / 2**30) if mem else '?'} GiB RAM, {len(populated)}/{len(dimms)} DIMM slots used")
    missing = [what for what, got in (("serial", ident.serial), ("model", ident.model), ("CPU count", cpus),
                                      ("memory size", mem)) if not got]
    if missing:
        why = "; ".join(notes + problems + errors) or "not reported"
        return result(NAME, Outcome.WARN, f"{summary}; unknown: {', '.join(missing)} ({why})"[:400], started,
                      **evidence)
    return result(NAME, Outcome.PASS, summary, started, **evidence)
