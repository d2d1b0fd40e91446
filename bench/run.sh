#!/bin/sh
# make bench: arw's timings side by side, each against the naive baseline in the same run
# (pdfplumber's extract_tables() on every page of the sample). Uses farm-bench when it is on the
# PATH (pairs each command with the baseline, prints min/median/max and peak memory), else one
# plain timed run each. Not a test: nothing here passes or fails.
set -eu
cd "$(dirname "$0")/.."
BIN=.venv/bin
SAMPLE=data/samples/haninge-ks-arsredovisning-2024.pdf
RUNS=${BENCH_RUNS:-3}
BATCH=${BENCH_BATCH:-30}
SCALE=${BENCH_SCALE:-10}  # the batch's reports this many times over: a warehouse of BATCH x SCALE reports
WORK=$(mktemp -d /tmp/arw-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export ARW_STATE_DIR="$WORK/state"

BASELINE="$BIN/python bench/baseline.py $SAMPLE"

measure() {  # measure TITLE COMMAND...: the command against the baseline (its output also in $WORK/last)
    echo
    echo "== $1"
    shift
    if command -v farm-bench >/dev/null 2>&1; then
        farm-bench -n "$RUNS" --warmup 1 --timeout 3000 --vs "$BASELINE" -- "$@" | tee "$WORK/last"
    else
        /usr/bin/time -f "%e s wall, %M KB peak" "$@" 2>&1 >/dev/null | tee "$WORK/last"
    fi
}

per_minute() {  # per_minute N: N reports in the median wall time of the last measure
    awk -v n="$1" '/^A wall s/ {w = $5} /s wall,/ {w = $1} END {if (w) printf "%.0f reports per minute\n", n * 60 / w}' "$WORK/last"
}

# a batch of distinct reports: the four generated templates, then copies of the sample with other
# bytes (a trailing comment), up to BATCH
mkdir -p "$WORK/templates" "$WORK/batch"
$BIN/python tests/templates.py --pdf "$WORK/templates" >/dev/null
cp "$WORK"/templates/*.pdf "$WORK/batch/"
i=$(ls "$WORK/batch" | wc -l)
while [ "$i" -lt "$BATCH" ]; do
    cp "$SAMPLE" "$WORK/batch/report-$i.pdf"
    printf '\n%% copy %s\n' "$i" >> "$WORK/batch/report-$i.pdf"
    i=$((i + 1))
done
# 67 small table PDFs for arw tables: the table-quality corpus (68), and as many of them again under
# other names as make 67
$BIN/python bench/tablegen.py "$WORK/tables" >/dev/null
rm -f "$WORK"/tables/*.json
AGAIN=$((67 - $(ls "$WORK"/tables/*.pdf | wc -l)))
for pdf in $(ls "$WORK"/tables/*.pdf | head -"$AGAIN"); do cp "$pdf" "${pdf%.pdf}-again.pdf"; done

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%dT%H:%MZ)"
$BIN/arw server start >/dev/null   # the local Prefect server every command reuses (started once)

measure "baseline: pdfplumber extract_tables() on every page" $BASELINE
measure "extraction alone (arw's extract_report)" $BIN/python bench/extract_only.py $SAMPLE
measure "cold arw ingest of one report (new warehouse each run)" \
    sh -c "rm -f $WORK/one.duckdb*; exec $BIN/arw ingest $SAMPLE --warehouse $WORK/one.duckdb"
echo "stages of one cold ingest (ARW_TIMINGS=1):"
rm -f "$WORK"/one.duckdb*
ARW_TIMINGS=1 $BIN/arw ingest $SAMPLE --warehouse "$WORK/one.duckdb" 2>&1 >/dev/null | grep '^timings:'
$BIN/arw ingest $SAMPLE --warehouse "$WORK/skip.duckdb" >/dev/null 2>&1
measure "skip path: arw ingest of a report already loaded" $BIN/arw ingest $SAMPLE --warehouse "$WORK/skip.duckdb"
measure "arw ingest of one more report into a built warehouse (dbt: only what the data changes)" \
    sh -c "cp $WORK/skip.duckdb $WORK/more.duckdb; exec $BIN/arw ingest $WORK/batch/report-5.pdf --warehouse $WORK/more.duckdb"
measure "batch of $BATCH reports, --workers 1" \
    sh -c "rm -f $WORK/b1.duckdb*; exec $BIN/arw ingest $WORK/batch --workers 1 --warehouse $WORK/b1.duckdb"
per_minute "$BATCH"
measure "batch of $BATCH reports, --workers 2" \
    sh -c "rm -f $WORK/b2.duckdb*; exec $BIN/arw ingest $WORK/batch --workers 2 --warehouse $WORK/b2.duckdb"
per_minute "$BATCH"
# a large warehouse without reading hundreds of PDFs: the batch's raw rows SCALE times over, under
# other names (bench/scale.py), and one report more than all of them
BIG=$((BATCH * SCALE))
$BIN/python bench/scale.py "$WORK/b2.duckdb" "$WORK/big.duckdb" "$SCALE" >/dev/null
cp "$SAMPLE" "$WORK/one-more.pdf"
printf '\n%% one more\n' >> "$WORK/one-more.pdf"
measure "arw build of a warehouse of $BIG reports (every model, every report)" \
    $BIN/arw build --warehouse "$WORK/big.duckdb"
measure "arw ingest of one more report into a warehouse of $BIG reports" \
    sh -c "cp $WORK/big.duckdb $WORK/big-more.duckdb; exec $BIN/arw ingest $WORK/one-more.pdf --warehouse $WORK/big-more.duckdb"
measure "arw tables on the sample" $BIN/arw tables $SAMPLE --format json
measure "arw tables on $(ls "$WORK"/tables/*.pdf | wc -l) small PDFs, one process" \
    sh -c "rm -rf $WORK/grids; exec $BIN/arw tables $WORK/tables --out $WORK/grids"
echo
echo "== table quality (bench/table_quality.py: ICDAR 2013 cell-adjacency relations on the generated corpus)"
$BIN/python bench/table_quality.py --corpus "$WORK/quality" | tail -4
$BIN/arw server stop >/dev/null
