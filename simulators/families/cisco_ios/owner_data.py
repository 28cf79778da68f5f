"""What a unit keeps beyond its configuration, as the Catalyst and ISR families simulate it: licences and
Smart Licensing, RSA keys, PKI trustpoints and the certificates in NVRAM, the messages a unit prints when it
doubts its own hardware, a cold boot that never comes up, and IOS-XE's `factory-reset all secure`.

The state lives on the device (`OwnerData`); the CLI session (cli.py) hands this module the commands it
answers. Faults: `smart_license_registered`, `leftover_crypto_keys`, `not_genuine_message`, `cold_boot_fail@N`.
`write erase` leaves keys, certificates and licences alone, as on the real units: that is why a wipe as
thorough as the vendor's own needs `crypto key zeroize`, the trustpoints removed and `license smart deregister`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulators.families.cisco_ios.device import Device

# The real IOS text of an unauthenticated unit (Image Licensing Enforcement, ILET) and of a failed ID-PROM check.
NOT_GENUINE_LOGS = (
    "%ILET-1-AUTHENTICATION_FAIL: This {kind} may not have been manufactured by Cisco or with Cisco's "
    "authorization.  This product may contain software that was copied in violation of Cisco's license terms.  "
    "If your use of this product is the cause of a support issue, Cisco may deny operation of the product, "
    "support under your warranty or under a Cisco technical support program such as Smartnet.  Please contact "
    "Cisco's Technical Assistance Center for more information.",
    "%ILET-1-DEVICE_AUTHENTICATION_FAIL: {kind} 1: This product may not be a genuine Cisco product: "
    "ID-PROM authentication failed",
)


@dataclass
class TraditionalLicense:
    feature: str
    kind: str  # Permanent, Evaluation, RightToUse
    state: str  # "Active, In Use", "Not in Use", ...
    period_left: str = "Life time"


@dataclass
class RsaKey:
    name: str
    bits: int = 2048
    usage: str = "General Purpose Key"


@dataclass
class Trustpoint:
    name: str
    subject: str
    ca_subject: str
    serial: str  # of the unit's own certificate (hex)
    ca_serial: str

    @property
    def files(self) -> list[str]:
        """The certificates IOS keeps for it in NVRAM (`nvram:<name>#<serial>.cer`, name cut to 11)."""
        return [f"{self.name[:11]}#{self.ca_serial}CA.cer", f"{self.name[:11]}#{self.serial}.cer"]


@dataclass
class OwnerData:
    licenses: list[TraditionalLicense] = field(default_factory=list)
    smart_enabled: bool = False
    registered_to: tuple[str, str] | None = None  # (Smart Account, Virtual Account)
    reservation: str = ""  # "" or the reservation in force ("SPECIFIC", "UNIVERSAL")
    eval_left_days: int | None = None  # Smart Licensing evaluation period left; 0: expired
    package: str = ""  # IOS-XE technology package (network-advantage, ipbase, ...)
    rsa_keys: list[RsaKey] = field(default_factory=list)
    trustpoints: list[Trustpoint] = field(default_factory=list)
    nvram_certs: dict[str, int] = field(default_factory=dict)  # *.cer file -> size
    not_genuine: bool = False
    failing_cold_boot: int | None = None  # cold_boot_fail@N: that cold boot never comes up
    cold_boots: int = 0
    factory_reset_done: bool = False  # `factory-reset all secure` ran (IOS-XE): its log says so after reload
    member_flash: dict[int, dict[str, int]] = field(default_factory=dict)  # stack member n -> its flash files


def build(dev: Device) -> OwnerData:
    """A unit's licences as it ships, then what the faults leave on it."""
    s = dev.spec
    od = OwnerData()
    if s.variant == "ios":
        base = "lanbase" if s.platform == "C2960X" else "ipbase"
        od.licenses = [TraditionalLicense(base, "Permanent", "Active, In Use")]
        if s.platform != "C2960X":  # 3750-X: ipservices offered on evaluation, never activated
            od.licenses.append(TraditionalLicense("ipservices", "Evaluation", "Not in Use, EULA not accepted",
                                                  "Not Activated"))
    else:  # IOS-XE 16.x: Smart Licensing is always on; an unregistered unit counts its evaluation days
        od.smart_enabled = True
        od.eval_left_days = 88
        od.package = "network-advantage" if s.variant == "iosxe_switch" else "ipbase"
    names = {f.name: f for f in dev.faults}
    if "smart_license_registered" in names:
        od.smart_enabled = True
        od.registered_to = ("ACME Corp", "Campus-Switching")
        od.eval_left_days = None
    if "leftover_crypto_keys" in names:
        host = "ACME-IDF3-SW12.corp.acme.example"
        od.rsa_keys = [RsaKey(host), RsaKey("ACME-VPN", 4096)]
        tp = Trustpoint("ACME-ISSUING-CA", f"hostname={host}", "cn=ACME Issuing CA, o=ACME Corp", "2C11", "4E1F")
        od.trustpoints = [tp]
        od.nvram_certs = {tp.files[0]: 789, tp.files[1]: 912}
    if "not_genuine_message" in names:
        od.not_genuine = True
    if "cold_boot_fail" in names:
        od.failing_cold_boot = names["cold_boot_fail"].count
    # Every other stack member has a flash of its own: its copy of the image, and what an owner left there.
    for n in range(2, s.stack_members + 1):
        od.member_flash[n] = {s.image_file: s.image_size, "multiple-fs": 676}
        if "leftover_config" in names:
            od.member_flash[n]["acme-backup.cfg"] = 4211
    return od


