using System;
using System.IO;
using CompactMemory.Testing;
using Xunit;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// Every test of this project reads the results of one set of real <c>dotnet</c> runs over four engine projects
/// written by hand into the temp folder: one <c>dotnet build</c> of all four (one restore, one build of the referenced
/// repository projects), then the packs and the narrower runs the tests need, one at a time.
/// </summary>
public sealed class SdkBuildFixture : IDisposable
{
    private readonly TempDirectory _root = new();

    public SdkBuildFixture()
    {
        EngineProject.FenceOff(_root);

        // Multi-targeted; the description comes from the project and differs per target framework, so a package
        // shows which build's files it took.
        HeadEngine = EngineProject.Write(
            _root,
            "Acme.HeadEngine",
            "net10.0;netstandard2.0",
            "    <Description Condition=\"'$(TargetFramework)' == 'netstandard2.0'\">Engines by Acme, netstandard2.0 build.</Description>",
            ("HeadEngine.cs", EngineProject.EngineSource("acme_head", "HeadEngine", ", DisplayName = \"Acme Head\"")));
        // An experiment with a data file in a sub-folder, for the plugin folder and the package.
        Directory.CreateDirectory(HeadEngine.PathOf("experiments", "data"));
        File.WriteAllText(HeadEngine.PathOf("experiments", "example.yaml"), "budgets: [10]\ndataset:\n  - file: data/sample.txt\n");
        File.WriteAllText(HeadEngine.PathOf("experiments", "data", "sample.txt"), "One sentence. Another sentence.\n");
        TwoEngines = EngineProject.Write(
            _root,
            "Acme.TwoEngines",
            "net10.0",
            string.Empty,
            ("AlphaEngine.cs", EngineProject.EngineSource("alpha_engine", "AlphaEngine")),
            ("BetaEngine.cs", EngineProject.EngineSource("beta_engine", "BetaEngine")));
        Host = EngineProject.Write(
            _root,
            "Acme.Host",
            "net10.0",
            string.Empty,
            ("Uses.cs", "namespace Acme.Host;\n\n/// <summary>Uses engines; defines none.</summary>\npublic static class Uses\n{\n    /// <summary>Nothing.</summary>\n    public static int Nothing() => 0;\n}\n"));
        NoGenerator = EngineProject.Write(
            _root,
            "Acme.NoGenerator",
            "net10.0",
            string.Empty,
            withGenerator: false,
            ("HeadEngine.cs", EngineProject.EngineSource("acme_head", "HeadEngine")));

        var solution = _root.Combine("engines.slnx");
        File.WriteAllText(solution, $"""
            <Solution>
              <Project Path="{HeadEngine.Name}/{HeadEngine.Name}.csproj" />
              <Project Path="{TwoEngines.Name}/{TwoEngines.Name}.csproj" />
              <Project Path="{Host.Name}/{Host.Name}.csproj" />
              <Project Path="{NoGenerator.Name}/{NoGenerator.Name}.csproj" />
            </Solution>
            """);

        Build = Dotnet.Run(_root.Path, "build", solution, "--nologo", "-tl:off", "-p:TreatWarningsAsErrors=true");

        Packages = _root.CreateDirectory("packages");
        ChosenPackages = _root.CreateDirectory("packages-netstandard2.0");
        HostPackages = _root.CreateDirectory("packages-host");
        var pack = new[] { "pack", "--nologo", "-tl:off", "--no-build", "-c", "Debug", "-p:TreatWarningsAsErrors=true" };
        Pack = Dotnet.Run(HeadEngine.Directory, [.. pack, "-o", Packages]);
        ChosenPack = Dotnet.Run(HeadEngine.Directory, [.. pack, "-p:CompactMemoryPackageTargetFramework=netstandard2.0", "-o", ChosenPackages]);
        UnlistedPack = Dotnet.Run(HeadEngine.Directory, [.. pack, "-p:CompactMemoryPackageTargetFramework=net9.0", "-o", _root.CreateDirectory("packages-net9.0")]);
        HostPack = Dotnet.Run(Host.Directory, [.. pack, "-o", HostPackages]);

        WithChoice = Dotnet.Run(TwoEngines.Directory, "build", "--nologo", "-tl:off", "-p:TreatWarningsAsErrors=true", "-p:CompactMemoryPackageEngineId=beta_engine");
        UnknownChoice = Dotnet.Run(TwoEngines.Directory, "msbuild", "-nologo", "-tl:off", "-t:CompactMemoryWriteEnginePackageFiles", "-p:CompactMemoryPackageEngineId=gamma_engine");
        Placeholders = Dotnet.Run(TwoEngines.Directory, "msbuild", "-nologo", "-tl:off", "-t:CompactMemoryWriteEnginePackageFiles", "-p:CompactMemoryPackageEngineId=beta_engine", "-p:Authors=" + TwoEngines.Name, "-p:Description=");
        OldCompiler = Dotnet.Run(TwoEngines.Directory, "msbuild", "-nologo", "-tl:off", "-t:CompactMemoryCheckCompilerVersion", "-p:CompilerApiVersion=roslyn4.7");
        FloorCompiler = Dotnet.Run(TwoEngines.Directory, "msbuild", "-nologo", "-tl:off", "-t:CompactMemoryCheckCompilerVersion", "-p:CompilerApiVersion=roslyn4.8");
    }

