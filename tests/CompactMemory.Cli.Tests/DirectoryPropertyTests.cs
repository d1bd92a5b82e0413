using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CompactMemory.Testing;
using CsCheck;
using Xunit;

namespace CompactMemory.Cli.Tests;

/// <summary>compress --dir on generated patterns and generated trees of files and symbolic links.</summary>
public sealed class DirectoryPropertyTests : IDisposable
{
    private const string Canary = "CANARY";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly Cli _cli = new();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _cli.Dispose();
        _temp.Dispose();
    }

    /// <summary>
    /// Any pattern string: exit 0, 1 or 2, never an unexpected error, nothing from outside --dir (a canary beside it, a
    /// directory link and a file link leading to it), no file read twice (a link loop inside), a FIFO never waited
    /// for; and every regular file whose own path matches the pattern (by an independent regex translation) is read.
    /// </summary>
    [Fact]
    public void Any_pattern_reads_only_inside_the_directory_and_every_file_it_matches()
    {
        var root = _temp.CreateDirectory("root");
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var relative in new[] { "a.txt", "b.md", ".hidden.txt", "[x].txt", "sub/c.txt", "sub/deep/d.txt", "sub/deep/e.md", "other/f.txt", "ü ß.txt" })
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var content = $"<{relative}>";
            File.WriteAllText(path, content);
            files.Add(relative, content);
        }

        var outside = _temp.CreateDirectory("outside");
        File.WriteAllText(Path.Combine(outside, "o.txt"), Canary + "-dir");
        File.WriteAllText(_temp.Combine("canary.txt"), Canary + "-file");
        Directory.CreateSymbolicLink(Path.Combine(root, "sub", "loop"), "..");
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "leak.txt"), Path.Combine("..", "canary.txt"));
        DirectoryInputTests.MakeFifo(Path.Combine(root, "sub", "pipe.txt"));
        var output = _temp.CreateDirectory("out");
        var target = Path.Combine(output, "compressed_output.txt");

        var token = Gen.OneOf<string>("*", "?", "**", "/", "//", "\\", ".", "..", "[", "]", "!", "-", "a", "b", "c", "x", "sub", "deep", "txt", ".txt", ".md", "~", ":", " ", "\0", "ü", "ß", "C:", "\t", "'", "\"", "$", "{", "}", "|", "^", "🌍");
        var pattern = Gen.OneOf(token.Array[0, 8].Select(parts => string.Concat(parts)), Gen.String[0, 12]);
        Property.ForAll(Gen.Select(pattern, Gen.Bool), (text, recursive) =>
        {
            File.Delete(target);
            string[] args = ["compress", "--dir", root, "--pattern=" + text, "--output-dir", output, "-e", "none", "-b", "100000000", "-q"];
            var result = _cli.RunWithin(Limit, recursive ? [.. args, "-r"] : args);

            var everything = result.Output + result.Error + (File.Exists(target) ? File.ReadAllText(target) : string.Empty);
            Assert.DoesNotContain("unexpected error", everything, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Canary, everything, StringComparison.Ordinal);
            Assert.Contains(result.ExitCode, new[] { 0, 1, 2 });
            if (result.ExitCode == 2)
            {
                Assert.StartsWith("Error: ", result.Error, StringComparison.Ordinal);
                return;
            }

            Assert.Equal(0, result.ExitCode);
            var combined = File.Exists(target) ? File.ReadAllText(target) : string.Empty;
            var expected = Oracle(text, recursive);
            foreach (var (relative, content) in files)
            {
                var count = Occurrences(combined, content);
                Assert.True(count <= 1, $"'{relative}' was read {count} times");
                if (expected is not null && expected.IsMatch("/" + relative))
                {
                    Assert.True(count == 1, $"'{relative}' matches '{text}' (recursive: {recursive}) but was not read");
                }
            }
        }, cases: 2_500, seed: 20260201, print: t => $"pattern {Printable(t.Item1)}, recursive {t.Item2}");
    }

    /// <summary>
    /// Generated trees of directories, files and symbolic links (to directories and files inside, to a directory and a
    /// canary outside, to nothing; relative or absolute): the command finishes, reads every file once (recursive, '*'),
    /// never the canary, and counts as skipped exactly the links to outside files and to nothing.
    /// </summary>
    [Fact]
    public void Any_tree_of_links_is_searched_to_the_end_and_each_file_is_read_once()
    {
        var outside = _temp.CreateDirectory("outside");
        File.WriteAllText(Path.Combine(outside, "o.txt"), Canary + "-dir");
        var canaryFile = _temp.Combine("canary.txt");
        File.WriteAllText(canaryFile, Canary + "-file");
        var output = _temp.CreateDirectory("out");
        var target = Path.Combine(output, "compressed_output.txt");
        var root = _temp.Combine("tree");

        var tree = Gen.Select(
            Gen.Int[0, 1000].Array[0, 6],
            Gen.Int[0, 1000].Array[0, 8],
            Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 4], Gen.Bool).Array[0, 7]);
        var shape = Gen.OneOf<string>("*", "*/*", "*/*/*", "*/*/*/*", "**/*", "*.txt");
        Property.ForAll(Gen.Select(tree, shape, Gen.Bool), (spec, pattern, recursive) =>
        {
            var (dirParents, fileDirs, links) = spec;
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            var dirs = new List<string> { Directory.CreateDirectory(root).FullName };
            for (var i = 0; i < dirParents.Length; i++)
            {
                dirs.Add(Directory.CreateDirectory(Path.Combine(dirs[dirParents[i] % dirs.Count], "d" + i)).FullName);
            }

            var contents = new List<string>();
            for (var i = 0; i < fileDirs.Length; i++)
            {
                var content = $"<file {i}>";
                File.WriteAllText(Path.Combine(dirs[fileDirs[i] % dirs.Count], $"f{i}.txt"), content);
                contents.Add(content);
            }

            var expectedSkipped = 0;
            for (var i = 0; i < links.Length; i++)
            {
                var (at, to, kind, absolute) = links[i];
                var directory = dirs[at % dirs.Count];
                var link = Path.Combine(directory, $"l{i}.txt");
                string destination = kind switch
                {
                    0 => dirs[to % dirs.Count],
                    1 when fileDirs.Length > 0 => Path.Combine(dirs[fileDirs[to % fileDirs.Length] % dirs.Count], $"f{to % fileDirs.Length}.txt"),
                    1 or 2 => outside,
                    3 => canaryFile,
                    _ => Path.Combine(directory, "nothing-here"),
                };
                var linkTarget = absolute ? destination : Path.GetRelativePath(directory, destination);
                if (Directory.Exists(destination))
                {
                    Directory.CreateSymbolicLink(link, linkTarget);
                }
                else
                {
                    File.CreateSymbolicLink(link, linkTarget);
                    expectedSkipped += destination == canaryFile || !File.Exists(destination) ? 1 : 0;
                }
            }

            File.Delete(target);
            string[] args = ["compress", "--dir", root, "--pattern", pattern, "--output-dir", output, "-e", "none", "-b", "100000000", "-q"];
            var result = _cli.RunWithin(Limit, recursive ? [.. args, "-r"] : args);

            var combined = File.Exists(target) ? File.ReadAllText(target) : string.Empty;
            Assert.DoesNotContain("unexpected error", result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Canary, combined + result.Output + result.Error, StringComparison.Ordinal);
            Assert.Equal(0, result.ExitCode);
            foreach (var content in contents)
            {
                var count = Occurrences(combined, content);
                Assert.True(count <= 1, $"{content} was read {count} times");
                if (recursive && pattern is "*" or "**/*" or "*.txt")
                {
                    Assert.True(count == 1, $"{content} was not read");
                }
            }

            if (recursive && pattern is "*" or "**/*" or "*.txt")
            {
                // Every link is matched by these patterns; the only ones skipped lead to outside files or nowhere.
                var summary = contents.Count == 0 && expectedSkipped == 0
                    ? $"No files matching pattern '{pattern}' found in '{root}'."
                    : $"Skipped {expectedSkipped} file(s) due to errors.";
                Assert.True(result.Output.Contains(summary, StringComparison.Ordinal), $"expected '{summary}':\n{result.Output}\n{result.Error}");
            }
        }, cases: 500, seed: 20260202);
    }

    /// <summary>
    /// The pattern as a regular expression over "/"+relative path, written from the documented rules independently of
    /// the command's matcher; null when the command refuses the pattern (or it names no file).
    /// </summary>
    private static Regex? Oracle(string pattern, bool recursive)
    {
        if (pattern.Length == 0 || pattern.StartsWith('/') || pattern.EndsWith('/'))
        {
            return null;
        }

        var segments = pattern.Split('/').Where(s => s.Length > 0 && s != ".").ToList();
        if (segments.Count == 0 || segments.Contains(".."))
        {
            return null;
        }

        if (recursive)
        {
            if (segments[0] != "**")
            {
                segments.Insert(0, "**");
            }
        }
        else
        {
            segments = segments.Where((s, i) => s != "**" || i == segments.Count - 1).ToList();
            if (segments[^1] == "**")
            {
                segments[^1] = "*";
            }
        }

        var regex = new StringBuilder("^");
        foreach (var segment in segments)
        {
            regex.Append(segment == "**" ? "(?:/[^/]+)*" : "/" + SegmentRegex(segment));
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
    }

    private static string SegmentRegex(string segment)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else if (c == '[' && ClassEnd(segment, i) is var end and > 0)
            {
                var body = segment[(i + 1)..end];
                var negated = body.StartsWith('!');
                if (negated)
                {
                    body = body[1..];
                }

                var members = new StringBuilder();
                for (var k = 0; k < body.Length; k++)
                {
                    if (k + 2 < body.Length && body[k + 1] == '-')
                    {
                        if (body[k] <= body[k + 2])
                        {
                            members.Append(Escape(body[k])).Append('-').Append(Escape(body[k + 2]));
                        }

                        k += 2;
                    }
                    else
                    {
                        members.Append(Escape(body[k]));
                    }
                }

                regex.Append(members.Length == 0 ? (negated ? "[^/]" : "(?!)") : (negated ? "[^/" : "[") + members + "]");
                i = end;
            }
            else
            {
                regex.Append(Escape(c));
            }
        }

        return regex.ToString();
    }

    /// <summary>fnmatch's class end: the first ']' after '[', an optional '!', and one more character.</summary>
    private static int ClassEnd(string segment, int open)
    {
        var i = open + 1;
        if (i < segment.Length && segment[i] == '!')
        {
            i++;
        }

        return i < segment.Length ? segment.IndexOf(']', i + 1) : -1;
    }

    private static string Escape(char c) => "\\u" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