def after_boot(dev: Device, reason: str) -> None:
    """A reload: a power-on counts as a cold boot; what the unit logs at every boot (its buffer starts afresh)."""
    od = dev.owner
    if reason == "power-on":
        od.cold_boots += 1
    if od.not_genuine:
        kind = "Router" if dev.spec.variant == "iosxe_router" else "Switch"
        for text in NOT_GENUINE_LOGS:
            dev.log(text.format(kind=kind))
    if od.factory_reset_done:
        dev.log(FACTORY_RESET_LOG)
        od.factory_reset_done = False


def cold_boot_hangs(dev: Device) -> bool:
    """This boot is a cold boot the `cold_boot_fail@N` fault stops (counted by Device.reload)."""
    return dev.owner.failing_cold_boot is not None and dev.owner.cold_boots == dev.owner.failing_cold_boot


# ---------------------------------------------------------------- licences
def show_license(dev: Device) -> str:
    """Classic IOS `show license`: the traditional (right-to-use, permanent, evaluation) licences."""
    od = dev.owner
    if not od.licenses:
        return " " * 5 + "^\n% Invalid input detected at '^' marker.\n\n"
    out = []
    for i, lic in enumerate(od.licenses, 1):
        out += [f"Index {i} Feature: {lic.feature}", f"        Period left: {lic.period_left}",
                f"        License Type: {lic.kind}", f"        License State: {lic.state}",
                "        License Priority: " + ("Medium" if lic.kind == "Permanent" else "None"),
                "        License Count: Non-Counted", ""]
    return "\n".join(out) + "\n"


def _registration(od: OwnerData) -> list[str]:
    if od.registered_to:
        account, virtual = od.registered_to
        return ["Registration:", "  Status: REGISTERED", f"  Smart Account: {account}",
                f"  Virtual Account: {virtual}", "  Export-Controlled Functionality: ALLOWED",
                "  Initial Registration: SUCCEEDED on Mar 02 2019 10:12:01 UTC",
                "  Last Renewal Attempt: FAILED on Mar 01 1993 00:00:41 UTC",
                "    Failure reason: Fail to send out Call Home HTTP message.",
                "  Next Renewal Attempt: Mar 01 1993 00:15:41 UTC",
                "  Registration Expires: Sep 01 2020 10:12:01 UTC", ""]
    return ["Registration:", "  Status: UNREGISTERED", "  Export-Controlled Functionality: NOT ALLOWED", ""]


def _authorization(od: OwnerData) -> list[str]:
    if od.registered_to:
        return ["License Authorization: ", "  Status: AUTHORIZED on Mar 01 1993 00:00:41 UTC", ""]
    if od.eval_left_days:
        return ["License Authorization: ", "  Status: EVALUATION MODE",
                f"  Evaluation Period Remaining: {od.eval_left_days} days, 3 hours, 12 minutes, 5 seconds", ""]
    return ["License Authorization: ", "  Status: EVAL EXPIRED on Mar 01 1993 00:00:41 UTC", ""]


def _smart_disabled() -> str:
    return "Smart Licensing is DISABLED\n"


def show_license_status(dev: Device) -> str:
    od = dev.owner
    if not od.smart_enabled:
        return _smart_disabled()
    out = ["", "Smart Licensing is ENABLED", "", "Utility:", "  Status: DISABLED", "",
           "Data Privacy:", "  Sending Hostname: yes", "    Callhome hostname privacy: DISABLED", "",
           "Transport:", "  Type: Callhome", ""]
    out += _registration(od) + _authorization(od)
    out += ["License Conversion:", "  Automatic Conversion Enabled: False", "  Status: Not started", "",
            "Export Authorization Key:", "  Features Authorized:", "    <none>", ""]
    if od.reservation:
        out += [f"License Reservation is ENABLED ({od.reservation.title()} License Reservation)", ""]
    return "\n".join(out) + "\n"


