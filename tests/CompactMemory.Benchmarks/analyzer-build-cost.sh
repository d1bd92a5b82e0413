#!/usr/bin/env bash
# What the CompactMemory analyzers add to `dotnet build` of a real engine project.
#
#   bash tests/CompactMemory.Benchmarks/analyzer-build-cost.sh [engines=1000] [runs=3]
#
# Writes a synthetic project of N correct context engines (three tools each, ten engines a file) into a temp folder,
# referencing the generator and, unless -p:WithCompactMemoryAnalyzers=false, the analyzers — the way the samples do.
# Then it compiles it `runs` times each way, alternating, with --no-incremental --no-dependencies and
# -p:ReportAnalyzer=true, and prints per run the Csc task time (MSBuild's performance summary) and the time the
# compiler itself attributes to CompactMemory.Analyzers. Nothing in the repository is changed.
set -euo pipefail
engines="${1:-1000}"
runs="${2:-3}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

printf '<Project />\n' >"$work/Directory.Build.props"
printf '<Project />\n' >"$work/Directory.Build.targets"
printf '<Project />\n' >"$work/Directory.Packages.props"
project="$work/Bench.Engines"
mkdir -p "$project"
cat >"$project/Bench.Engines.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <Import Project="$repo/src/CompactMemory.Sdk/build/CompactMemory.Sdk.props" />
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
    <Version>1.0.0</Version>
    <CompactMemoryWriteEnginePackageFiles>false</CompactMemoryWriteEnginePackageFiles>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/src/CompactMemory.Abstractions/CompactMemory.Abstractions.csproj" />
    <ProjectReference Include="$repo/generators/CompactMemory.Generators/CompactMemory.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$repo/analyzers/CompactMemory.Analyzers/CompactMemory.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" Condition="'\$(WithCompactMemoryAnalyzers)' != 'false'" />
  </ItemGroup>
  <Import Project="$repo/src/CompactMemory.Sdk/build/CompactMemory.Sdk.targets" />
</Project>
EOF

for ((file = 0; file * 10 < engines; file++)); do
  {
    printf 'using System.Collections.Generic;\nusing System.ComponentModel;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing CompactMemory;\nusing CompactMemory.Context;\nusing Microsoft.Extensions.AI;\n\nnamespace Bench.Engines;\n'
    for ((i = 0; i < 10 && file * 10 + i < engines; i++)); do
      n=$(printf '%04d' $((file * 10 + i)))
      cat <<EOF

[CompressionEngine("engine_$n", DisplayName = "Engine $n")]
public sealed partial class Engine$n : ContextEngine
{
    public override string Name => "engine_$n";

    protected override Task<IReadOnlyList<ChatMessage>> CompressCoreAsync(IReadOnlyList<ChatMessage> messages, int? currentTokens, string? focusTopic, bool force, string memoryContext, CancellationToken cancellationToken)
        => Task.FromResult(messages);

    [EngineTool("grep_$n"), Description("Searches the history.")]
    public string Grep([Description("What to look for.")] string query, [Description("At most this many.")] int limit = 10) => query + limit;

    [EngineTool("expand_$n"), Description("Expands a summary node.")]
    public Task<string> ExpandAsync([Description("The node.")] long nodeId, [Description("Whether to include children.")] bool includeChildren, CancellationToken cancellationToken) => Task.FromResult(nodeId.ToString());

    [EngineTool("stats_$n"), Description("Reports statistics.")]
    public int[] Stats([Description("Weights.")] double[]? weights = null) => new[] { 1, 2, 3 };
}
EOF
    done
  } >"$project/Engines$file.cs"
done

cd "$project"
dotnet build -tl:off -nologo -v:q >/dev/null # restore and build the referenced projects once
printf 'engines=%s\n%-16s %10s %22s\n' "$engines" "run" "Csc (ms)" "CompactMemory.Analyzers (s)"
for ((run = 1; run <= runs; run++)); do
  for with in false true; do
    log="$work/build-$with-$run.log"
    dotnet build -tl:off -nologo --no-incremental --no-dependencies -p:ReportAnalyzer=true -p:WithCompactMemoryAnalyzers=$with \
      -v:d -clp:PerformanceSummary >"$log" 2>&1 || { tail -30 "$log"; exit 1; }
    csc=$(grep -E '^\s+[0-9]+ ms\s+Csc\s+1 calls' "$log" | tail -1 | awk '{print $1}' || true)
    ours=$(grep -E '^\s+[0-9.<]+\s+[0-9<]+\s+CompactMemory\.Analyzers, ' "$log" | head -1 | awk '{print $1}' || true)
    printf '%-16s %10s %22s\n' "analyzers=$with" "${csc:-?}" "${ours:--}"
  done
done
