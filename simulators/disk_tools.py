"""The disk tools of the simulated live image: hdparm, nvme-cli, sg3_utils, blockdev, dd, cmp.

`dd` and `cmp` are the real programs, run on the real bytes behind each simulated disk
(simulators.block_devices: a loop device, or the sparse file). What a loop device cannot do (ATA
security erase and sanitize, NVMe sanitize and format, SCSI SANITIZE and FORMAT UNIT, a frozen security
state, a Host Protected Area) is answered here in the tools' own words, and its effect on the bytes is
real: a purge zeroes the media; a failing disk stops half-way.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

from simulators.block_devices import zero_range
from simulators.families.linux_server.device import Disk, Server

SECTOR = 512
SAS_KINDS = ("sas_hdd", "sas_ssd")
# SCSI SANITIZE service actions (SBC-3): 1 overwrite, 2 block erase, 3 cryptographic erase.
SANITIZE_ACTIONS = {"sas_hdd": {1}, "sas_ssd": {1, 2, 3}}
SANITIZE_NAMES = {1: "Sanitize, overwrite", 2: "Sanitize, block erase", 3: "Sanitize, cryptographic erase"}
ERASE_PASSWORD_FLAGS = ("--security-erase", "--security-erase-enhanced", "--security-set-pass")


def lspci(srv: Server) -> str:
    lines = ["00:00.0 Host bridge: Intel Corporation Sky Lake-E DMI3 Registers (rev 04)",
             "00:17.0 SATA controller: Intel Corporation C620 Series Chipset Family SATA Controller [AHCI mode] "
             "(rev 09)"]
    if srv.hidden_disks:
        lines.append("18:00.0 RAID bus controller: Broadcom / LSI MegaRAID SAS-3 3108 [Invader] (rev 02)")
    lines.append("3b:00.0 Non-Volatile memory controller: Samsung Electronics Co Ltd NVMe SSD Controller 172Xb")
    return "\n".join(lines) + "\n"


class DiskTools:
    def __init__(self, srv: Server) -> None:
        self.srv = srv

    def handlers(self) -> dict[str, Callable[[list[str]], tuple[str, int]]]:
        """The disk tools by command name, for the shell's dispatch."""
        return {"hdparm": self.hdparm, "nvme": self.nvme, "blockdev": self.blockdev, "dd": self.dd, "cmp": self.cmp,
                "sg_opcodes": self.sg_opcodes, "sg_sanitize": self.sg_sanitize, "sg_format": self.sg_format}

    def disk(self, path: str) -> Disk | None:
        return next((d for d in self.srv.disks if path in (f"/dev/{d.name}", f"/dev/{d.ctrl}")), None)

    # ------------------------------------------------------------ blockdev
    def blockdev(self, a: list[str]) -> tuple[str, int]:
        d = self.disk(a[-1]) if a else None
        if d is None:
            return f"blockdev: cannot open {a[-1] if a else ''}: No such file or directory\n", 1
        if "--getsize64" in a:
            return f"{d.visible}\n", 0
        if "--getss" in a:
            return f"{SECTOR}\n", 0
        return "blockdev: Unknown command\n", 1

    # ------------------------------------------------------------ hdparm
    def hdparm(self, a: list[str]) -> tuple[str, int]:
        dev = a[-1] if a else ""
        d = self.disk(dev)
        if d is None or d.nvme or d.spec.kind in ("raid", *SAS_KINDS):
            return f"{dev}: No such file or directory\n" if d is None else (
                f"\n{dev}:\nSG_IO: bad/missing sense data, sb[]:  70 00 05 00 00 00 00 0a 00 00 00 00 24 00\n"), \
                (2 if d is None else 22)
        head = f"\n{dev}:\n"
        if a[:1] == ["-I"]:
            return head + identify(d), 0
        if a[:1] == ["-N"] and len(a) == 2:
            return head + max_sectors(d), 0
        if a[:1] == ["-N"] and len(a) >= 3:
            want = a[1]
            if "--yes-i-know-what-i-am-doing" not in a:
                return head + "Use of -N requires --yes-i-know-what-i-am-doing\n", 1
            permanent = want.startswith("p")
            sectors = int(want.lstrip("p")) if want.lstrip("p").isdigit() else -1
            if sectors * SECTOR > d.size or sectors <= 0:
                return head + f" setting max visible sectors to {sectors}\nSET_MAX_ADDRESS: Invalid argument\n", 22
            if d.frozen:
                return head + f" setting max visible sectors to {sectors}\nSET_MAX_ADDRESS: Input/output error\n", 5
            d.hpa_bytes = d.size - sectors * SECTOR
            return head + (f" setting max visible sectors to {sectors} ({'permanent' if permanent else 'temporary'})"
                           f"\n{max_sectors(d)}"), 0
        if any(f in a for f in ERASE_PASSWORD_FLAGS):
            return self._security(d, dev, a)
        if "--sanitize-status" in a:
            state = {"never": "Never sanitized", "done": "Last Sanitize Operation Completed Without Error",
                     "failed": "Sanitize operation failed"}[d.sanitize_state]
            return head + f"Issuing SANITIZE_STATUS command\nSanitize status:\n    State:    SD2 Sanitize " \
                          f"operation Idle\n    {state}\n", 0
        action = next((x for x in a if x.startswith("--sanitize-")), "")
        if action in ("--sanitize-block-erase", "--sanitize-crypto-scramble", "--sanitize-overwrite"):
            if "--yes-i-know-what-i-am-doing" not in a:
                return head + "You are trying to sanitize the device. Use --yes-i-know-what-i-am-doing.\n", 1
            name = action[2:].upper().replace("-", "_")
            if d.frozen:
                return head + f"Issuing {name} command\n{name}: Input/output error\n", 5
            if d.spec.kind == "sata_hdd" and action != "--sanitize-overwrite":
                return head + f"Issuing {name} command\n{name}: Invalid argument\n", 22
            if not self._purge(d):
                d.sanitize_state = "failed"
                return head + f"Issuing {name} command\nOperation started in background\n", 0
            d.sanitize_state = "done"
            return head + (f"Issuing {name} command\nOperation started in background\n"
                           "You may use `--sanitize-status` to check progress\n"), 0
        return head + " (no operation)\n", 0

    def _security(self, d: Disk, dev: str, a: list[str]) -> tuple[str, int]:
        password = next((a[i + 1] for i, x in enumerate(a) if x in ERASE_PASSWORD_FLAGS and i + 1 < len(a)), "")
        head = f'security_password: "{password}"\n\n{dev}:\n'
        if "--security-set-pass" in a:
            issue = f' Issuing SECURITY_SET_PASS command, password="{password}", user=user, mode=high\n'
            if d.frozen:
                return head + issue + "SECURITY_SET_PASS: Input/output error\n", 5
            d.security_password = password
            return head + issue, 0
        enhanced = "--security-erase-enhanced" in a
        issue = f' Issuing SECURITY_ERASE command, password="{password}", user=user\n'
        if d.frozen or not d.security_password or password != d.security_password:
            return head + issue + "SECURITY_ERASE: Input/output error\n", 5
        if enhanced and d.spec.kind == "sata_hdd":
            return head + issue + "SECURITY_ERASE: Invalid argument\n", 22
        if not self._purge(d):
            return head + issue + "SECURITY_ERASE: Input/output error\n", 5
        d.security_password = ""  # a completed erase disables security again
        return head + issue, 0

    def _purge(self, d: Disk) -> bool:
        """Zero the media (every byte, hidden area included, as the drive's own erase does); a disk
        under erase_fails gives up half-way and says False."""
        backing = self.srv.backing(d)
        if d.fails_writes:
            zero_range(backing, 0, d.size // 2)
            return False
        zero_range(backing, 0, d.size)
        return True

    # ------------------------------------------------------------ nvme-cli
    def nvme(self, a: list[str]) -> tuple[str, int]:
        sub, dev = (a[0] if a else ""), next((x for x in a if x.startswith("/dev/")), "")
        d = self.disk(dev)
        if d is None or not d.nvme:
            return f"Failed to open {dev}: No such file or directory\n" if d is None else \
                f"{dev} is not a nvme device\n", 1
        if sub == "id-ctrl":
            doc = {"vid": 5197, "ssvid": 4136, "sn": d.serial, "mn": d.spec.model, "fr": d.spec.firmware,
                   "oacs": 0x1E, "fna": 4, "sanicap": 3, "tnvmcap": d.size, "nn": 1}
            return json.dumps(doc, indent=2) + "\n", 0
        if sub == "sanitize-log":
            status = {"never": 0, "done": 0x101, "failed": 3}[d.sanitize_state]
            doc = {"sprog": 65535 if d.sanitize_state != "never" else 0, "sstat": status, "cdw10_info": 4,
                   "time_over_write": 4294967295, "time_block_erase": 60, "time_crypto_erase": 10}
            return json.dumps({d.ctrl: doc}, indent=2) + "\n", 0
        if sub == "sanitize":
            action = next((x.split("=", 1)[1] for x in a if x.startswith("--sanact=")), "")
            if not action and "-a" in a and a.index("-a") + 1 < len(a):
                action = a[a.index("-a") + 1]
            if action not in ("2", "4"):
                return "NVMe status: Invalid Field in Command: A reserved coded value or an unsupported value in " \
                       "a defined field(0x2002)\n", 1
            d.sanitize_state = "done" if self._purge(d) else "failed"
            return "", 0
        if sub == "format":
            ses = next((x.split("=", 1)[1] for x in a if x.startswith("--ses=")), "0")
            if ses not in ("1", "2"):
                return "Success formatting namespace:1\n", 0  # no secure erase asked: nothing erased
            if not self._purge(d):
                return "NVMe status: Internal Error: The command was not completed successfully due to an internal " \
                       "error(0x6006)\n", 1
            return "Success formatting namespace:1\n", 0
        return f"nvme: unknown or unsupported command '{sub}'\n", 1

    # ------------------------------------------------------------ sg3_utils (SAS drives)
    def _inquiry(self, d: Disk) -> str:
        vendor, _, product = d.spec.model.partition(" ")
        return f"    {vendor:<8}  {product:<16}  {d.spec.firmware}\n"

    def sg_opcodes(self, a: list[str]) -> tuple[str, int]:
        dev = a[-1] if a else ""
        d = self.disk(dev)
        if d is None:
            return f"sg_opcodes: error opening file: {dev}: No such file or directory\n", 15
        if d.spec.kind not in SAS_KINDS:  # libata's SAT answers no REPORT SUPPORTED OPERATION CODES
            return self._inquiry(d) + "RSOC: Illegal request, Invalid opcode\n", 5
        op = next((x.split("=", 1)[1] for x in a if x.startswith("--opcode=")), "")
        code, _, sa = op.partition(",")
        if code.lower() not in ("0x48", "48h", "72") or not sa:
            return self._inquiry(d) + "RSOC: Illegal request, Invalid field in cdb\n", 5
        action = int(sa, 0) if sa.lower().startswith("0x") or sa.isdigit() else -1
        name = SANITIZE_NAMES.get(action, "Sanitize")
        how = "is supported [conforming to SCSI standard]" if action in SANITIZE_ACTIONS[d.spec.kind] else \
            "NOT supported"
        return self._inquiry(d) + f"\n  Opcode=0x48  Service_action=0x{max(action, 0):04x}\n  Command_name: {name}\n" \
            f"  Command {how}\n", 0

    def sg_sanitize(self, a: list[str]) -> tuple[str, int]:
        dev = a[-1] if a else ""
        d = self.disk(dev)
        if d is None:
            return f"sg_sanitize: error opening file: {dev}: No such file or directory\n", 15
        action = {"--overwrite": 1, "--block": 2, "--crypto": 3}
        chosen = [n for flag, n in action.items() if flag in a]
        if len(chosen) != 1:
            return "one and only one of '--block', '--crypto', '--fail' or '--overwrite' please\n", 1
        if d.spec.kind not in SAS_KINDS:
            return self._inquiry(d) + "Sanitize command not supported\n", 9
        if chosen[0] not in SANITIZE_ACTIONS[d.spec.kind]:
            return self._inquiry(d) + "Sanitize command: Illegal request, Invalid field in cdb\n", 5
        if chosen[0] == 1 and "--zero" not in a and not any(x.startswith("--pattern=") for x in a):
            return "for overwrite a pattern must be given (--pattern=PF) or --zero\n", 1
        if not self._purge(d):
            return self._inquiry(d) + "Sanitize command: Medium error, Write error\n", 3
        return self._inquiry(d) + ("\nA SANITIZE has been sent, wait for it to finish\n" if "--wait" not in a else
                                   ""), 0

    def sg_format(self, a: list[str]) -> tuple[str, int]:
        dev = a[-1] if a else ""
        d = self.disk(dev)
        if d is None:
            return f"sg_format: error opening file: {dev}: No such file or directory\n", 15
        if "--format" not in a and "-F" not in a:
            return self._inquiry(d) + f"      Number of logical blocks={d.visible // SECTOR}\n", 0
        if d.spec.kind not in SAS_KINDS:
            return self._inquiry(d) + "Format unit command: Illegal request, Invalid opcode\n", 5
        if not self._purge(d):
            return self._inquiry(d) + "Format unit command: Medium error, Unrecovered read error\n", 3
        return self._inquiry(d) + "\nFORMAT UNIT Complete\n", 0

    # ------------------------------------------------------------ dd and cmp: the real programs
    def _real(self, dev: str) -> tuple[Disk | None, str]:
        d = self.disk(dev)
        if d is None:
            return None, dev
        if d.spec.kind == "raid":  # the logical volume's bytes: one backing, like any disk
            return d, self.srv.backing(d).path
        return d, self.srv.backing(d).path

    def dd(self, a: list[str]) -> tuple[str, int]:
        opts = dict(x.split("=", 1) for x in a if "=" in x)
        if set(opts) - {"if", "of", "bs", "count", "skip", "seek", "iflag", "oflag", "conv", "status"}:
            return f"dd: unrecognized operand '{next(x for x in a if x.split('=')[0] not in opts)}'\n", 1
        disk, rename = None, {}
        for key in ("if", "of"):
            path = opts.get(key, "")
            if path.startswith("/dev/") and path not in ("/dev/zero", "/dev/null", "/dev/urandom"):
                d, real = self._real(path)
                if d is None:
                    return f"dd: failed to open '{path}': No such file or directory\n", 1
                opts[key], rename[real] = real, path
                disk = d if key == "of" else disk or d
                if not real.startswith("/dev/"):  # a sparse file: no O_DIRECT on tmpfs
                    for flag in ("iflag", "oflag"):
                        kept = [f for f in opts.get(flag, "").split(",") if f and f != "direct"]
                        opts[flag] = ",".join(kept)
        writing = disk is not None and "of" in opts and opts["of"] in rename
        failing = writing and disk is not None and disk.fails_writes
        if writing and disk is not None:
            # The OS sees only the visible bytes: what lies past them (an HPA) dd cannot reach.
            count = opts.get("count", "")
            if "count_bytes" in opts.get("iflag", "") and count.isdigit():
                limit = disk.visible // 2 if failing else disk.visible
                opts["count"] = str(min(int(count), limit))
        argv = ["dd"] + [f"{k}={v}" for k, v in opts.items() if v]
        r = subprocess.run(argv, capture_output=True, timeout=3600)
        text = (r.stdout + r.stderr).decode(errors="replace")
        for real, shown in rename.items():
            text = text.replace(real, shown)
        if failing and disk is not None:
            return text + f"dd: error writing '/dev/{disk.name}': Input/output error\n", 1
        return text, r.returncode

    def cmp(self, a: list[str]) -> tuple[str, int]:
        args, rename = [], {}
        for x in a:
            if x.startswith("/dev/") and x not in ("/dev/zero", "/dev/null"):
                d, real = self._real(x)
                if d is None:
                    return f"cmp: {x}: No such file or directory\n", 2
                rename[real] = x
                args.append(real)
            else:
                args.append(x)
        r = subprocess.run(["cmp", *args], capture_output=True, timeout=3600)
        text = (r.stdout + r.stderr).decode(errors="replace")
        for real, shown in rename.items():
            text = text.replace(real, shown)
        return text, r.returncode


def identify(d: Disk) -> str:
    sectors = d.visible // SECTOR
    ssd = d.spec.kind == "sata_ssd"
    sanitize = ["\t   *\tSANITIZE feature set", "\t   *\tCRYPTO_SCRAMBLE_EXT command",
                "\t   *\tBLOCK_ERASE_EXT command"] if ssd else ["\t   *\tSANITIZE feature set",
                                                              "\t   *\tOVERWRITE_EXT command"]
    security = ["Security: ", "\tMaster password revision code = 65534", "\t\tsupported",
                f"\t{'' if d.security_password else 'not'}\tenabled", "\tnot\tlocked",
                "\t\tfrozen" if d.frozen else "\tnot\tfrozen", "\tnot\texpired: security count"]
    security += ["\t\tsupported: enhanced erase"] if ssd else ["\tnot\tsupported: enhanced erase"]
    security += ["\t2min for SECURITY ERASE UNIT. 2min for ENHANCED SECURITY ERASE UNIT." if ssd else
                 "\t216min for SECURITY ERASE UNIT."]
    lines = ["", "ATA device, with non-removable media", f"\tModel Number:       {d.spec.model}",
             f"\tSerial Number:      {d.serial}", f"\tFirmware Revision:  {d.spec.firmware}",
             "\tTransport:          Serial, ATA8-AST, SATA 1.0a, SATA II Extensions, SATA Rev 2.5, SATA Rev 3.0",
             "Standards:", "\tSupported: 10 9 8 7 6 5 ", "Configuration:",
             f"\tLBA    user addressable sectors:   {min(sectors, 268435455)}",
             f"\tLBA48  user addressable sectors:   {sectors}", "\tLogical  Sector size:                   512 bytes",
             f"\tdevice size with M = 1000*1000:      {d.visible // 10**6} MBytes",
             "Commands/features:", "\tEnabled\tSupported:", "\t   *\tSMART feature set",
             "\t    \tSecurity Mode feature set", "\t   *\tHost Protected Area feature set",
             *sanitize, *security, "Checksum: correct"]
    return "\n".join(lines) + "\n"


def max_sectors(d: Disk) -> str:
    native = d.size // SECTOR
    return f" max sectors   = {d.visible // SECTOR}/{native}, HPA is {'enabled' if d.hpa_bytes else 'disabled'}\n"