def show_license_summary(dev: Device) -> str:
    od = dev.owner
    if not od.smart_enabled:
        return _smart_disabled()
    status = "AUTHORIZED" if od.registered_to else ("EVAL MODE" if od.eval_left_days else "EVAL EXPIRED")
    pkg = od.package or (od.licenses[0].feature if od.licenses else "lanbase")
    out = ["", "Smart Licensing is ENABLED", ""] + _registration(od)[:4] + [""] + _authorization(od)[:2] + [
        "", "License Usage:", "  License                 Entitlement tag               Count Status",
        "  -----------------------------------------------------------------------------",
        f"  {pkg:<23} ({dev.spec.platform} {pkg})" + " " * 6 + f"1 {status}", ""]
    return "\n".join(out) + "\n"


def smart_status_word(dev: Device) -> str:
    """`show version`'s "Smart Licensing Status:" on IOS-XE."""
    od = dev.owner
    if od.registered_to:
        return "REGISTERED/AUTHORIZED"
    return "UNREGISTERED/EVAL MODE" if od.eval_left_days else "UNREGISTERED/EVAL EXPIRED"


def _deregister(dev: Device) -> str:
    od = dev.owner
    if not od.smart_enabled:
        return "% Smart Licensing is not enabled\n"
    if od.registered_to is None:
        return "% Device is not registered\n"
    od.registered_to = None
    od.eval_left_days = 0  # back to its (long used up) evaluation period
    dev.log("%SMART_LIC-6-AGENT_DEREGISTERED: Smart Agent for Licensing has been deregistered from the CSSM")
    return ""


# ---------------------------------------------------------------- crypto material
def _key_data(name: str, bits: int) -> list[str]:
    digest = hashlib.sha256(f"{name}:{bits}".encode()).hexdigest().upper()
    words = [digest[i:i + 8] for i in range(0, 64, 8)]
    return ["  " + " ".join(words[:6]), "  " + " ".join(words[6:] + words[:4])]


def show_rsa_keys(dev: Device) -> str:
    out = []
    for k in dev.owner.rsa_keys:
        out += ["% Key pair was generated at: 10:12:01 UTC Mar 2 2019", f"Key name: {k.name}",
                "Key type: RSA KEYS", " Storage Device: private-config", f" Usage: {k.usage}",
                " Key is not exportable. Redundancy enabled.", " Key Data:", *_key_data(k.name, k.bits)]
    return "\n".join(out) + ("\n" if out else "")


def show_trustpoints(dev: Device) -> str:
    out = []
    for tp in dev.owner.trustpoints:
        out += [f"Trustpoint {tp.name}:", "    Subject Name: ", f"    {tp.ca_subject}",
                f"          Serial Number (hex): {tp.ca_serial}", "    Certificate configured.", ""]
    return "\n".join(out) + ("\n" if out else "")


def show_certificates(dev: Device) -> str:
    out = []
    for tp in dev.owner.trustpoints:
        out += ["Certificate", "  Status: Available", f"  Certificate Serial Number (hex): {tp.serial}",
                "  Certificate Usage: General Purpose", "  Issuer: ", f"    {tp.ca_subject}", "  Subject:",
                f"    Name: {tp.subject.split('=', 1)[-1]}", f"    {tp.subject}", "  Validity Date: ",
                "    start date: 10:12:01 UTC Mar 2 2019", "    end   date: 10:12:01 UTC Mar 1 2024",
                f"  Associated Trustpoints: {tp.name} ", "",
                "CA Certificate", "  Status: Available", f"  Certificate Serial Number (hex): {tp.ca_serial}",
                "  Certificate Usage: Signature", "  Issuer: ", f"    {tp.ca_subject}", "  Subject: ",
                f"    {tp.ca_subject}", f"  Associated Trustpoints: {tp.name} ", ""]
    return "\n".join(out) + ("\n" if out else "")


