"""Cisco IOS / IOS-XE licences: `show version` (licence level, IOS-XE technology package), `show license`
(classic right-to-use, permanent and evaluation licences) and `show license status` (Smart Licensing:
registration, Smart Account, authorization, reservation). No ntc-templates exist for the last two."""

from __future__ import annotations

import re

from bench.drivers.parsing import sanitize
from bench.platforms.cli import run_classified
from bench.platforms.data import package_data
from bench.platforms.licensing import LicenseEntry, Licensing
from bench.tests_hw.base import TestContext

DATA = package_data(__file__)
_KEEP = 1500  # characters of each answer kept as evidence

_LEVEL = re.compile(r"(?m)^License Level:\s*(\S+)")
_NEXT = re.compile(r"(?m)^Next reload license Level:\s*(\S+)")
_SMART_IN_VERSION = re.compile(r"(?m)^Smart Licensing Status:\s*(.+?)\s*$")
_INDEX = re.compile(r"(?m)^Index\s+\d+\s+Feature:\s*(\S+)")
_FIELD = re.compile(r"(?m)^\s+(Period left|License Type|License State):\s*(.+?)\s*$")
_SMART = re.compile(r"Smart Licensing is (ENABLED|DISABLED)")


def _section(text: str, title: str) -> str:
    """The indented lines under `title:` (up to the next blank line)."""
    m = re.search(rf"(?m)^{re.escape(title)}:\s*\n((?:[ \t]+\S.*\n?)*)", text)
    return m.group(1) if m else ""


def _value(section: str, key: str) -> str:
    m = re.search(rf"(?m)^\s*{re.escape(key)}:\s*(.+?)\s*$", section)
    return m.group(1) if m else ""


def parse_show_license(text: str) -> list[LicenseEntry]:
    """Classic IOS `show license`: one block per `Index N Feature: X`."""
    entries = []
    starts = list(_INDEX.finditer(text))
    for i, m in enumerate(starts):
        block = text[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        fields = {k: v for k, v in _FIELD.findall(block)}
        state, left, kind = fields.get("License State", ""), fields.get("Period left", ""), fields.get(
            "License Type", "")
        low = state.lower()
        in_use = None if not state else ("in use" in low and "not in use" not in low)
        evaluation = "eval" in kind.lower()
        expired = evaluation and ("expired" in f"{low} {left.lower()}" or bool(
            re.fullmatch(r"0\s+minutes?\s+0\s+seconds?", left.strip())))
        entries.append(LicenseEntry(m.group(1), kind, state, left, in_use, expired))
    return entries


def _account(value: str) -> str:
    """"Eg-SA As of Dec 03 15:26:02 2021 UTC" -> "Eg-SA"; "<none>" -> ""."""
    value = re.sub(r"\s+As of .*$", "", value).strip()
    return "" if value.lower() in ("<none>", "<empty>", "") else value


def parse_license_status(text: str, out: Licensing) -> None:
    """`show license status`: Smart Licensing on or off, registration, accounts, authorization, reservation;
    or, on IOS-XE 17.3.2 and later, Smart Licensing Using Policy (an account and a trust code, no registration)."""
    policy = re.search(r"(?m)^Smart Licensing Using Policy:\s*\n\s+Status:\s*(\S+)", text)
    if policy is not None:
        out.policy = True
        out.smart_enabled = policy.group(1).upper() == "ENABLED"
        account = _section(text, "Account Information")
        out.smart_account = _account(_value(account, "Smart Account"))
        out.virtual_account = _account(_value(account, "Virtual Account"))
        trust = re.search(r"(?m)^Trust Code Installed:\s*(.+?)\s*$", text)
        out.trust_code = _account(trust.group(1)) if trust else ""
        out.registration = "ACCOUNT " + out.smart_account if out.smart_account else "NO ACCOUNT"
        return
    smart = _SMART.search(text)
    if smart is None:
        return
    out.smart_enabled = smart.group(1) == "ENABLED"
    reg = _section(text, "Registration")
    out.registration = _value(reg, "Status")
    out.smart_account = _value(reg, "Smart Account")
    out.virtual_account = _value(reg, "Virtual Account")
    out.authorization = _value(_section(text, "License Authorization"), "Status")
    res = re.search(r"(?mi)^\s*License Reservation is ENABLED\b(.*)$", text)
    if res:
        out.reservation = (res.group(1).strip(" ()") or "enabled")


def version_licensing(text: str, out: Licensing) -> None:
    """Licence level (classic IOS) or technology package (IOS-XE) and the Smart status `show version` gives."""
    level, nxt = _LEVEL.search(text), _NEXT.search(text)
    if level:
        out.level = level.group(1)
        kind = re.search(r"(?m)^License Type:\s*(.+?)\s*$", text)
        out.entries.append(LicenseEntry(level.group(1), kind.group(1) if kind else "", "Active, In Use",
                                        in_use=True))
    if nxt:
        out.next_level = nxt.group(1)
    tech = re.search(r"(?ms)^Technology-package\s+Technology-package.*?^-+\s*\n(.+?)$", text)
    if tech and not out.level:
        cells = [c.strip() for c in re.split(r"\t|\s{2,}", tech.group(1).strip()) if c.strip()]
        if cells and cells[0].lower() != "none":
            out.level = cells[0]
            out.next_level = cells[-1] if len(cells) > 2 else ""
            out.entries.append(LicenseEntry(cells[0], cells[1] if len(cells) > 1 else "", "Active, In Use",
                                            in_use=True))
    isr = re.search(r"(?ms)^Technology\s+Technology-package\s+Technology-package\s*$.*?^-+\s*\n(.*?)(?:\n\s*\n|\Z)",
                    text)
    if isr and not out.level:  # ISR 4000: one row per technology (Technology, Current, Type, Next reboot)
        for row in isr.group(1).splitlines():
            cells = row.split()
            if len(cells) >= 3 and cells[1].lower() != "none":
                kind = cells[2]
                out.entries.append(LicenseEntry(cells[1], kind, "Active, In Use", in_use=True,
                                                expired="expired" in row.lower()))
                out.level = out.level or cells[1]
    smart = _SMART_IN_VERSION.search(text)
    if smart and out.smart_enabled is None:
        words = smart.group(1).upper()
        out.smart_enabled = True
        out.registration = words.split("/")[0]
        out.authorization = words.split("/", 1)[1] if "/" in words else ""


class CiscoIosLicensing:
    """The licence reader the cisco_ios collector composes."""

    async def license(self, ctx: TestContext) -> Licensing:
        out = Licensing()
        version = await run_classified(ctx, DATA, "show version")
        if not version.ok:
            out.problems.append(version.problem)
            return out
        version_licensing(version.text, out)
        classic = await run_classified(ctx, DATA, "show license", fresh=True)
        if classic.ok:
            out.evidence["show license"] = sanitize(classic.text)[:_KEEP]
            entries = parse_show_license(classic.text)
            if entries:  # the fuller account of the same licences: it replaces show version's line
                listed = {e.feature for e in entries}
                out.entries = entries + [e for e in out.entries if e.feature not in listed]
        elif classic.kind == "lost":
            out.problems.append(classic.problem)
            return out
        status = await run_classified(ctx, DATA, "show license status", fresh=True)
        if status.ok:
            out.evidence["show license status"] = sanitize(status.text)[:_KEEP]
            parse_license_status(status.text, out)
        elif status.kind != "refused":
            out.problems.append(status.problem)
        return out
