using System;
using System.IO;
using CompactMemory.Testing;

namespace CompactMemory.Sdk.Tests;

/// <summary>
/// An engine project written by hand into the temp folder, the way an author would set one up: a csproj that
/// imports the SDK's props and targets, references the contracts, the generator and the analyzers, and has no
/// engine_package.yaml unless a test writes one.
/// </summary>
internal sealed class EngineProject
{
    private EngineProject(string directory, string name)
    {
        Directory = directory;
        Name = name;
    }

    /// <summary>The project folder.</summary>
    public string Directory { get; }

    /// <summary>The project (and assembly) name.</summary>
    public string Name { get; }

    /// <summary>The project file.</summary>
    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    /// <summary>A file of the project folder.</summary>
    public string PathOf(params string[] parts) => Path.Combine([Directory, .. parts]);

    /// <summary>The root of a test's projects: stops MSBuild from looking further up for Directory.*.props/targets.</summary>
    public static void FenceOff(TempDirectory root)
    {
        File.WriteAllText(root.Combine("Directory.Build.props"), "<Project />\n");
        File.WriteAllText(root.Combine("Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(root.Combine("Directory.Packages.props"), "<Project />\n");
    }

    /// <summary>Writes a project with the given target frameworks, extra properties and C# sources.</summary>
    public static EngineProject Write(TempDirectory root, string name, string targetFrameworks, string extraProperties, params (string File, string Text)[] sources) =>
        Write(root, name, targetFrameworks, extraProperties, withGenerator: true, sources);

    /// <summary>Writes a project; <paramref name="withGenerator"/> false leaves the generator out, as a misconfigured project would.</summary>
    public static EngineProject Write(TempDirectory root, string name, string targetFrameworks, string extraProperties, bool withGenerator, params (string File, string Text)[] sources)
    {
        var directory = root.CreateDirectory(name);
        var repo = Dotnet.RepoRoot;
        string Repo(string relative) => Path.GetFullPath(Path.Combine(repo, relative));
        var frameworksProperty = targetFrameworks.Contains(';', StringComparison.Ordinal) ? "TargetFrameworks" : "TargetFramework";
        var generator = withGenerator
            ? $"""<ProjectReference Include="{Repo("generators/CompactMemory.Generators/CompactMemory.Generators.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" PrivateAssets="all" />"""
            : string.Empty;
        // The analyzers and code fixes, as the package's analyzers/dotnet/roslyn4.8/cs folder delivers them.
        var analyzers = $"""
            <ProjectReference Include="{Repo("analyzers/CompactMemory.Analyzers/CompactMemory.Analyzers.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" PrivateAssets="all" />
                <ProjectReference Include="{Repo("analyzers/CompactMemory.Analyzers.CodeFixes/CompactMemory.Analyzers.CodeFixes.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" PrivateAssets="all" />
            """;
        var project = $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Repo("src/CompactMemory.Sdk/build/CompactMemory.Sdk.props")}" />
              <PropertyGroup>
                <{frameworksProperty}>{targetFrameworks}</{frameworksProperty}>
                <LangVersion>latest</LangVersion>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <RootNamespace>Acme.Engines</RootNamespace>
                <Version>2.3.4</Version>
                <Authors>Acme Engines Team</Authors>
                <Description>Engines by Acme.</Description>
            {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Repo("src/CompactMemory.Abstractions/CompactMemory.Abstractions.csproj")}" />
                {generator}
                {analyzers}
              </ItemGroup>
              <Import Project="{Repo("src/CompactMemory.Sdk/build/CompactMemory.Sdk.targets")}" />
            </Project>
            """;
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), project);
        File.WriteAllText(Path.Combine(directory, "README.md"), "# " + name + "\n\nA test engine package.\n");
        foreach (var (file, text) in sources)
        {
            File.WriteAllText(Path.Combine(directory, file), text);
        }

        return new EngineProject(directory, name);
    }

    /// <summary>A compression engine class with the given id, class name and attribute arguments.</summary>
    public static string EngineSource(string id, string className, string attributeArguments = "") => """
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Acme.Engines;

        """ + EngineClass(id, className, attributeArguments);

    /// <summary>The class alone, to append to a file that has the usings and the namespace.</summary>
    public static string EngineClass(string id, string className, string attributeArguments = "") => $$"""

        /// <summary>Keeps the first tokens that fit the budget.</summary>
        [CompressionEngine("{{id}}"{{attributeArguments}})]
        public sealed class {{className}} : CompressionEngine
        {
            /// <inheritdoc />
            public override CompressedMemory Compress(string text, int budget, CompressionOptions? options = null)
            {
                ValidateBudget(budget);
                var tokenizer = TokenizerOf(options);
                return new CompressedMemory(tokenizer.Truncate(text, budget)) { EngineId = Id };
            }
        }

        """;

    /// <summary>Reads a file of the project as text with LF line ends.</summary>
    public string Read(params string[] parts) => File.ReadAllText(PathOf(parts)).ReplaceLineEndings("\n");

    public override string ToString() => Name;
}