def dir_nvram(dev: Device) -> str:
    od = dev.owner
    rows = [("-rw-", 1864 if dev.startup is not None else 0, "startup-config"),
            ("----", 2072 if dev.startup is not None else 0, "private-config"),
            ("-rw-", 1864 if dev.startup is not None else 0, "underlying-config"),
            ("----", 66, "persistent-data")]
    rows += [("-rw-", size, name) for name, size in od.nvram_certs.items()]
    out = ["Directory of nvram:/", ""]
    for i, (perm, size, name) in enumerate(rows, 1):
        out.append(f"{i:>5}  {perm} {size:>12}                    <no date>  {name}")
    used = sum(size for _, size, _ in rows)
    out += ["", f"524288 bytes total ({524288 - used} bytes free)"]
    return "\n".join(out) + "\n"


def _member_prefix(dev: Device) -> str:
    """Member file systems: `flash2:` on classic IOS stacks, `flash-2:` on IOS-XE."""
    return "flash" if dev.spec.variant == "ios" else "flash-"


def _member(dev: Device, arg: str) -> int | None:
    m = re.fullmatch(rf"{re.escape(_member_prefix(dev))}(\d+):.*", arg.strip().lower())
    return int(m.group(1)) if m and int(m.group(1)) in dev.owner.member_flash else None


def show_file_systems(dev: Device) -> str:
    total = 122_185_728
    rows = [("*", "flash", "flash:")] + [(" ", "flash", f"{_member_prefix(dev)}{n}:") for n in dev.owner.member_flash]
    rows += [(" ", "nvram", "nvram:"), (" ", "opaque", "system:"), (" ", "network", "tftp:")]
    out = ["File Systems:", "", "       Size(b)       Free(b)      Type  Flags  Prefixes"]
    for mark, kind, prefix in rows:
        size = f"{total:>13} {total // 3:>13}" if kind == "flash" else (f"{524288:>13} {518422:>13}"
                                                                       if kind == "nvram" else " " * 27 + "-")
        out.append(f"{mark}{size} {kind:>9}     rw   {prefix}")
    return "\n".join(out) + "\n"


def _dir_member(dev: Device, n: int) -> str:
    files = dev.owner.member_flash[n]
    shown = f"{_member_prefix(dev)}{n}:/"
    out = [f"Directory of {shown}", ""]
    for i, (name, size) in enumerate(files.items(), 2):
        out.append(f"{i:>5}  -rwx {size:>12}  {'Mar 1 1993 00:02:11 +00:00':>26}  {name}")
    total = 122_185_728
    out += ["", f"{total} bytes total ({total - sum(files.values())} bytes free)"]
    return "\n".join(out) + "\n"


def _delete_member(dev: Device, n: int, rest: str) -> str:
    target = next((a for a in rest.split() if _member(dev, a) == n), "")
    name = target.split(":", 1)[1].lstrip("/")
    if name not in dev.owner.member_flash[n]:
        return f"%Error deleting {target} (No such file or directory)\n"
    del dev.owner.member_flash[n][name]
    return ""


def _delete_nvram(dev: Device, rest: str) -> str:
    target = next((a for a in rest.split() if a.lower().startswith("nvram:")), "")
    name = target.split(":", 1)[1].lstrip("/")
    if name not in dev.owner.nvram_certs:
        return f"%Error deleting nvram:{name} (No such file or directory)\n"
    del dev.owner.nvram_certs[name]
    return ""


def _zeroize(dev: Device) -> str:
    dev.owner.rsa_keys = []
    dev.log("%SSH-5-DISABLED: SSH 2.0 has been disabled")
    return ""


def _remove_trustpoint(dev: Device, name: str) -> str:
    od = dev.owner
    tp = next((t for t in od.trustpoints if t.name == name), None)
    if tp is None:
        return ""
    od.trustpoints.remove(tp)
    for f in tp.files:
        od.nvram_certs.pop(f, None)
    return "% Be sure to ask the CA administrator to revoke your certificates.\n"


# ---------------------------------------------------------------- factory reset (IOS-XE 16.x and later)
def _factory_reset(dev: Device) -> None:
    """Everything the owner left: configuration, VLANs, keys, certificates, licences, user files; then reload."""
    od = dev.owner
    dev.write_erase()
    dev.running = type(dev.running)()
    od.rsa_keys, od.trustpoints, od.nvram_certs = [], [], {}
    for files in od.member_flash.values():  # every member's flash too
        for name in [n for n in files if n != dev.spec.image_file and not n.endswith(".pkg")]:
            del files[name]
    od.registered_to, od.reservation = None, ""
    keep = {dev.spec.image_file, "packages.conf"}
    for name in [n for n in dev.flash if n not in keep and not n.endswith(".pkg")]:
        del dev.flash[name]
    od.factory_reset_done = True
    dev.reload("Factory Reset")


