"""A grade's reasons say which test could not be completed and the kind of cause, never the bench's raw error
text (exception names, addresses, credential set names): that stays in the result's summary and evidence."""

from __future__ import annotations

from bench.grading import grade
from bench.model import Disposition, Outcome, TestResult

WHERE = "10.20.0.15:22"
# Summaries as the SSH driver and the tests word them (seen on a unit whose password the bench lacks).
AUTH = f"AuthFailed: {WHERE}: authentication failed with credential sets factory, spare (enable)"


def r(name: str, outcome: str, summary: str, **evidence: object) -> TestResult:
    return TestResult(name, Outcome(outcome), summary, dict(evidence), "t0", "t1")


def locked_out() -> dict[str, TestResult]:
    return {
        "identity": r("identity", "PASS", "WS-C2960X-24TS-L serial FOC1949NSP2, 5 components"),
        "authenticity": r("authenticity", "WARN", f"serial FOC1949NSP2 agrees on snmp, label; optic log not "
                                                  f"checked ('show logging': {AUTH})"),
        "post": r("post", "ERROR", f"'show post': {AUTH}"),
        "environment": r("environment", "ERROR", f"'show environment fan': {AUTH}"),
        "ports": r("ports", "ERROR", "watchdog: ports did not finish within 310 s", cause="watchdog", watchdog_s=310),
        "logs": r("logs", "ERROR", f"'show logging': SshError: {WHERE}: SSH session dropped by the unit during "
                                   "'show logging' (TCP connection closed)"),
        "optics": r("optics", "ERROR", f"optics unreadable: 'show inventory': SshError: SSH not available: "
                                       f"{WHERE}: connection refused"),
    }


def test_an_error_reason_names_the_test_and_the_kind_of_cause_only() -> None:
    g = grade(locked_out())
    assert g.disposition == Disposition.HOLD
    hold = next(x for x in g.reasons if x.startswith("HOLD:"))
    assert "post, environment could not be completed (login refused with every credential set)" in hold
    assert "ports could not be completed (no result within the step's time limit)" in hold
    assert "logs could not be completed (the unit dropped the session)" in hold
    assert "optics could not be completed (SSH not available)" in hold
    assert hold.endswith("; retest")
    for reason in g.reasons:
        for raw in ("AuthFailed", "SshError", WHERE, "factory", "spare", "credential sets", "'show "):
            assert raw not in reason, (raw, reason)
    # A finding's own words stay; only the raw error inside it is replaced by its kind.
    warn = next(x for x in g.reasons if x.startswith("WARN:"))
    assert "authenticity: serial FOC1949NSP2 agrees on snmp, label; optic log not checked (login refused with " \
           "every credential set)" in warn


def test_an_unknown_error_is_a_bench_error_and_the_findings_keep_their_words() -> None:
    res = {"identity": r("identity", "PASS", "ok"),
           "environment": r("environment", "ERROR", "KeyError: 'fans'", cause="KeyError"),
           "logs": r("logs", "WARN", "2 crashinfo files in flash (crashinfo_20190101)")}
    g = grade(res)
    assert "HOLD: environment could not be completed (a bench error; see the test's evidence); retest" in g.reasons
    assert "WARN: logs: 2 crashinfo files in flash (crashinfo_20190101)" in g.reasons
    assert not any("KeyError" in x for x in g.reasons)
