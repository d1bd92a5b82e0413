#!/usr/bin/env bash
# The long run of the tool-dispatch property tests, not part of CI (CI runs the same tests with 4,000 cases each):
# generated argument text, tool names, values and tool strings against the generated dispatch of every supported
# parameter type (tests/CompactMemory.Generators.Tests/Tools/ToolFuzzTests.cs), with the same fixed seeds.
#
#   tests/CompactMemory.Benchmarks/tool-fuzz.sh [cases per property, default 1000000]
#
# Prints each property's cases and seconds; exits non-zero with the shrunk input and a seed to reproduce it
# (CsCheck_Seed=...) when a promise breaks.
set -euo pipefail

cases="${1:-1000000}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

start=$(date +%s)
status=0
COMPACTMEMORY_TOOL_FUZZ_CASES="$cases" dotnet test "$root/tests/CompactMemory.Generators.Tests/CompactMemory.Generators.Tests.csproj" \
    -c Release --nologo --filter "FullyQualifiedName~CompactMemory.Generators.Tests.Tools.ToolFuzzTests" \
    --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

grep -E "generated (calls|tool names|values|cut strings)|CsCheckException|FuzzFailure|Failed |Passed!|Failed!" "$log" | sed 's/^ *//' || true
echo "tool-fuzz: $cases cases per property, $elapsed s in all (build included), exit $status"
exit "$status"
