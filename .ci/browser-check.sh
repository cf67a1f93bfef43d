#!/usr/bin/env bash
# The HTML report of the shipped example in a real browser (headless Chromium):
#  1. it loads without a single console message (the page has no script, and
#     its Content-Security-Policy turns any attempt to load something from
#     outside into a console error);
#  2. it holds one card per target of the JSON report, a chart (svg.ch) on
#     every card whose target has a history and a "no chart" note on the others;
#  3. screenshots at desktop and phone width: target/report-screenshot.png,
#     target/report-screenshot-phone.png.
# Before that, two probe pages show that this Chromium reports console
# messages where the check looks for them, so a silent log cannot pass.
# Needs chromium (Debian package) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-chromium}
work=target/browser-check
mkdir -p "$work"

fail() {
    echo "browser check FAILED: $*" >&2
    exit 1
}

command -v "$CHROMIUM" >/dev/null || fail "no $CHROMIUM on PATH (apt-get install -y chromium)"

# Without the background-networking flags Chromium tries to reach Google
# services, which a closed network refuses.
chromium_run() {
    local profile status=0
    profile=$(mktemp -d)
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" || status=$?
    rm -rf "$profile"
    return "$status"
}

# Loads a page; its DOM goes to $2, Chromium's log (with console messages) to $3.
load() {
    chromium_run --enable-logging=stderr --v=0 --dump-dom "file://$PWD/$1" >"$2" 2>"$3" \
        || fail "chromium could not load $1 (log: $3)"
}

# Console messages are logged as `INFO:CONSOLE:<line>] "…"` (older builds: `CONSOLE(<line>)`).
console_lines() {
    grep -E ':CONSOLE[:(]|Uncaught' "$1" || true
}

echo "== probes: console messages reach the log"
printf '<!DOCTYPE html><title>probe</title><script>console.error("ontrack-probe")</script>\n' \
    >"$work/probe-script.html"
load "$work/probe-script.html" "$work/probe-script.dom" "$work/probe-script.log"
console_lines "$work/probe-script.log" | grep -q ontrack-probe \
    || fail "a console.error of a probe page is not in Chromium's log ($work/probe-script.log)"
printf '%s\n' "<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><title>probe</title><img src=\"http://example.invalid/probe.png\" alt=\"\">" \
    >"$work/probe-csp.html"
load "$work/probe-csp.html" "$work/probe-csp.dom" "$work/probe-csp.log"
console_lines "$work/probe-csp.log" | grep -q example.invalid \
    || fail "a blocked outside image of a probe page is not in Chromium's log ($work/probe-csp.log)"

echo "== the example's HTML and JSON reports"
example=(check rules/kz/manufacturing-2025.targets --data examples/kz/data.yaml --as-of 2025-06-30)
for format in html json; do
    status=0
    cargo run --locked --quiet -- "${example[@]}" --format "$format" --output "$work/report.$format" || status=$?
    # The example has missed, off-track and error results: exit 1 is expected.
    [ "$status" -eq 1 ] || fail "ontrack check --format $format exited with $status, expected 1"
done

echo "== the report in Chromium"
load "$work/report.html" "$work/report.dom" "$work/report.log"
messages=$(console_lines "$work/report.log")
[ -z "$messages" ] || fail "console messages while loading the report:
$messages"

python3 - "$work/report.dom" "$work/report.json" <<'EOF'
import json
import sys
from html.parser import HTMLParser

dom_path, json_path = sys.argv[1:3]


class Cards(HTMLParser):
    """Counts per card (article.card): its charts (svg.ch) and no-chart notes."""

    def __init__(self):
        super().__init__()
        self.cards = []  # [id, charts, notes]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "article" and "card" in classes:
            self.cards.append([attrs.get("id"), 0, 0])
        elif self.cards and tag == "svg" and "ch" in classes:
            self.cards[-1][1] += 1
        elif self.cards and tag == "p" and "nochart" in classes:
            self.cards[-1][2] += 1


parser = Cards()
with open(dom_path, encoding="utf-8") as f:
    parser.feed(f.read())
with open(json_path, encoding="utf-8") as f:
    report = json.load(f)

targets = list(dict.fromkeys(r["id"] for r in report["results"]))
errors = []
card_ids = [c[0] for c in parser.cards]
if card_ids != targets:
    errors.append(f"cards {card_ids} are not the targets of the JSON report {targets}")
for card_id, charts, notes in parser.cards:
    if charts + notes != 1:
        errors.append(f"card {card_id}: {charts} charts and {notes} no-chart notes, expected one of them")
statuses = {r["id"]: r["status"] for r in report["results"]}
for card_id, charts, notes in parser.cards:
    # A result with values used has observations: it must be charted.
    if statuses.get(card_id) not in ("error", "no_data") and charts != 1:
        errors.append(f"card {card_id} ({statuses.get(card_id)}) has no chart")
charts = sum(c[1] for c in parser.cards)
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print(f"{len(parser.cards)} cards for {len(targets)} targets, {charts} charts")
EOF

echo "== screenshots"
chromium_run --hide-scrollbars --window-size=1200,2000 --screenshot="$PWD/target/report-screenshot.png" \
    "file://$PWD/$work/report.html" >"$work/screenshot.log" 2>&1 || fail "no screenshot ($work/screenshot.log)"
chromium_run --hide-scrollbars --window-size=400,1400 --screenshot="$PWD/target/report-screenshot-phone.png" \
    "file://$PWD/$work/report.html" >"$work/screenshot-phone.log" 2>&1 || fail "no phone screenshot ($work/screenshot-phone.log)"
for png in target/report-screenshot.png target/report-screenshot-phone.png; do
    [ -s "$png" ] || fail "$png is empty"
done
echo "browser check passed; screenshots in target/report-screenshot.png and target/report-screenshot-phone.png"
