#!/usr/bin/env bash
# Builds the fuzz targets, then runs them one after another.
#
#   fuzz/run.sh [-t SECONDS] [TARGET...]
#
# With no TARGET, every target in fuzz/Cargo.toml is run. Each run:
#   - copies fuzz/seeds/TARGET/* into the working corpus fuzz/corpus/TARGET/;
#   - runs libFuzzer for SECONDS (default 600, or FUZZ_SECONDS) with a
#     dictionary, -max_len 64 KiB for rule text and 256 KiB for data,
#     -timeout=10 and -rss_limit_mb=2048;
#   - logs to fuzz/logs/TARGET.log, keeps crashing inputs in
#     fuzz/artifacts/TARGET/, and records a line in fuzz/logs/results.tsv.
# At the end it prints a table of the runs (executions, exec/s, libFuzzer's
# final cov and ft, corpus size, new crash artifacts).
#
# Environment:
#   FUZZ_SECONDS      seconds per target (default 600; -t overrides)
#   FUZZ_CPU          the CPU to pin each run to with taskset (default 0);
#                     pinned, ontrack's loader and evaluator see one core and
#                     run single-threaded. FUZZ_CPU=none does not pin.
#   FUZZ_SANITIZER    cargo fuzz's sanitizer (default none: ontrack has no
#                     unsafe code; debug assertions and overflow checks stay on)
#   FUZZ_KEEP_GOING=1 fork mode (-fork=1 -ignore_crashes=1 -ignore_timeouts=1
#                     -ignore_ooms=1): keep fuzzing after a crash for the whole
#                     time, saving every crash
#   FUZZ_NO_BUILD=1   run the binaries already built
#   FUZZ_ARGS         more libFuzzer flags
#
# The binaries are built once, before the first run, so that a change to the
# sources while the runs go on does not trigger a rebuild in the middle.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

seconds="${FUZZ_SECONDS:-600}"
targets=()
while (($#)); do
    case "$1" in
        -t | --seconds)
            seconds="$2"
            shift 2
            ;;
        -h | --help)
            sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
            exit 0
            ;;
        *)
            targets+=("$1")
            shift
            ;;
    esac
done
all_targets=(parse_check fmt_roundtrip load_csv_long load_csv_wide load_yaml load_json evaluate)
if ((${#targets[@]} == 0)); then
    targets=("${all_targets[@]}")
fi

sanitizer="${FUZZ_SANITIZER:-none}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
bin_dir="target/$triple/release"
export RUSTC_BOOTSTRAP=1

if [[ "${FUZZ_NO_BUILD:-0}" != 1 ]]; then
    for target in "${targets[@]}"; do
        echo "== building $target" >&2
        cargo fuzz build -s "$sanitizer" "$target"
    done
fi

pin=()
cpu="${FUZZ_CPU:-0}"
if [[ "$cpu" != none ]] && command -v taskset > /dev/null; then
    pin=(taskset -c "$cpu")
fi

mkdir -p logs
results=logs/results.tsv
[[ -f $results ]] || printf 'target\tseconds\texecutions\texec/s\tcov\tft\tcorpus\tcrashes\tfinished\n' > "$results"

count_artifacts() {
    find "artifacts/$1" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) 2> /dev/null | wc -l
}

for target in "${targets[@]}"; do
    case "$target" in
        parse_check | fmt_roundtrip)
            max_len=65536
            dict=dict/targets.dict
            ;;
        evaluate)
            max_len=262144
            dict=dict/targets.dict
            ;;
        *)
            max_len=262144
            dict=dict/data.dict
            ;;
    esac
    corpus="corpus/$target"
    mkdir -p "$corpus" "artifacts/$target"
    if [[ -d "seeds/$target" ]]; then
        cp -n "seeds/$target"/* "$corpus"/ 2> /dev/null || true
    fi
    log="logs/$target.log"
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/ontrack-fuzz-run.XXXXXX")"
    before="$(count_artifacts "$target")"
    flags=(
        "-max_total_time=$seconds"
        "-max_len=$max_len"
        -timeout=10
        -rss_limit_mb=2048
        "-dict=$dict"
        -print_final_stats=1
        "-artifact_prefix=artifacts/$target/"
    )
    if [[ "${FUZZ_KEEP_GOING:-0}" == 1 ]]; then
        flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    fi
    # shellcheck disable=SC2206
    flags+=(${FUZZ_ARGS:-})
    echo "== running $target for ${seconds}s (log: fuzz/$log)" >&2
    start="$(date +%s)"
    status=0
    ONTRACK_FUZZ_TMP="$scratch" "${pin[@]}" "$bin_dir/$target" "${flags[@]}" "$corpus" > "$log" 2>&1 || status=$?
    elapsed=$(($(date +%s) - start))
    rm -rf "$scratch"

    # libFuzzer's last status line: `#N ... cov: C ft: F corp: ... exec/s: E`
    # (fork mode: `#N: cov: C ft: F corp: K exec/s: E ...`).
    last="$(grep -a -E '^#[0-9]+:?[[:space:]].*cov: ' "$log" | tail -n 1 || true)"
    execs="$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -n 1)"
    [[ -n "$execs" ]] || execs="$(sed -n 's/^#\([0-9]*\).*/\1/p' <<< "$last")"
    field() { sed -n "s|.* $1 \([0-9]*\).*|\1|p" <<< "$last"; }
    cov="$(field 'cov:')"
    ft="$(field 'ft:')"
    rate="$(field 'exec/s:')"
    corpus_files="$(find "$corpus" -type f | wc -l)"
    crashes=$(($(count_artifacts "$target") - before))
    finished=yes
    if ((status != 0)); then
        finished="no (exit $status)"
    fi
    grep -v -P "^$target\t" "$results" > "$results.new" || true
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$elapsed" "${execs:-?}" "${rate:-?}" \
        "${cov:-?}" "${ft:-?}" "$corpus_files" "$crashes" "$finished" >> "$results.new"
    mv "$results.new" "$results"
    echo "   $target: ${elapsed}s, ${execs:-?} executions, ${rate:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus $corpus_files, new crashes $crashes, exit $status" >&2
    if ((crashes > 0)); then
        grep -a -E 'panicked at|^==[0-9]+== ERROR|SUMMARY|Test unit written' "$log" | head -n 10 >&2 || true
    fi
done

echo >&2
column -t -s $'\t' "$results" >&2