FACTORY_RESET_LOG = ("%FACTORY_RESET-5-COMPLETE: Factory reset operation completed: all secure "
                     "(NIST SP 800-88 Rev. 1 purge of flash, NVRAM and license store)")


# ---------------------------------------------------------------- the session's commands
EXEC: list[tuple[str, ...]] = [
    ("show", "license"), ("show", "license", "all"), ("show", "license", "summary"), ("show", "license", "status"),
    ("show", "crypto", "key", "mypubkey", "rsa"), ("show", "crypto", "pki", "certificates"),
    ("show", "crypto", "pki", "trustpoints"), ("license", "smart", "deregister"),
    ("factory-reset", "all", "secure"), ("show", "file", "systems"),
]
SHOW: dict[tuple[str, ...], Callable[[Any], str]] = {
    ("license",): show_license, ("license", "all"): show_license, ("license", "summary"): show_license_summary,
    ("license", "status"): show_license_status, ("crypto", "key", "mypubkey", "rsa"): show_rsa_keys,
    ("crypto", "pki", "certificates"): show_certificates, ("crypto", "pki", "trustpoints"): show_trustpoints,
    ("file", "systems"): show_file_systems,
}


def exec_command(session: Any, words: tuple[str, ...], rest: str) -> str | None:
    """The exec commands this module answers (None: not one of them)."""
    dev = session.dev
    if words[0] == "dir" and rest.strip().lower().startswith("nvram:"):
        return dir_nvram(dev)
    if words[0] == "delete" and "nvram:" in rest.lower():
        return _delete_nvram(dev, rest)
    member = next((n for a in rest.split() if (n := _member(dev, a)) is not None), None)
    if words[0] == "dir" and member is not None:
        return _dir_member(dev, member)
    if words[0] == "delete" and member is not None and "/force" in rest:
        return _delete_member(dev, member, rest)
    if words == ("license", "smart", "deregister"):
        return _deregister(dev)
    if words == ("factory-reset", "all", "secure"):
        if dev.spec.variant == "ios":
            return session._error("factory-reset all secure", _invalid())
        def go(answer: str) -> str:
            if answer.strip().lower() not in ("", "y", "yes"):
                return "\n"
            _factory_reset(dev)
            session.state = "rebooting" if session.console else "closed"
            return "\nFactory reset: secure erase of flash, NVRAM and license store... done\n"
        return session._ask("The factory reset operation is irreversible for securely reset all. "
                            "Are you sure? [confirm]", go)
    return None


def _invalid() -> Any:
    from simulators.line import ParseError

    return ParseError("invalid", 0)


def config_command(session: Any, keyword: str, args: list[str]) -> str | None:
    """Global configuration lines this module answers (None: not one of them)."""
    dev = session.dev
    od = dev.owner
    if keyword == "crypto" and args[:2] == ["key", "zeroize"]:
        if not od.rsa_keys:
            return "% No Signature RSA Keys found in configuration.\n"
        def zeroize(answer: str) -> str:
            return _zeroize(dev) if answer.strip().lower() in ("y", "yes") else ""
        return session._ask("% All keys will be removed.\n% All router certs issued using these keys will also be "
                            "removed.\nDo you really want to remove these keys? [yes/no]: ", zeroize)
    if keyword == "no" and args[:3] == ["crypto", "pki", "trustpoint"] and len(args) > 3:
        name = args[3]
        if not any(t.name == name for t in od.trustpoints):
            return f"% Trustpoint {name} not found\n"
        def remove(answer: str) -> str:
            return _remove_trustpoint(dev, name) if answer.strip().lower() in ("y", "yes") else ""
        return session._ask("% Removing an enrolled trustpoint will destroy all certificates\n received from the "
                            "related Certificate Authority.\n\nAre you sure you want to do this? [yes/no]: ", remove)
    if keyword == "no" and args[:3] == ["license", "smart", "enable"]:
        if od.registered_to is not None:
            return "% Deregister the device first: license smart deregister\n"
        if dev.spec.variant != "ios":
            return "% Smart Licensing cannot be disabled on this platform\n"
        od.smart_enabled = False
        return ""
    if keyword == "license" and args[:2] == ["smart", "enable"]:
        od.smart_enabled = True
        return ""
    return None


def config_lines(dev: Device) -> list[str]:
    """What the running/startup configuration shows of this state."""
    out = []
    for tp in dev.owner.trustpoints:
        out += [f"crypto pki trustpoint {tp.name}", " enrollment terminal", f" subject-name {tp.subject}",
                " revocation-check none", "!"]
    if dev.owner.smart_enabled and dev.spec.variant == "ios":
        out += ["license smart enable", "!"]
    return out
