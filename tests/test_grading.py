from bench.grading import grade
from bench.model import Disposition, Outcome, TechnicianInputs, TestResult


def r(name, outcome, summary="", **evidence):
    return TestResult(name, Outcome(outcome), summary or f"{name} {outcome}", evidence, "t0", "t1")


def results(**outcomes):
    return {n: r(n, o) for n, o in outcomes.items()}


QUICK_OK = dict(identity="PASS", authenticity="PASS", stolen="NOT_RUN", post="PASS", environment="PASS",
                logs="PASS")


def test_serial_disagreement_quarantines_with_reason():
    res = results(**QUICK_OK)
    res["authenticity"] = r("authenticity", "FAIL", "serial FOC1 (cli) != FOC2 (snmp)", quarantine=True)
    g = grade(res)
    assert g.disposition == Disposition.QUARANTINE
    assert g.functional is None
    assert any("FOC1 (cli) != FOC2 (snmp)" in x for x in g.reasons)


def test_hardware_fail_sends_to_repair_naming_the_test():
    res = results(**QUICK_OK)
    res["environment"] = r("environment", "FAIL", "PSU 2 failed")
    g = grade(res)
    assert g.disposition == Disposition.REPAIR and g.letter == "D"
    assert any("environment: PSU 2 failed" in x for x in g.reasons)


def test_error_is_not_a_pass_and_holds_for_retest():
    res = results(**QUICK_OK)
    res["environment"] = r("environment", "ERROR", "SSH lost")
    g = grade(res)
    assert g.disposition == Disposition.HOLD
    assert any("retest" in x for x in g.reasons)


def test_quick_plan_without_wipe_is_held_not_resold():
    g = grade(results(**QUICK_OK))
    assert g.disposition == Disposition.HOLD
    assert any("not sanitized" in x for x in g.reasons)
    assert g.functional is None  # ports were not tested: F3 cannot be claimed


def test_full_pass_with_wipe_is_f4_resale_and_cosmetics_set_the_letter():
    full = results(**QUICK_OK, ports="PASS", sanitization="PASS")
    assert grade(full, TechnicianInputs(cosmetic="C6")).letter == "A"
    g = grade(full, TechnicianInputs(cosmetic="C4"))
    assert (g.functional, g.letter, g.disposition) == ("F4", "B", Disposition.RESALE)
    assert grade(full, TechnicianInputs(cosmetic="C6", licence_attested=True)).functional == "F5"


def test_warn_lowers_the_letter():
    full = results(**QUICK_OK, ports="PASS", sanitization="PASS")
    full["authenticity"] = r("authenticity", "WARN", "only cli serial available; not cross-checked")
    g = grade(full, TechnicianInputs(cosmetic="C6"))
    assert (g.functional, g.letter) == ("F4", "B")


def test_hardware_warn_keeps_f4_and_f5_but_never_letter_a():
    full = results(**QUICK_OK, ports="PASS", sanitization="PASS")
    full["environment"] = r("environment", "WARN", "fans: no reading")
    g = grade(full, TechnicianInputs(cosmetic="C6"))
    assert (g.functional, g.letter, g.disposition) == ("F4", "B", Disposition.RESALE)
    assert any(x.startswith("WARN: environment: fans: no reading") for x in g.reasons)
    g = grade(full, TechnicianInputs(cosmetic="C6", licence_attested=True))
    assert (g.functional, g.letter) == ("F5", "B")


def test_ports_warn_still_gives_key_functions_f3_and_up():
    # A Junos unit whose port counters could not all be read: its ports linked, so F3 holds.
    full = results(**QUICK_OK, ports="WARN", sanitization="PASS")
    g = grade(full, TechnicianInputs(cosmetic="C5", licence_attested=True))
    assert (g.functional, g.letter, g.disposition) == ("F5", "B", Disposition.RESALE)


def test_a_verified_wipe_of_a_previous_owners_data_still_opens_the_gate():
    full = results(**QUICK_OK, ports="PASS")
    full["sanitization"] = r("sanitization", "WARN", "previous owner's data found; cleared and verified",
                             verified=True)
    g = grade(full, TechnicianInputs(cosmetic="C5"))
    assert g.disposition == Disposition.RESALE and g.functional == "F4"
    full["sanitization"] = r("sanitization", "WARN", "post-reload verification not possible")
    assert grade(full).disposition == Disposition.HOLD


def test_reasons_name_the_inputs_and_who_entered_them():
    full = results(**QUICK_OK, ports="PASS", sanitization="PASS")
    g = grade(full, TechnicianInputs(cosmetic="C6", licence_attested=True,
                                     provenance={"cosmetic": "jo at t1", "licence_attested": "ana at t2"}))
    assert g.functional == "F5"
    assert "input cosmetic C6 (entered by jo at t1)" in g.reasons
    assert "input licence transfer attested (entered by ana at t2)" in g.reasons
    assert any(x.startswith("letter A: functional F5, cosmetic C6") for x in g.reasons)
    assert any("enter a cosmetic code" in x for x in grade(full).reasons)


def test_profile_letters_replace_the_default_mapping():
    full = results(**QUICK_OK, ports="PASS", sanitization="PASS")
    strict = {"letters": [{"letter": "A", "functional": ["F5", "F6"], "min_cosmetic": 7},
                          {"letter": "B", "functional": ["F4", "F5", "F6"], "min_cosmetic": 5}]}
    assert grade(full, TechnicianInputs(cosmetic="C6"), strict).letter == "B"
    assert grade(full, TechnicianInputs(cosmetic="C4"), strict).letter == "D"
    assert grade(full, TechnicianInputs(cosmetic="C8", licence_attested=True), strict).letter == "A"


