#!/usr/bin/env bash
# What the package journey costs, each figure measured in one run against what a user would otherwise use.
#
#   bash tests/CompactMemory.Benchmarks/package-bench.sh [runs=5]
#
# Packs the repository's packages (Release) into a temp folder feed under a version unique to the run, with a NuGet
# cache of its own, then measures, alternating the two sides of each comparison `runs` times:
#   1. build cost of an engine project with CompactMemory.Sdk versus the same code in a plain class library that
#      references only CompactMemory.Abstractions: a full build (--no-incremental) and a no-op incremental build;
#   2. start-up time and peak memory of a host that compresses one text: native AOT with the generated registration
#      versus the same host on the JIT finding the engine by reflection (scanning assemblies for [CompressionEngine]);
#   3. `compact-memory dev install-engine` of an engine package with one dependency, by id from a local folder feed.
# Prints medians. Nothing in the repository is changed.
set -euo pipefail
runs="${1:-5}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER=1
user_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
export NUGET_PACKAGES="$work/nuget-packages"
version="0.1.$(( $(date +%s) - 1767225600 ))"
feed="$work/feed"
mkdir -p "$feed"
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log"; exit 1; }; }

echo "Packing CompactMemory $version into $feed ..."
for project in src/CompactMemory.Abstractions src/CompactMemory src/CompactMemory.Cli src/CompactMemory.Templates src/CompactMemory.Sdk; do
  # The assembly and file versions stay 0.1.0.0 (their parts stop at 65535); packages and informational versions are the run's.
  quiet dotnet pack "$repo/$project" -c Release -o "$feed" -p:Version="$version" -p:AssemblyVersion=0.1.0.0 -p:FileVersion=0.1.0.0 -tl:off
done

printf '<Project />\n' >"$work/Directory.Build.props"
printf '<Project />\n' >"$work/Directory.Build.targets"
printf '<Project />\n' >"$work/Directory.Packages.props"
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><add key="bench-feed" value="$feed" /></packageSources>
  <fallbackPackageFolders><add key="user-cache" value="$user_cache" /></fallbackPackageFolders>
</configuration>
EOF

engine_source() {
  cat <<EOF
using CompactMemory;
using CompactMemory.Compression;

namespace Bench;

/// <summary>Keeps the leading sentences that fit the budget.</summary>
[CompressionEngine("$1")]
public sealed partial class $2 : CompressionEngine
{
    /// <inheritdoc />
    public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
    {
        ValidateBudget(budget);
        var tokenizer = TokenizerOf(options);
        var kept = new System.Text.StringBuilder();
        foreach (var sentence in text.Split(". "))
        {
            var next = kept.Length == 0 ? sentence : kept + ". " + sentence;
            if (tokenizer.CountTokens(next) > budget) break;
            kept.Clear().Append(next);
        }
        return new CompressedMemory(kept.ToString()) { EngineId = Id };
    }
}
EOF
}

# 1. Build cost.
mkdir -p "$work/Bench.SdkEngine" "$work/Bench.PlainLibrary"
cat >"$work/Bench.SdkEngine/Bench.SdkEngine.csproj" <<EOF
<Project Sdk="CompactMemory.Sdk/$version">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <Authors>Bench</Authors>
    <Description>The benchmark engine, with CompactMemory.Sdk.</Description>
  </PropertyGroup>
</Project>
EOF
engine_source bench_sdk LeadingSentencesEngine >"$work/Bench.SdkEngine/LeadingSentencesEngine.cs"
cat >"$work/Bench.PlainLibrary/Bench.PlainLibrary.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <Authors>Bench</Authors>
    <Description>The benchmark engine as a plain class library.</Description>
  </PropertyGroup>
  <ItemGroup><PackageReference Include="CompactMemory.Abstractions" Version="$version" /></ItemGroup>
</Project>
EOF
engine_source bench_plain LeadingSentencesEngine >"$work/Bench.PlainLibrary/LeadingSentencesEngine.cs"
for p in Bench.SdkEngine Bench.PlainLibrary; do quiet dotnet build "$work/$p" -tl:off; done
: >"$work/full-sdk"; : >"$work/full-plain"; : >"$work/noop-sdk"; : >"$work/noop-plain"
for ((i = 1; i <= runs; i++)); do
  for side in sdk plain; do
    p=$([ $side = sdk ] && echo Bench.SdkEngine || echo Bench.PlainLibrary)
    t0=$(now_ms); quiet dotnet build "$work/$p" --no-restore --no-incremental -tl:off; t1=$(now_ms)
    echo $((t1 - t0)) >>"$work/full-$side"
    t0=$(now_ms); quiet dotnet build "$work/$p" --no-restore -tl:off; t1=$(now_ms)
    echo $((t1 - t0)) >>"$work/noop-$side"
  done
done
full_sdk=$(median <"$work/full-sdk"); full_plain=$(median <"$work/full-plain")
noop_sdk=$(median <"$work/noop-sdk"); noop_plain=$(median <"$work/noop-plain")
echo
echo "| build (median of $runs, ms) | plain class library | with CompactMemory.Sdk | ratio |"
echo "|---|---|---|---|"
echo "| full (--no-incremental) | $full_plain | $full_sdk | $(ratio "$full_sdk" "$full_plain")x |"
echo "| no-op incremental | $noop_plain | $noop_sdk | $(ratio "$noop_sdk" "$noop_plain")x |"