    /// <summary>One engine, net10.0 and netstandard2.0.</summary>
    internal EngineProject HeadEngine { get; }

    /// <summary>Two engines, no CompactMemoryPackageEngineId.</summary>
    internal EngineProject TwoEngines { get; }

    /// <summary>The SDK imported, the generator referenced, no engine.</summary>
    internal EngineProject Host { get; }

    /// <summary>An engine class, but the generator is not referenced.</summary>
    internal EngineProject NoGenerator { get; }

    /// <summary><c>dotnet build</c> of the four projects.</summary>
    internal DotnetResult Build { get; }

    internal string Packages { get; }

    internal string ChosenPackages { get; }

    internal string HostPackages { get; }

    /// <summary><c>dotnet pack --no-build</c> of HeadEngine.</summary>
    internal DotnetResult Pack { get; }

    /// <summary>The same, with CompactMemoryPackageTargetFramework=netstandard2.0.</summary>
    internal DotnetResult ChosenPack { get; }

    /// <summary>The same, with CompactMemoryPackageTargetFramework=net9.0, which the project does not target.</summary>
    internal DotnetResult UnlistedPack { get; }

    /// <summary><c>dotnet pack --no-build</c> of Host.</summary>
    internal DotnetResult HostPack { get; }

    /// <summary><c>dotnet build</c> of TwoEngines with CompactMemoryPackageEngineId=beta_engine.</summary>
    internal DotnetResult WithChoice { get; }

    /// <summary>The packaging target alone on TwoEngines with an id it does not define.</summary>
    internal DotnetResult UnknownChoice { get; }

    /// <summary>The packaging target alone on TwoEngines with the .NET SDK's placeholder Authors (the assembly name) and no Description.</summary>
    internal DotnetResult Placeholders { get; }

    /// <summary>The compiler check alone, told the compiler is Roslyn 4.7.</summary>
    internal DotnetResult OldCompiler { get; }

    /// <summary>The compiler check alone, told the compiler is Roslyn 4.8.</summary>
    internal DotnetResult FloorCompiler { get; }

    /// <summary>A new folder of the temp root.</summary>
    internal string CreateDirectory(string name) => _root.CreateDirectory(name);

    public void Dispose() => _root.Dispose();
}

/// <summary>The tests share one <see cref="SdkBuildFixture"/>, and never run two builds at once.</summary>
[CollectionDefinition(Name)]
public sealed class DotnetBuilds : ICollectionFixture<SdkBuildFixture>, ICollectionFixture<MistakeBuildFixture>, ICollectionFixture<PackagesFixture>
{
    public const string Name = "dotnet builds";
}
