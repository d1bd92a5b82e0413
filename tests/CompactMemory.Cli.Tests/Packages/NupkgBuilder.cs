using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security;
using System.Text;
using CompactMemory.Testing;

namespace CompactMemory.Cli.Tests.Packages;

/// <summary>
/// Builds .nupkg files for tests the way 'dotnet pack' lays out an engine package: a .nuspec, lib/&lt;tfm&gt;/ assemblies
/// and, for engines, engine_package.yaml, tools.json and README.md at the root.
/// </summary>
internal sealed class NupkgBuilder
{
    private readonly List<(string Framework, string Id, string Range)> _dependencies = [];

    public NupkgBuilder(string id, string version)
    {
        Id = id;
        Version = version;
    }

    public string Id { get; }

    public string Version { get; }

    /// <summary>Entries by name, as stored in the zip.</summary>
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>An engine package from a plugin folder written by <see cref="PluginPackageBuilder"/>: its root files, and its assemblies in lib/<paramref name="framework"/>/.</summary>
    public static NupkgBuilder FromPluginFolder(string folder, string id, string version, string framework = "net10.0", Func<string, bool>? includeAssembly = null)
    {
        var builder = new NupkgBuilder(id, version);
        foreach (var file in Directory.GetFiles(folder))
        {
            var name = Path.GetFileName(file);
            if (name is "engine_package.yaml" or "README.md" or "tools.json")
            {
                builder.Files[name] = File.ReadAllBytes(file);
            }
            else if (name.EndsWith(".dll", StringComparison.Ordinal) && (includeAssembly?.Invoke(name) ?? true))
            {
                builder.Files["lib/" + framework + "/" + name] = File.ReadAllBytes(file);
            }
        }

        builder.WithDependency("CompactMemory.Abstractions", "0.1.0").WithDependency("Microsoft.Extensions.AI.Abstractions", "10.0.0");
        return builder;
    }

    /// <summary>An engine package with the default test engine (<see cref="PluginPackageBuilder"/>) for <paramref name="engineId"/>.</summary>
    public static NupkgBuilder Engine(string scratch, string id, string version, string engineId, string outputPrefix = "compressed:")
    {
        var folder = new PluginPackageBuilder { EngineId = engineId, OutputPrefix = outputPrefix, Version = version }
            .WriteTo(Path.Combine(scratch, Guid.NewGuid().ToString("N")), engineId);
        return FromPluginFolder(folder, id, version);
    }

    public NupkgBuilder WithDependency(string id, string range, string framework = "net10.0")
    {
        _dependencies.Add((framework, id, range));
        return this;
    }

    public NupkgBuilder With(string entry, string text)
    {
        Files[entry] = Encoding.UTF8.GetBytes(text);
        return this;
    }

    public NupkgBuilder Without(string entry)
    {
        Files.Remove(entry);
        return this;
    }

    public string Nuspec()
    {
        var groups = _dependencies.GroupBy(d => d.Framework).Select(g =>
            "      <group targetFramework=\"" + g.Key + "\">\n"
            + string.Concat(g.Select(d => "        <dependency id=\"" + SecurityElement.Escape(d.Id) + "\" version=\"" + SecurityElement.Escape(d.Range) + "\" exclude=\"Build,Analyzers\" />\n"))
            + "      </group>\n");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata>
                <id>{Id}</id>
                <version>{Version}</version>
                <authors>Test Author</authors>
                <description>A test package.</description>
                <packageTypes>
                  <packageType name="Dependency" />
                  <packageType name="CompactMemoryEngine" />
                </packageTypes>
                <dependencies>
            {string.Concat(groups)}    </dependencies>
              </metadata>
            </package>
            """;
    }

    /// <summary>Writes <c>folder/id.version.nupkg</c> and returns its path.</summary>
    public string WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Id + "." + Version + ".nupkg");
        var entries = new List<(string, byte[], int?)> { (Id + ".nuspec", Encoding.UTF8.GetBytes(Nuspec()), null) };
        entries.AddRange(Files.Select(f => (f.Key, f.Value, (int?)null)));
        WriteZip(path, entries);
        return path;
    }

    /// <summary>Writes a zip with exactly these entries (a Unix mode such as 0xA1FF marks a symbolic link).</summary>
    public static void WriteZip(string path, IEnumerable<(string Name, byte[] Data, int? UnixMode)> entries)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        foreach (var (name, data, mode) in entries)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
            if (mode is { } unix)
            {
                entry.ExternalAttributes = unix << 16;
            }

            using var output = entry.Open();
            output.Write(data);
        }
    }
}
