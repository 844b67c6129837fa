# bench/lib.sh: what bench/run and bench/console share: finding the revq
# binary, the work directory, wall-clock timing, medians, callgrind totals
# and the line that says what was measured.  Sourced, not run; expects
# $here (the bench directory) and, from the caller's options, $revq.

# Sets revq to an absolute path: the one given, or ./revq, build/revq, PATH.
bench_find_revq() {   # script-name
	if [ -z "$revq" ]; then
		for candidate in "$here/../revq" "$here/../build/revq" "$(command -v revq || true)"; do
			[ -x "$candidate" ] && revq=$(cd "$(dirname "$candidate")" && pwd)/revq && break
		done
	fi
	[ -n "$revq" ] && [ -x "$revq" ] || { echo "$1: no revq binary; use --revq PATH" >&2; exit 2; }
}

# An uninstalled revq reads the AI tool registry of this tree (registry.h).
REVQ_DATADIR=${REVQ_DATADIR:-$here/../share/revq}; export REVQ_DATADIR

work=${TMPDIR:-/tmp}/revq-bench
mkdir -p "$work"

# Seconds between two $EPOCHREALTIME readings, to 0.1 ms.
bench_elapsed() {   # start end
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'
}

# The median of a column (default 1) of space-separated numbers in file.
bench_median() {   # file [column]
	cut -d' ' -f"${2:-1}" "$1" | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Total instructions of the callgrind run that wrote file.
bench_callgrind_total() {   # file
	sed -n 's/^summary: //p;s/^totals: //p' "$1" | head -1
}

# "revq VERSION (COMMIT), DATE, N CPUs, " followed by what.
bench_header() {   # what
	echo "revq $("$revq" --version | cut -d' ' -f2) ($(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')), $(date -u +%Y-%m-%d), $(nproc) CPUs, $1"
}

# The console opens on the whole queue: a bench's repositories have one
# author, who would be their own reviewer, so "needs me" (the default
# revq.consoleView) would be empty and Enter would open nothing.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=revq.consoleView GIT_CONFIG_VALUE_0=all