# 2. Host start-up: native AOT + generated registration versus JIT + reflection.
quiet dotnet pack "$work/Bench.SdkEngine" -c Release -o "$feed" -p:Version=1.0.0 -tl:off
for host in Bench.AotHost Bench.ReflectionHost; do
  mkdir -p "$work/$host"
  cat >"$work/$host/$host.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="CompactMemory" Version="$version" />
    <PackageReference Include="Bench.SdkEngine" Version="1.0.0" />
  </ItemGroup>
</Project>
EOF
done
text='Context windows are finite. Every token costs time. A summary keeps the sentences that matter. The rest can be searched later.'
cat >"$work/Bench.AotHost/Program.cs" <<EOF
using Bench.AotHost;                      // CompactMemoryEngines is generated in the project's root namespace
using CompactMemory.Registry;

var registry = new EngineRegistry();
registry.AddCompactMemoryEngines();
var result = registry.CreateCompressionEngine("bench_sdk").Compress("$text", 12);
Console.WriteLine(result.Text);
EOF
cat >"$work/Bench.ReflectionHost/Program.cs" <<EOF
using System.Reflection;
using CompactMemory;
using CompactMemory.Compression;

// What a host does without the generated registration: load every referenced assembly, scan it for
// [CompressionEngine] classes, create the one asked for with Activator.
CompressionEngine? engine = null;
foreach (var name in Assembly.GetEntryAssembly()!.GetReferencedAssemblies())
{
    foreach (var type in Assembly.Load(name).GetTypes())
    {
        if (type.GetCustomAttribute<CompressionEngineAttribute>() is { } attribute && attribute.Id == "bench_sdk")
        {
            engine = (CompressionEngine)Activator.CreateInstance(type)!;
        }
    }
}

Console.WriteLine(engine!.Compress("$text", 12).Text);
EOF
quiet dotnet publish "$work/Bench.AotHost" -c Release -r "$rid" -p:PublishAot=true -o "$work/aot" -tl:off
quiet dotnet publish "$work/Bench.ReflectionHost" -c Release -r "$rid" --self-contained false -o "$work/jit" -tl:off
"$work/aot/Bench.AotHost" >/dev/null; "$work/jit/Bench.ReflectionHost" >/dev/null
: >"$work/ms-aot"; : >"$work/ms-jit"; : >"$work/kb-aot"; : >"$work/kb-jit"
for ((i = 1; i <= runs * 4; i++)); do
  for side in aot jit; do
    exe=$([ $side = aot ] && echo "$work/aot/Bench.AotHost" || echo "$work/jit/Bench.ReflectionHost")
    t0=$(now_ms); /usr/bin/time -f '%M' -o "$work/rss" "$exe" >/dev/null; t1=$(now_ms)
    echo $((t1 - t0)) >>"$work/ms-$side"; cat "$work/rss" >>"$work/kb-$side"
  done
done
ms_aot=$(median <"$work/ms-aot"); ms_jit=$(median <"$work/ms-jit")
kb_aot=$(median <"$work/kb-aot"); kb_jit=$(median <"$work/kb-jit")
echo
echo "| host, start to exit (median of $((runs * 4))) | JIT + reflection | native AOT + generated registration | ratio (JIT / AOT) |"
echo "|---|---|---|---|"
echo "| time (ms) | $ms_jit | $ms_aot | $(ratio "$ms_jit" "$ms_aot")x |"
echo "| peak memory (MB) | $(awk -v k="$kb_jit" 'BEGIN{printf "%.1f", k/1024}') | $(awk -v k="$kb_aot" 'BEGIN{printf "%.1f", k/1024}') | $(ratio "$kb_jit" "$kb_aot")x |"

# 3. install-engine of a package with one dependency, by id from the local feed.
mkdir -p "$work/Bench.Words" "$work/Bench.DependentEngine"
cat >"$work/Bench.Words/Bench.Words.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><Authors>Bench</Authors><Description>A dependency.</Description></PropertyGroup>
</Project>
EOF
printf 'namespace Bench;\n\n/// <summary>Splits sentences.</summary>\npublic static class Words\n{\n    /// <summary>The separator.</summary>\n    public const string Separator = ". ";\n}\n' >"$work/Bench.Words/Words.cs"
cat >"$work/Bench.DependentEngine/Bench.DependentEngine.csproj" <<EOF
<Project Sdk="CompactMemory.Sdk/$version">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><Authors>Bench</Authors><Description>An engine with one dependency.</Description></PropertyGroup>
  <ItemGroup><PackageReference Include="Bench.Words" Version="1.0.0" /></ItemGroup>
</Project>
EOF
engine_source bench_dependent WordsEngine | sed 's/text.Split(". ")/text.Split(Words.Separator)/' >"$work/Bench.DependentEngine/WordsEngine.cs"
quiet dotnet pack "$work/Bench.Words" -c Release -o "$feed" -p:Version=1.0.0 -tl:off
quiet dotnet pack "$work/Bench.DependentEngine" -c Release -o "$feed" -p:Version=1.0.0 -tl:off
quiet dotnet tool install CompactMemory.Cli --version "$version" --tool-path "$work/tools" --add-source "$feed"
cd "$work"
quiet "$work/tools/compact-memory" dev install-engine Bench.DependentEngine --path "$work/plugins" --force
: >"$work/install"
for ((i = 1; i <= runs; i++)); do
  t0=$(now_ms); quiet "$work/tools/compact-memory" dev install-engine Bench.DependentEngine --path "$work/plugins" --force; t1=$(now_ms)
  echo $((t1 - t0)) >>"$work/install"
done
ls "$work/plugins/bench_dependent" | grep -q '^Bench.Words.dll$' || { echo "the dependency was not installed"; exit 1; }
echo
echo "| install-engine Bench.DependentEngine (one dependency) from a local feed, median of $runs | $(median <"$work/install") ms |"
