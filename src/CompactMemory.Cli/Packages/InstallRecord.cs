using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompactMemory.IO;

namespace CompactMemory.Cli.Packages;

/// <summary>
/// <c>.compact-memory-package.json</c> in an installed engine's folder: which package it came from. Only
/// <c>dev install-engine</c> writes it, so an engine folder without one was put there some other way.
/// </summary>
/// <param name="PackageId">The package id (for an engine installed from a folder: its engine id).</param>
/// <param name="PackageVersion">The package version (for a folder: its manifest's version).</param>
/// <param name="Source">Where it was installed from: a feed, a .nupkg file or a folder.</param>
/// <param name="InstalledUtc">When it was installed.</param>
internal sealed record InstallRecord(string PackageId, string PackageVersion, string Source, DateTimeOffset InstalledUtc)
{
    /// <summary>The largest record read (64 KiB); a real one is a few hundred bytes.</summary>
    private const int MaxBytes = 64 * 1024;

    /// <summary>The record as lists show it: <c>Acme.Engine 1.0.0</c>.</summary>
    public string Display => PackageId + " " + PackageVersion;

    /// <summary>Writes the record into <paramref name="folder"/>.</summary>
    public void WriteTo(string folder)
    {
        var json = new JsonObject
        {
            ["package_id"] = PackageId,
            ["package_version"] = PackageVersion,
            ["source"] = Source,
            ["installed_utc"] = InstalledUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        File.WriteAllText(Path.Combine(folder, EngineFiles.Record), json.ToJsonString(CliJson.Indented) + "\n");
    }

    /// <summary>
    /// Reads the record of an engine folder without trusting it: a regular file of at most 64 KiB, strict JSON, with a
    /// package id and version. Never throws.
    /// </summary>
    /// <param name="folder">The engine folder.</param>
    /// <param name="problem">When there is a file but it cannot be used: why.</param>
    /// <returns>The record, or <see langword="null"/> when there is none or it cannot be used.</returns>
    public static InstallRecord? TryRead(string folder, out string? problem)
    {
        problem = null;
        try
        {
            var path = Path.Combine(folder, EngineFiles.Record);
            var kind = FileKinds.Of(path);
            if (kind == FileKind.Missing)
            {
                return null;
            }

            if (kind is not (FileKind.Regular or FileKind.Unknown))
            {
                problem = EngineFiles.Record + " is " + FileKinds.Describe(kind);
                return null;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[MaxBytes + 1];
            var total = 0;
            int read;
            while (total < bytes.Length && (read = stream.Read(bytes, total, bytes.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxBytes)
            {
                problem = EngineFiles.Record + " is larger than 64 KiB";
                return null;
            }

            using var document = JsonDocument.Parse(bytes.AsMemory(0, total), new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("package_id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } packageId
                || !root.TryGetProperty("package_version", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() is not { Length: > 0 } packageVersion)
            {
                problem = EngineFiles.Record + " has no package_id and package_version";
                return null;
            }

            var source = root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() ?? string.Empty : string.Empty;
            var installed = root.TryGetProperty("installed_utc", out var t) && t.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : DateTimeOffset.MinValue;
            return new InstallRecord(packageId, packageVersion, source, installed);
        }
        catch (JsonException)
        {
            problem = EngineFiles.Record + " is not valid JSON";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            problem = EngineFiles.Record + " cannot be read (" + ex.Message.TrimEnd('.') + ")";
            return null;
        }
    }
}