def test_parts_tests_and_missing_parts_send_a_failed_unit_to_parts():
    res = results(**QUICK_OK)
    res["post"] = r("post", "FAIL", "POST: ASIC 2 failed")
    assert grade(res, rules={"parts_tests": ["post"]}).disposition == Disposition.PARTS
    assert grade(res).disposition == Disposition.REPAIR
    assert grade(res, TechnicianInputs(cosmetic="C2")).disposition == Disposition.PARTS


def test_a_label_matching_no_serial_read_from_the_unit_quarantines():
    full = results(**QUICK_OK, ports="PASS", sanitization="PASS")
    g = grade(full, TechnicianInputs(label_serial="FOC111"), unit_serials=["FOC222"])
    assert g.disposition == Disposition.QUARANTINE and any("FOC111" in x and "FOC222" in x for x in g.reasons)
    assert grade(full, TechnicianInputs(label_serial="FOC222"), unit_serials=["FOC222"]).disposition == \
        Disposition.RESALE
    # Nothing read from the unit: the label cannot be contradicted.
    assert grade(full, TechnicianInputs(label_serial="FOC111")).disposition == Disposition.RESALE


def test_a_technician_may_send_a_unit_to_parts_or_recycling_but_never_out_of_quarantine_or_hold():
    full = results(**QUICK_OK, ports="PASS", sanitization="PASS")
    g = grade(full, TechnicianInputs(cosmetic="C3", disposition="RECYCLE", provenance={"disposition": "jo at t"}))
    assert (g.disposition, g.letter) == (Disposition.RECYCLE, "D")
    assert "input disposition RECYCLE (entered by jo at t)" in g.reasons
    assert "RECYCLE: the technician's call overrides RESALE" in g.reasons
    failed = results(**QUICK_OK)
    failed["environment"] = r("environment", "FAIL", "PSU 2 failed")
    assert grade(failed, TechnicianInputs(disposition="PARTS")).disposition == Disposition.PARTS
    suspect = results(**QUICK_OK)
    suspect["stolen"] = r("stolen", "FAIL", "serial on the blocked list", quarantine=True)
    assert grade(suspect, TechnicianInputs(disposition="RECYCLE")).disposition == Disposition.QUARANTINE
    assert grade(results(**QUICK_OK), TechnicianInputs(disposition="RECYCLE")).disposition == Disposition.HOLD


def _cleared(summary="previous owner's data found (startup-config); cleared and verified after reload"):
    return r("sanitization", "WARN", summary, verified=True)


def test_cleared_previous_owner_is_a_record_not_a_finding_so_f5_and_a():
    res = results(**QUICK_OK, ports="PASS", optics="PASS", burnin="PASS")
    res["sanitization"] = _cleared()
    g = grade(res, TechnicianInputs(cosmetic="C5", licence_attested=True))
    assert (g.functional, g.letter, g.disposition) == ("F5", "A", Disposition.RESALE)
    assert any("sanitization record (not a finding)" in x and "previous owner" in x for x in g.reasons)
    assert not any(x.startswith("WARN:") for x in g.reasons)


def test_cleared_previous_owner_without_attestation_is_f4_and_says_what_f5_needs():
    res = results(**QUICK_OK, ports="PASS")
    res["sanitization"] = _cleared()
    g = grade(res, TechnicianInputs(cosmetic="C5"))
    assert (g.functional, g.letter, g.disposition) == ("F4", "A", Disposition.RESALE)
    assert "F5 needs a licence transfer attestation" in g.reasons


def test_unverified_wipe_warn_is_no_record_and_holds():
    res = results(**QUICK_OK, ports="PASS")
    res["sanitization"] = r("sanitization", "WARN", "wipe done but not verified: no console")
    g = grade(res, TechnicianInputs(cosmetic="C5", licence_attested=True))
    assert (g.functional, g.disposition) == ("F3", Disposition.HOLD)


def test_only_warns_with_attestation_is_f5_letter_b_and_the_reasons_name_the_findings():
    res = results(**QUICK_OK, ports="PASS", sanitization="PASS")
    res["authenticity"] = r("authenticity", "WARN", "serial readable on one channel only")
    res["optics"] = r("optics", "WARN", "Te1/1/1 rx_power -9.1dBm past its warning threshold")
    g = grade(res, TechnicianInputs(cosmetic="C5", licence_attested=True))
    assert (g.functional, g.letter, g.disposition) == ("F5", "B", Disposition.RESALE)
    assert any(x.startswith("functional F5") and x.endswith("authenticity, optics WARN") for x in g.reasons)
    assert any("optics: Te1/1/1 rx_power" in x for x in g.reasons if x.startswith("WARN:"))


def test_profile_names_the_key_functions_of_f3():
    # A server has no switch ports: its profile names the NIC test as its port link.
    res = results(identity="PASS", smart="PASS", edac="PASS", nic="PASS", bmc="PASS", burnin="PASS")
    assert grade(res).functional is None
    g = grade(res, rules={"f3_tests": ["identity", "nic"]})
    assert g.functional == "F3" and g.disposition == Disposition.HOLD  # no wipe step: not yet sanitized
