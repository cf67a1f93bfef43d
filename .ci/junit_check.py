"""Reads the JUnit report of the shipped example with junitparser, a
consumer of JUnit XML, and checks it against the JSON report of the same run.

Usage: junit_check.py JUNIT_XML JSON_REPORT

The shipped example (rules/kz/manufacturing-2025.targets, examples/kz/data.yaml,
--as-of 2025-06-30, default --fail-on) has 12 results: 1 missed and 2 off_track
fail, 1 error is an <error>, 1 no_data is skipped.
"""

import json
import re
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

FAILING = {"missed", "off_track", "error"}


def expected_outcome(result):
    """The testcase outcome the report documents for a JSON result."""
    fails = result["severity"] == "error" and result["status"] in FAILING
    if fails:
        return "error" if result["status"] == "error" else "failure"
    return "skipped" if result["status"] == "no_data" else "passed"


def outcome(case):
    kinds = {type(r) for r in case.result}
    assert len(case.result) <= 1, f"{case.name}: more than one result element"
    if Error in kinds:
        return "error"
    if Failure in kinds:
        return "failure"
    if Skipped in kinds:
        return "skipped"
    return "passed"


def main(junit_path, json_path):
    xml = JUnitXml.fromfile(junit_path)
    with open(json_path, encoding="utf-8") as f:
        report = json.load(f)
    results = report["results"]

    cases = [(suite, case) for suite in xml for case in suite]
    assert len(cases) == len(results), (len(cases), len(results))
    tally = {"failure": 0, "error": 0, "skipped": 0, "passed": 0}
    for (suite, case), result in zip(cases, results):
        assert case.classname == result["file"], (case.classname, result["file"])
        assert suite.name == result["file"], (suite.name, result["file"])
        assert case.name == result["name"], (case.name, result["name"])
        assert case.time == 0.0, (case.name, case.time)
        got, want = outcome(case), expected_outcome(result)
        assert got == want, (case.name, got, want)
        for element in case.result:
            assert element.message == result["message"], (case.name, element.message)
            if not isinstance(element, Skipped):
                assert element.type == result["status"], (case.name, element.type)
        tally[got] += 1

    for suite in xml:
        own = [outcome(c) for c in suite]
        assert suite.tests == len(own), (suite.name, suite.tests)
        assert suite.failures == own.count("failure"), (suite.name, suite.failures)
        assert suite.errors == own.count("error"), (suite.name, suite.errors)
        assert suite.skipped == own.count("skipped"), (suite.name, suite.skipped)
        assert suite.time == 0.0, (suite.name, suite.time)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.timestamp), suite.timestamp

    assert xml.tests == len(results) == 12, xml.tests
    assert xml.failures == tally["failure"] == 3, xml.failures
    assert xml.errors == tally["error"] == 1, xml.errors
    assert xml.skipped == tally["skipped"] == 1, xml.skipped
    assert xml.time == 0.0, xml.time
    print(
        f"junitparser read {xml.tests} tests in {len(list(xml))} suite(s): "
        f"{xml.failures} failures, {xml.errors} errors, {xml.skipped} skipped"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
