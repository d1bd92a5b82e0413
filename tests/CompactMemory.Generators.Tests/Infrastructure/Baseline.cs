using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace CompactMemory.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot checks against checked-in baseline files. Set the environment variable
/// <c>COMPACTMEMORY_UPDATE_BASELINES=1</c> to rewrite the baselines from the current output instead of comparing.
/// </summary>
internal static class Baseline
{
    public static string Directory =>
        typeof(Baseline).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BaselineDirectory").Value!;

    public static bool Updating => Environment.GetEnvironmentVariable("COMPACTMEMORY_UPDATE_BASELINES") == "1";

    /// <summary>Compares <paramref name="actual"/> with <c>Baselines/&lt;name&gt;</c> (line endings normalised).</summary>
    public static void Match(string name, string actual)
    {
        var path = Path.Combine(Directory, name);
        var normalized = actual.ReplaceLineEndings("\n");
        if (Updating)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, normalized);
            return;
        }

        Assert.True(File.Exists(path), $"No baseline '{name}'. Run the tests with COMPACTMEMORY_UPDATE_BASELINES=1 to create it, then review and commit it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), normalized);
    }

    /// <summary>Fails when a baseline file exists that no test wrote (stale baselines).</summary>
    public static void NoStaleFiles(string folder, params string[] expectedNames)
    {
        var root = Path.Combine(Directory, folder);
        if (!System.IO.Directory.Exists(root) || Updating)
        {
            return;
        }

        var present = System.IO.Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Directory, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var expected = expectedNames.Select(n => n.Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, present);
    }
}
