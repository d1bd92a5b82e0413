using System.IO;
using CompactMemory.Testing;

namespace CompactMemory.EndToEnd.Tests;

/// <summary>
/// Projects written by hand the way a .NET developer would, referencing only the packages in the feed: an engine
/// whose project file is just <c>&lt;Project Sdk="CompactMemory.Sdk/VERSION"&gt;</c>, an engine in a
/// Microsoft.NET.Sdk project with <c>&lt;PackageReference Include="CompactMemory.Sdk" /&gt;</c>, an engine whose id
/// differs from its engine_package.yaml, and a console host that references an engine package.
/// </summary>
internal static class HandProjects
{
    public const string SdkStyle = "Hand.SdkStyle";
    public const string PackageReference = "Hand.PackageReference";
    public const string Mismatch = "Hand.Mismatch";
    public const string BareReference = "Hand.BareReference";
    public const string Host = "Hand.Host";
    public const string EngineVersion = "2.1.0";

    /// <summary>The line of <c>[CompressionEngine("hand_mismatch")]</c> in Hand.Mismatch/MismatchEngine.cs.</summary>
    public const int MismatchAttributeLine = 7;

    public const string SampleText =
        "Context windows are finite and every token costs time and money. "
        + "A good summary keeps the sentences that carry the meaning of the whole text. "
        + "Engines shrink what a model has to read without losing what matters. "
        + "The rest of this paragraph repeats itself to make the text longer than the budget allows. "
        + "The rest of this paragraph repeats itself to make the text longer than the budget allows. "
        + "The rest of this paragraph repeats itself to make the text longer than the budget allows.\n";

    public static void Write(TempDirectory root, string sdkVersion)
    {
        WriteProject(root, SdkStyle, $"""
            <Project Sdk="CompactMemory.Sdk/{sdkVersion}">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Version>{EngineVersion}</Version>
                <Authors>Hand Writers</Authors>
                <Description>An engine written by hand with the project SDK.</Description>
              </PropertyGroup>
            </Project>
            """, Engine("hand_sdk_style", "SdkStyleEngine"));

        WriteProject(root, PackageReference, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <Version>{EngineVersion}</Version>
                <Authors>Hand Writers</Authors>
                <Description>An engine written by hand with a package reference to the SDK.</Description>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CompactMemory.Sdk" Version="{sdkVersion}" PrivateAssets="all" />
                <PackageReference Include="CompactMemory.Abstractions" Version="{sdkVersion}" />
              </ItemGroup>
            </Project>
            """, Engine("hand_package_reference", "PackageReferenceEngine"));

        // The bare reference a developer might type: it builds, and pack says what to add instead of shipping an
        // engine package that depends on the SDK.
        WriteProject(root, BareReference, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <Authors>Hand Writers</Authors>
                <Description>An engine with a bare package reference to the SDK.</Description>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CompactMemory.Sdk" Version="{sdkVersion}" />
              </ItemGroup>
            </Project>
            """, Engine("hand_bare_reference", "BareReferenceEngine"));

        WriteProject(root, Mismatch, $"""
            <Project Sdk="CompactMemory.Sdk/{sdkVersion}">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Authors>Hand Writers</Authors>
                <Description>An engine whose id differs from its manifest.</Description>
              </PropertyGroup>
            </Project>
            """, Engine("hand_mismatch", "MismatchEngine"));
        File.WriteAllText(Path.Combine(root.Path, Mismatch, "engine_package.yaml"), """
            package_format_version: "1.0"
            engine_id: hand_manifest_id
            engine_class_name: Hand.MismatchEngine
            engine_module: Hand.Mismatch
            display_name: Mismatch
            version: "1.0.0"
            authors:
              - Hand Writers
            description: An engine whose id differs from its manifest.
            """);
    }

    /// <summary>A console host: the engine package's engines in its compile-time registry, no plugin directory.</summary>
    public static void WriteHost(TempDirectory root, string sdkVersion, string enginePackageId, string enginePackageVersion, string engineId)
    {
        var directory = root.CreateDirectory(Host);
        File.WriteAllText(Path.Combine(directory, Host + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CompactMemory" Version="{sdkVersion}" />
                <PackageReference Include="{enginePackageId}" Version="{enginePackageVersion}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), $$"""
            using CompactMemory.Registry;
            using Hand.Host;

            var registry = new EngineRegistry();
            registry.AddCompactMemoryEngines();
            Console.WriteLine("Engines: " + string.Join(", ", registry.Ids));
            var engine = registry.CreateCompressionEngine("{{engineId}}");
            var text = "{{SampleText.Replace("\n", "\\n", System.StringComparison.Ordinal)}}";
            var result = engine.Compress(text, 30);
            Console.WriteLine("Compressed " + text.Length + " characters to " + result.Text.Length + ".");
            return registry.Ids.Contains("{{engineId}}") && result.Text.Length > 0 && result.Text.Length < text.Length ? 0 : 1;
            """);
    }

    private static void WriteProject(TempDirectory root, string name, string projectFile, string engineSource)
    {
        var directory = root.CreateDirectory(name);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), projectFile);
        File.WriteAllText(Path.Combine(directory, name.Replace("Hand.", string.Empty, System.StringComparison.Ordinal) + "Engine.cs"), engineSource);
    }

    private static string Engine(string id, string className) => $$"""
        using CompactMemory;
        using CompactMemory.Compression;

        namespace Hand;

        /// <summary>Keeps the first tokens that fit the budget.</summary>
        [CompressionEngine("{{id}}")]
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
}
